import type { Principal } from '../../accounts/contracts/index.js';
import { covers, jurisdictionFilter } from '../../shared/access/jurisdiction.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import type { Filter } from '../../shared/read-store/read-store.port.js';

/**
 * Who may see the read audit (issue 21, item 6), in one place: the administrators of a county and
 * of the levels above, for the records of their jurisdiction. Everyone else is refused (403),
 * whatever the target; a record outside the jurisdiction answers 404 like an absent one.
 */
export function requireAuditor(principal: Principal): void {
  if (principal.role !== 'admin' || principal.level === 'institution') throw forbidden('audit-admin-only', '个人信息查阅记录仅供区县及以上的系统管理员查看');
}

export function auditScope(principal: Principal): Filter {
  requireAuditor(principal);
  return jurisdictionFilter(principal, 'institutionCode');
}

export function requireAuditedRecord(principal: Principal, record: { institutionCode: string; divisionCode: string } | null): void {
  requireAuditor(principal);
  if (!record || !covers(principal, record)) throw notFound('record-not-found', '学籍记录不存在或不在您的管辖范围内');
}
