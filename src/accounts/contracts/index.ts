// What other contexts may use of the accounts context.
import { type Placement, jurisdictionFilter as kernelFilter } from '../../shared/access/jurisdiction.js';
import type { Filter } from '../../shared/read-store/read-store.port.js';
export type { Principal } from '../application/account.service.js';
export { InstitutionAccounts } from '../application/institution-accounts.js';
export { type AccountName, AccountNames, type NamedActor } from '../application/account-names.js';
export type { AuthenticatedRequest } from '../api/auth.guard.js';
export { CurrentPrincipal } from '../api/current-principal.decorator.js';
export { type Level, type Role, LEVELS, ROLES, MINISTRY_DIVISION } from '../domain/account.js';
export { AccountsModule } from '../accounts.module.js';
// kept for compatibility: the jurisdiction rule is the kernel's (src/shared/access/jurisdiction.ts), import it from there
export { oneWithin, withinDivision } from '../../shared/access/jurisdiction.js';
/** The old accounts filter, for institution-keyed collections (an institution sees the document with its own id). */
export const jurisdictionFilter = (principal: Placement): Filter => kernelFilter(principal, 'id');
