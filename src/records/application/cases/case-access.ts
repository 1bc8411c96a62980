import type { Principal } from '../../../accounts/contracts/index.js';
import { covers, jurisdictionFilter, sameOrganisation } from '../../../shared/access/jurisdiction.js';
import { forbidden, notFound } from '../../../shared/domain/domain-error.js';
import type { Filter } from '../../../shared/read-store/read-store.port.js';
import type { DuplicateCaseState, EntryState, Office } from '../../domain/duplicate-case.decider.js';
import { requireReader } from '../record-access.js';

/**
 * Who may see and do what in a duplicate case (domain.md sections 3, 5 and 13):
 * - involved: the institutions with an entry, and every office whose division holds an entry
 *   (the counties, the arbitrator, auditors above them); anyone else gets 404;
 * - the institution files evidence for its own entry (business or review account);
 * - the entry's county reviews its evidence and may force-delete it (business or review account);
 * - the lowest common superior arbitrates (business or review account of that office only);
 * - leader accounts read reports only.
 * Personal data of an entry in full only to its own institution, its county's review account and
 * the arbitrating office; evidence files to its institution and the offices above it.
 */
const CASE_NOT_FOUND = '重复案件不存在或不在您的管辖范围内';

export function requireInvolved(principal: Principal, state: DuplicateCaseState): void {
  requireReader(principal);
  if (state.status === 'none' || !isInvolved(principal, state)) throw notFound('case-not-found', CASE_NOT_FOUND);
}

function isInvolved(principal: Principal, state: DuplicateCaseState): boolean {
  return state.entries.some((e) => covers(principal, e.entry));
}

/** The office acting (county, prefecture, province): its business or review account. */
export function actingOffice(principal: Principal, action: string): Office {
  requireReader(principal);
  if (principal.level === 'institution' || principal.level === 'ministry' || (principal.role !== 'business' && principal.role !== 'review')) {
    throw forbidden('office-account-only', `${action}须使用区县、地市或省级的业务账号或审核账号`);
  }
  return { level: principal.level, divisionCode: principal.divisionCode };
}

export const isOwnEntry = (principal: Principal, entry: EntryState): boolean => principal.level === 'institution' && covers(principal, entry.entry);

export const isArbitrator = (principal: Principal, state: DuplicateCaseState): boolean =>
  !!state.arbitration && sameOrganisation(principal, { ...state.arbitration, institutionCode: null }) && principal.role !== 'admin';

export function seesInFull(principal: Principal, state: DuplicateCaseState, entry: EntryState): boolean {
  if (isOwnEntry(principal, entry)) return principal.role === 'business' || principal.role === 'review';
  if (principal.level === 'county' && principal.role === 'review' && covers(principal, entry.entry)) return true;
  return isArbitrator(principal, state);
}

/** Evidence files: the filing institution and the offices whose division holds the entry. */
export function seesEvidence(principal: Principal, entry: EntryState): boolean {
  return covers(principal, entry.entry);
}

/** Entry histories (the arbitrator sees every entry's whole history): offices only. */
export const seesHistories = (principal: Principal): boolean => principal.level !== 'institution';

/** The queue filter of an office: the entries of its division. */
export function officeScope(principal: Principal): Filter {
  requireReader(principal);
  if (principal.level === 'institution') throw forbidden('office-account-only', '该队列供区县及以上单位使用');
  return jurisdictionFilter(principal, 'institutionCode');
}

export { CASE_NOT_FOUND };
