// What other contexts may use of the accounts context.
export { type Principal, withinDivision } from '../application/account.service.js';
export { InstitutionAccounts } from '../application/institution-accounts.js';
export type { AuthenticatedRequest } from '../api/auth.guard.js';
export { CurrentPrincipal } from '../api/current-principal.decorator.js';
export { type Level, type Role, LEVELS, ROLES, MINISTRY_DIVISION } from '../domain/account.js';
export { AccountsModule } from '../accounts.module.js';
export { jurisdictionFilter, oneWithin } from '../application/jurisdiction.js';
