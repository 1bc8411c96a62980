import type { Principal } from '../../accounts/contracts/index.js';
import { jurisdictionFilter } from '../../shared/access/jurisdiction.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import type { Filter } from '../../shared/read-store/read-store.port.js';
import type { PupilListState } from '../domain/pupil-list.decider.js';

/**
 * Who may do what in the hand-over (issue 16, domain.md sections 3 and 11):
 * - a primary school's registrar (school-registrar) imports, matches, corrects, deletes,
 *   confirms, supplements and exports its own lists, and sees nothing of other schools;
 * - the offices (county, prefecture, province, ministry; every role, leaders too) see the
 *   progress of their division: counts, not pupils;
 * - the registration system reads the not-found pupils of its division as an API client.
 * Role first (403), then the same 404 for an absent list and another school's.
 */
export const LIST_NOT_FOUND = '新生名单不存在或不属于本校';

export function requireSchool(principal: Principal): string {
  if (principal.role !== 'school-registrar' || principal.level !== 'institution' || !principal.institutionCode) {
    throw forbidden('school-registrar-only', '学籍接续（新生名单导入、匹配、确认、补录）由小学的学籍管理员账号办理');
  }
  return principal.institutionCode;
}

/** The list of the caller's own school (the authorise check of every entry command). */
export function requireOwnList(principal: Principal, state: PupilListState): void {
  const school = requireSchool(principal);
  if (!state.listId || state.schoolCode !== school) throw notFound('list-not-found', LIST_NOT_FOUND);
}

/** The division filter of the progress an office may see. */
export function progressScope(principal: Principal): Filter {
  if (principal.level === 'institution') throw forbidden('offices-only', '学籍接续进度由区县及以上教育部门查看；小学请查看本校的名单队列');
  return jurisdictionFilter(principal, 'schoolCode');
}
