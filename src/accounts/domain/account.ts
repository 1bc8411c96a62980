import type { Placement } from '../../shared/access/jurisdiction.js';

// the levels, their order and an account's placement are the kernel's jurisdiction vocabulary
export { LEVELS, type Level, MINISTRY_DIVISION, type Placement, levelRank } from '../../shared/access/jurisdiction.js';

/**
 * Roles (domain.md section 3). Leader accounts exist above the institution level only; a
 * primary school's registrar (小学学籍管理员, issue 16) exists at a primary school only and works
 * only on the hand-over (学籍接续).
 */
export const ROLES = ['business', 'review', 'leader', 'admin', 'school-registrar'] as const;
export type Role = (typeof ROLES)[number];

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

