// What other contexts may use of the accounts context.
export { AccountService, type NewAccount, type Principal } from '../application/account.service.js';
export type { AuthenticatedRequest } from '../api/auth.guard.js';
export { type Level, type Role, LEVELS, ROLES, MINISTRY_DIVISION } from '../domain/account.js';
export { AccountsModule } from '../accounts.module.js';
// kept for compatibility: the jurisdiction rule is the kernel's (src/shared/access/jurisdiction.ts), import it from there
export { jurisdictionFilter, oneWithin, withinDivision } from '../../shared/access/jurisdiction.js';
