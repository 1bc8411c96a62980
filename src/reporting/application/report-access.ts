import type { Principal } from '../../accounts/contracts/index.js';
import { MINISTRY_DIVISION, covers } from '../../shared/access/jurisdiction.js';
import { notFound } from '../../shared/domain/domain-error.js';
import { divisionUnit, institutionUnit } from '../domain/units.js';

/**
 * Who reads which unit's reports (domain.md sections 3 and 10), on the one jurisdiction rule:
 * every account of an office (business, review, leader, administrator) reads its division and
 * every unit below it; an institution's accounts read their own institution. Leader accounts
 * only read: the accounts guard refuses them every write. Outside the caller's reach, or a unit
 * the counters do not know, is 404 alike (existence does not leak).
 */
export function ownUnit(principal: Principal): string {
  if (principal.level === 'institution') return institutionUnit(principal.institutionCode ?? '');
  return divisionUnit(principal.level === 'ministry' ? MINISTRY_DIVISION : principal.divisionCode);
}

const UNIT = /^(i:\d{10}|d:\d{6})$/;

/** Checks the caller may read `unit` (an institution's unit needs its county, `institutionDivision`). */
export function authoriseUnit(principal: Principal, unit: string, institutionDivision: string | null | undefined): void {
  if (!UNIT.test(unit) || !mayRead(principal, unit, institutionDivision)) throw notFound('report-unit-not-found', '统计单位不存在或不在您的管辖范围内');
}

function mayRead(principal: Principal, unit: string, institutionDivision: string | null | undefined): boolean {
  const code = unit.slice(2);
  if (unit.startsWith('i:')) return !!institutionDivision && covers(principal, { divisionCode: institutionDivision, institutionCode: code });
  if (principal.level === 'institution') return false;
  if (principal.level === 'ministry') return true;
  // an office reads its own division and those below it (codes nest by prefix), never its parent
  return code !== MINISTRY_DIVISION && covers(principal, { divisionCode: code });
}
