import type { Filter } from '../read-store/read-store.port.js';

/**
 * The one jurisdiction rule (domain.md sections 2 and 3), for every context: which divisions and
 * institutions a caller may see, and which organisations' accounts an administrator acts on.
 * Pure functions over placements (level, division, institution), so they serve principals,
 * accounts, records and cases alike. GB/T 2260 codes nest by prefix: 41 (province 410000),
 * 4101 (prefecture 410100), 410102 (county); an institution carries its county's code.
 */

/** The five levels of the organisation, top down. */
export const LEVELS = ['ministry', 'province', 'prefecture', 'county', 'institution'] as const;
export type Level = (typeof LEVELS)[number];

export const levelRank = (level: Level): number => LEVELS.indexOf(level);

/** The ministry's division code: it covers every division. */
export const MINISTRY_DIVISION = '000000';

/** Where a caller or an account sits: its level, its division, and at the institution level its 10-digit code. */
export interface Placement {
  level: Level;
  /** GB/T 2260 code ("000000" for the ministry); an institution's county */
  divisionCode: string;
  institutionCode: string | null;
}

/** Where a thing of a division-keyed collection lies (a record, an institution, a case entry, an account). */
export interface Location {
  divisionCode: string;
  institutionCode?: string | null;
}

/** The prefix shared by every division within the division `code` ('' for the ministry). */
export function divisionPrefix(code: string): string {
  if (code === MINISTRY_DIVISION) return '';
  return code.endsWith('0000') ? code.slice(0, 2) : code.endsWith('00') ? code.slice(0, 4) : code;
}

/** Is `code` the division `ancestor` or below it (when only codes are known; with a caller, use `covers`). */
export const withinDivision = (code: string, ancestor: string): boolean => code.startsWith(divisionPrefix(ancestor));

export const provinceCodeOf = (code: string): string => `${code.slice(0, 2)}0000`;
export const prefectureCodeOf = (code: string): string => `${code.slice(0, 4)}00`;

/** The part of the division codes an office's jurisdiction spans, by its level. */
function officePrefix(caller: Pick<Placement, 'level' | 'divisionCode'>): string {
  switch (caller.level) {
    case 'ministry':
      return '';
    case 'province':
      return caller.divisionCode.slice(0, 2);
    case 'prefecture':
      return caller.divisionCode.slice(0, 4);
    default:
      return caller.divisionCode;
  }
}

/** May the caller see what lies at `thing`: an institution only its own, an office all of its division. */
export function covers(caller: Placement, thing: Location): boolean {
  if (caller.level === 'institution') return caller.institutionCode !== null && thing.institutionCode === caller.institutionCode;
  return thing.divisionCode.startsWith(officePrefix(caller));
}

/**
 * The read-model filter of what `covers` lets the caller see. `institutionField` names the field
 * holding the institution code in the collection ('id' where the document id is the code).
 */
export function jurisdictionFilter(caller: Placement, institutionField: string): Filter {
  switch (caller.level) {
    case 'ministry':
      return {};
    case 'province':
    case 'prefecture':
      return { divisionCode: { $prefix: officePrefix(caller) } };
    case 'county':
      return { divisionCode: caller.divisionCode };
    case 'institution':
      return { [institutionField]: caller.institutionCode ?? '-' };
  }
}

/** The filter for one institution-keyed document (id = institution code) the caller may see, or null when it cannot be. */
export function oneWithin(caller: Placement, id: string): Filter | null {
  const scope = jurisdictionFilter(caller, 'id');
  // an institution's scope pins its own id: another id must not replace it
  if ('id' in scope && scope['id'] !== id) return null;
  return { ...scope, id };
}

export const sameOrganisation = (a: Placement, b: Placement): boolean =>
  a.level === b.level && a.divisionCode === b.divisionCode && a.institutionCode === b.institutionCode;

/**
 * The organisations whose accounts an administrator acts on: its own, and those of the levels
 * below it within its jurisdiction; never its own level's other organisations (another
 * kindergarten of the county, which carries the same division code) or a level above.
 */
export function administers(actor: Placement, target: Placement): boolean {
  if (sameOrganisation(actor, target)) return true;
  return levelRank(target.level) > levelRank(actor.level) && covers(actor, target);
}

/** The accounts filter of `administers`: division codes alone do, except at the institution level. */
export function administeredFilter(actor: Placement): Filter {
  return jurisdictionFilter(actor, 'institutionCode');
}
