/** The five levels of the organisation, top down (domain.md section 2). */
export const LEVELS = ['ministry', 'province', 'prefecture', 'county', 'institution'] as const;
export type Level = (typeof LEVELS)[number];

/** Roles (domain.md section 3). Leader accounts exist above the institution level only. */
export const ROLES = ['business', 'review', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const levelRank = (level: Level): number => LEVELS.indexOf(level);

/** Where an account sits: its level, its division, and for the institution level its 10-digit code. */
export interface Placement {
  level: Level;
  /** GB/T 2260 code of the account's division ("000000" for the ministry); an institution's county */
  divisionCode: string;
  institutionCode: string | null;
}

export interface LiveSession {
  sessionId: string;
  /** sha256 of the bearer token's secret part: the token itself is never stored */
  tokenHash: string;
  startedAt: string;
  expiresAt: string;
}

export interface AccountState extends Placement {
  exists: boolean;
  accountId: string;
  username: string;
  realName: string;
  role: Role;
  passwordHash: string | null;
  passwordChangedAt: string | null;
  mustChangePassword: boolean;
  /** newest first, including the current one: "no reuse of recent passwords" */
  recentPasswordHashes: string[];
  failedAttempts: number;
  lockedUntil: string | null;
  disabled: boolean;
  disabledReason: string | null;
  session: LiveSession | null;
}

export const MINISTRY_DIVISION = '000000';
