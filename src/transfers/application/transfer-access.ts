import type { Principal } from '../../accounts/contracts/index.js';
import { covers } from '../../shared/access/jurisdiction.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import { TRANSFER_NOT_FOUND, type TransferParties, type TransferState } from '../domain/transfer.decider.js';

/**
 * Who may do what with transfers (domain.md sections 3 and 7), in one place:
 * - the receiving kindergarten's business account searches by record number, applies, withdraws
 *   and completes;
 * - the sending kindergarten's business account agrees or refuses (with a reason);
 * - both kindergartens' accounts, and the offices over either side, see the transfer, its
 *   timeline and their queues and lists (leader accounts see reports only).
 * Role first (403), then the same 404 for an absent transfer and one outside the caller's reach.
 */
export function requireRegistrar(principal: Principal, action: string): string {
  if (principal.level !== 'institution' || !principal.institutionCode) throw forbidden('institution-only', `${action}由幼儿园的业务账号办理`);
  if (principal.role !== 'business') throw forbidden('business-account-only', `${action}须使用本园的业务账号`);
  return principal.institutionCode;
}

export function requireReader(principal: Principal): void {
  if (principal.role === 'leader') throw forbidden('reports-only', '领导账号只能查看统计报表，不能查看幼儿明细');
}

/** the receiving kindergarten acts (withdraw, complete) */
export const requireReceiving = (institutionCode: string) => (state: TransferState): void => {
  if (state.status === 'none' || state.toInstitutionCode !== institutionCode) throw notFound('transfer-not-found', TRANSFER_NOT_FOUND);
};

/** the sending kindergarten acts (agree, refuse) */
export const requireSending = (institutionCode: string) => (state: TransferState): void => {
  if (state.status === 'none' || state.fromInstitutionCode !== institutionCode) throw notFound('transfer-not-found', TRANSFER_NOT_FOUND);
};

/** Either kindergarten, or an office over either side. */
export function maySee(principal: Principal, parties: TransferParties): boolean {
  if (principal.role === 'leader') return false;
  return covers(principal, { institutionCode: parties.fromInstitutionCode, divisionCode: parties.fromDivisionCode })
    || covers(principal, { institutionCode: parties.toInstitutionCode, divisionCode: parties.toDivisionCode });
}

/** ID numbers of children in answers: only the kindergarten holding the child and its county's reviewer (records' rule). */
export function maySeeIdNumber(principal: Principal, holderInstitutionCode: string, holderDivisionCode: string): boolean {
  if (principal.level === 'institution') return principal.institutionCode === holderInstitutionCode && (principal.role === 'business' || principal.role === 'review');
  return principal.level === 'county' && principal.role === 'review' && principal.divisionCode === holderDivisionCode;
}
