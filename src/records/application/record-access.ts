import type { Principal } from '../../accounts/contracts/index.js';
import { covers, jurisdictionFilter } from '../../shared/access/jurisdiction.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import type { Filter } from '../../shared/read-store/read-store.port.js';
import { type RecordState, visibleAbove } from '../domain/record.decider.js';

/**
 * Who may do what with child records (domain.md sections 3, 4 and 13), in one place:
 * - the institution's business account enters, submits, imports and deletes;
 * - its review account approves, rejects and changes key information;
 * - a county and the levels above see their institutions' records once approved (or in a
 *   duplicate case); leader accounts see reports only;
 * - full ID numbers only for those who work with the child: the institution's business and
 *   review accounts and the county's review account. Everyone else gets masked lists.
 */
const NOT_FOUND = '学籍记录不存在或不在您的管辖范围内';

export function requireInstitutionRole(principal: Principal, roles: Array<'business' | 'review'>, action: string): string {
  if (principal.level !== 'institution' || !principal.institutionCode) throw forbidden('institution-only', `${action}由幼儿园的账号办理`);
  if (!(roles as string[]).includes(principal.role)) {
    const who = roles.map((r) => (r === 'business' ? '业务账号' : '审核账号')).join('或');
    throw forbidden(roles.includes('review') && roles.length === 1 ? 'review-account-only' : 'business-account-only', `${action}须使用本园的${who}`);
  }
  return principal.institutionCode;
}

export function requireReader(principal: Principal): void {
  if (principal.role === 'leader') throw forbidden('reports-only', '领导账号只能查看统计报表，不能查看幼儿明细');
}

/** The record is the caller's to act on: its own institution's (anything else looks absent). */
export function requireOwnRecord(principal: Principal, state: RecordState): void {
  if (state.status === 'none' || principal.level !== 'institution' || !covers(principal, state)) throw notFound('record-not-found', NOT_FOUND);
}

export function mayRead(principal: Principal, state: Pick<RecordState, 'status' | 'institutionCode' | 'divisionCode' | 'recordNumber'>): boolean {
  if (principal.role === 'leader' || state.status === 'none') return false;
  return covers(principal, state) && (principal.level === 'institution' || visibleAbove(state.status, state.recordNumber));
}

/** The read-model filter of what the caller may list: its jurisdiction, above an institution what has been approved. */
export function recordScope(principal: Principal): Filter {
  requireReader(principal);
  const scope = jurisdictionFilter(principal, 'institutionCode');
  return principal.level === 'institution' ? scope : { ...scope, visibleAbove: true };
}

export function maySeeIdNumbers(principal: Principal): boolean {
  if (principal.level === 'institution') return principal.role === 'business' || principal.role === 'review';
  return principal.level === 'county' && principal.role === 'review';
}

export { NOT_FOUND as RECORD_NOT_FOUND };
