import type { Principal } from '../../accounts/contracts/index.js';
import { covers, jurisdictionFilter } from '../../shared/access/jurisdiction.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import type { Filter } from '../../shared/read-store/read-store.port.js';
import type { ClassState } from '../domain/class.decider.js';
import type { RestorationState } from '../domain/restoration.decider.js';

/**
 * Who may do what with classes, placements, leaves and restorations (domain.md sections 3, 6, 8):
 * - the institution's business account creates and edits classes, assigns, changes classes,
 *   marks, promotes, graduates, enters leaves and applies for restorations;
 * - the institution's accounts and the offices above see class lists, rosters and leave history
 *   of their jurisdiction (leader accounts see reports only);
 * - the county's review account reviews restoration applications of its institutions.
 * Role first (403), then the same 404 for an absent target and one outside the caller's reach.
 */
export const CLASS_NOT_FOUND = '班级不存在或不在您的管辖范围内，请刷新班级列表后重新选择';

export function requireRegistrar(principal: Principal, action: string): string {
  if (principal.level !== 'institution' || !principal.institutionCode) throw forbidden('institution-only', `${action}由幼儿园的业务账号办理，请用本园业务账号登录后操作`);
  if (principal.role !== 'business') throw forbidden('business-account-only', `${action}须使用本园的业务账号，请用业务账号登录后操作`);
  return principal.institutionCode;
}

export function requireOwnClass(principal: Principal, state: ClassState): void {
  if (state.status !== 'active' || principal.institutionCode !== state.institutionCode) throw notFound('class-not-found', CLASS_NOT_FOUND);
}

export function classScope(principal: Principal): Filter {
  if (principal.role === 'leader') throw forbidden('reports-only', '领导账号只能查看统计报表，不能查看幼儿明细：如需明细请使用业务或审核账号');
  return jurisdictionFilter(principal, 'institutionCode');
}

export function requireCountyReviewer(principal: Principal, state: RestorationState): void {
  if (principal.level !== 'county' || principal.role !== 'review') throw forbidden('county-review-only', '恢复申请由幼儿园所在县（区）的审核账号审核，请用该审核账号登录后操作');
  if (state.status === 'none' || !covers(principal, state)) throw notFound('restoration-not-found', '恢复申请不存在或不在您的管辖范围内，请刷新申请列表后重新选择');
}

/** ID numbers: the institution's business and review accounts and the county's review account. */
export function maySeeIdNumbers(principal: Principal): boolean {
  if (principal.level === 'institution') return principal.role === 'business' || principal.role === 'review';
  return principal.level === 'county' && principal.role === 'review';
}
