import type { Principal } from '../../accounts/contracts/index.js';
import { type Placement, administeredFilter, administers } from '../../shared/access/jurisdiction.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import type { Filter } from '../../shared/read-store/read-store.port.js';
import type { ClientLevel } from '../domain/api-client.decider.js';

/**
 * Who may manage API clients: administrators only (403 for every other role); an administrator
 * acts on clients of its own division or of the levels below it within its jurisdiction (the
 * kernel's `administers`, as for accounts); any other client answers 404, like an absent one.
 */
export function requireAdmin(principal: Principal): void {
  if (principal.role !== 'admin' || principal.level === 'institution') throw forbidden('client-admin-only', '只有各级系统管理员可以管理接口客户端');
}

const placementOf = (client: { level: ClientLevel; divisionCode: string }): Placement => ({ level: client.level, divisionCode: client.divisionCode, institutionCode: null });

export function mayManage(principal: Principal, client: { level: ClientLevel; divisionCode: string }): boolean {
  return administers(principal, placementOf(client));
}

export function mayRegister(principal: Principal, client: { level: ClientLevel; divisionCode: string }): void {
  requireAdmin(principal);
  if (!mayManage(principal, client)) throw forbidden('client-outside-jurisdiction', '只能为本级或下级行政区划登记接口客户端');
}

/** For rotate and revoke: the client exists and lies within the administrator's reach, else 404. */
export function requireManaged(principal: Principal, client: { status: string; level: ClientLevel; divisionCode: string }): void {
  requireAdmin(principal);
  if (client.status === 'none' || !mayManage(principal, client)) throw notFound('client-not-found', '没有找到该接口客户端');
}

export const managedFilter = (principal: Principal): Filter => administeredFilter(principal);
