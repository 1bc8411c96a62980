/**
 * The units summaries are kept for: an institution (`i:<10-digit code>`) and the divisions above
 * it (`d:<GB/T 2260 code>`: county, prefecture, province, and `d:000000` for the nation on a
 * ministry deployment). Division codes nest by prefix, as the jurisdiction rule has them.
 */
export type Counters = Record<string, number>;

export type UnitLevel = 'ministry' | 'province' | 'prefecture' | 'county' | 'institution';

export const NATION = '000000';

export const institutionUnit = (code: string): string => `i:${code}`;
export const divisionUnit = (code: string): string => `d:${code}`;

const prefectureOf = (div: string): string => `${div.slice(0, 4)}00`;
const provinceOf = (div: string): string => `${div.slice(0, 2)}0000`;

/** The units a fact at institution `inst` (or none) of division `div` counts in, bottom up, each once. */
export function unitsOf(inst: string | null, div: string): string[] {
  const units = inst ? [institutionUnit(inst)] : [];
  if (!/^\d{6}$/.test(div)) return units;
  for (const code of [div, prefectureOf(div), provinceOf(div), NATION]) {
    const unit = divisionUnit(code);
    if (!units.includes(unit)) units.push(unit);
  }
  return units;
}

/** A unit's level and the unit it is a part of (drill-down goes from a unit to those naming it as parent). */
export function unitPlace(unit: string, institutionDivision?: string): { level: UnitLevel; code: string; parent: string | null } {
  const code = unit.slice(2);
  if (unit.startsWith('i:')) return { level: 'institution', code, parent: institutionDivision ? divisionUnit(institutionDivision) : null };
  if (code === NATION) return { level: 'ministry', code, parent: null };
  if (code.endsWith('0000')) return { level: 'province', code, parent: divisionUnit(NATION) };
  if (code.endsWith('00')) return { level: 'prefecture', code, parent: divisionUnit(provinceOf(code)) };
  return { level: 'county', code, parent: divisionUnit(prefectureOf(code)) };
}

/** Counters without zeros, keys sorted: equal figures are equal objects. */
export function tidy(counters: Counters): Counters {
  return Object.fromEntries(Object.entries(counters).filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The counters that differ between two states of one unit: key, before, after. */
export function differences(kept: Counters, other: Counters): Array<{ key: string; kept: number; corrected: number }> {
  const keys = [...new Set([...Object.keys(kept), ...Object.keys(other)])].sort();
  return keys.filter((k) => (kept[k] ?? 0) !== (other[k] ?? 0)).map((key) => ({ key, kept: kept[key] ?? 0, corrected: other[key] ?? 0 }));
}
