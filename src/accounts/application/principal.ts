import type { Level, Role } from '../domain/account.js';

/** The authenticated caller: the event actor plus what jurisdiction checks need. */
export interface Principal {
  accountId: string;
  username: string;
  realName: string;
  role: Role;
  level: Level;
  divisionCode: string;
  institutionCode: string | null;
  /** institution code, or the division code above the institution level */
  organisationId: string;
  sessionId: string;
  mustChangePassword: boolean;
}
