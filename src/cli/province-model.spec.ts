import { describe, expect, it } from '@jest/globals';
import { defaultDivisionTree } from '../organisation/domain/divisions.js';
import { parseRegistryRow } from '../organisation/domain/registry-row.js';
import { ageOn, schoolYearStart, validateChild } from '../records/domain/child.js';
import { lookupCode } from '../records/domain/code-tables.js';
import { parseResidentIdNumber } from '../records/domain/id-number.js';
import {
  IdNumberAllocator,
  RECORD_STATES,
  Random,
  countiesOf,
  parseStateShares,
  planChild,
  planInstitutions,
  residentIdNumber,
  stateTable,
} from './province-model.js';

const tree = defaultDivisionTree();
const at = '2026-11-30T08:00:00.000Z';
const counties = countiesOf(tree, '410000');
const elsewhere = tree.all().filter((d) => d.level === 'county' && !d.code.startsWith('41') && Number(d.code.slice(0, 2)) < 70);

function children(n: number, seed = 7, withoutIdShare = 0.04) {
  const random = new Random(seed);
  const ids = new IdNumberAllocator();
  return Array.from({ length: n }, () => planChild(random, { tree, province: '410000', county: '410102', counties, elsewhere, ids, at, withoutIdShare }));
}

describe('synthetic province: ID numbers', () => {
  it('builds checksum-valid resident ID numbers (the test fixtures use the same builder)', () => {
    expect(residentIdNumber('110105', '1949-12-31', 2)).toBe('11010519491231002X');
    expect(parseResidentIdNumber(residentIdNumber('410102', '2022-03-15', 1))).toMatchObject({ ok: true, id: { gender: 'male', birthDate: '2022-03-15' } });
  });

  it('hands out each number once, with the gender in the sequence, until the 499 slots of a day are used', () => {
    const ids = new IdNumberAllocator();
    const boys = Array.from({ length: 499 }, () => ids.next('410102', '2022-03-15', '1')!);
    expect(new Set(boys).size).toBe(499);
    expect(boys.every((id) => parseResidentIdNumber(id).ok && Number(id[16]) % 2 === 1)).toBe(true);
    expect(ids.next('410102', '2022-03-15', '1')).toBeUndefined();
    expect(Number(ids.next('410102', '2022-03-15', '2')![16]) % 2).toBe(0);
  });
});

describe('synthetic province: children', () => {
  const planned = children(3000);

  it('are all accepted by the record decider’s validation; over-age ones only with confirmation', () => {
    for (const { child, overAge } of planned) {
      const { errors, warnings } = validateChild(child, at);
      expect(errors).toEqual([]);
      expect(warnings.length > 0).toBe(overAge);
    }
  });

  it('have gender and birth date as their ID numbers say, ages 2 to 6, and distinct ID numbers', () => {
    const withId = planned.filter((p) => p.child.idNumber);
    for (const { child } of withId) {
      const parsed = parseResidentIdNumber(child.idNumber!);
      expect(parsed).toMatchObject({ ok: true, id: { birthDate: child.birthDate, gender: child.gender === '1' ? 'male' : 'female' } });
    }
    expect(new Set(withId.map((p) => p.child.idNumber)).size).toBe(withId.length);
    const year = schoolYearStart(at);
    const ages = planned.map((p) => ageOn(p.child.birthDate, `${year}-08-31`));
    expect(Math.min(...ages)).toBe(2);
    expect(Math.max(...ages)).toBe(6);
    const share = (age: number) => ages.filter((a) => a === age).length / ages.length;
    expect(share(2)).toBeLessThan(0.15);
    for (const age of [3, 4, 5]) expect(share(age)).toBeGreaterThan(0.25);
  });

  it('mostly live in the kindergarten’s county; 3-5 % have no ID number (证件类型 Z, no number)', () => {
    const withoutId = planned.filter((p) => !p.child.idNumber);
    expect(withoutId.length / planned.length).toBeGreaterThan(0.03);
    expect(withoutId.length / planned.length).toBeLessThan(0.05);
    expect(withoutId.every((p) => p.child.idType === 'Z')).toBe(true);
    const local = planned.filter((p) => p.child.idNumber?.startsWith('410102')).length;
    expect(local / planned.length).toBeGreaterThan(0.75);
    expect(planned.some((p) => p.child.idNumber && !p.child.idNumber.startsWith('41'))).toBe(true);
  });

  it('use code-table codes, in a central province’s proportions', () => {
    const fields = ['ethnicity', 'nationality', 'hkMacaoTaiwan', 'householdType', 'healthStatus', 'disabilityType', 'bloodType', 'leftBehind'] as const;
    const tables = { ethnicity: 'ethnicity', nationality: 'nationality', hkMacaoTaiwan: 'hkMacaoTaiwan', householdType: 'householdType', healthStatus: 'healthStatus', disabilityType: 'disabilityType', bloodType: 'bloodType', leftBehind: 'leftBehind' } as const;
    for (const { child } of planned) for (const field of fields) if (child[field] !== null) expect(lookupCode(tables[field], child[field]!)?.code).toBe(child[field]);
    const han = planned.filter((p) => p.child.ethnicity === '01').length / planned.length;
    expect(han).toBeGreaterThan(0.95);
    const surnames = new Map<string, number>();
    for (const { child } of planned) surnames.set(child.name[0]!, (surnames.get(child.name[0]!) ?? 0) + 1);
    // the five commonest surnames (王李张刘陈) cover about a third of the children
    const top = ['王', '李', '张', '刘', '陈'].reduce((n, s) => n + (surnames.get(s) ?? 0), 0) / planned.length;
    expect(top).toBeGreaterThan(0.25);
    expect(top).toBeLessThan(0.45);
  });

  it('are the same for the same seed', () => {
    expect(children(50, 11)).toEqual(children(50, 11));
    expect(children(50, 11)).not.toEqual(children(50, 12));
  });
});

describe('synthetic province: institutions and states', () => {
  const options = { province: '410000', children: 100_000, duplicateShare: 0.01, benchInstitutions: 5, benchChildren: 200 };
  const planned = planInstitutions(tree, options, new Random(3));

  it('are rows the registry sync accepts, in the province’s counties, with distinct codes', () => {
    for (const { entry } of planned) {
      const cells = { code: entry.code, name: entry.name, type: { kindergarten: '幼儿园', 'attached-kindergarten': '附设幼儿园', 'preschool-class': '学前班', 'primary-school': '小学' }[entry.type], divisionCode: entry.divisionCode, ownership: entry.ownership === 'public' ? '公办' : '民办', licence: entry.licence };
      expect(parseRegistryRow(2, cells, { provincePrefix: '41', isCounty: (code) => counties.some((c) => c.code === code) })).toEqual({ entry });
    }
    expect(new Set(planned.map((p) => p.entry.code)).size).toBe(planned.length);
  });

  it('hold the regular children: the bench children and the second records of shared ID numbers come on top', () => {
    const regular = planned.reduce((n, p) => n + p.size, 0);
    expect(regular).toBe(Math.round(100_000 * (1 - 0.005)) - 5 * 200);
    expect(regular / planned.length).toBeGreaterThan(150);
    expect(regular / planned.length).toBeLessThan(350);
    const bench = planned.filter((p) => p.bench);
    expect(bench).toHaveLength(5);
    expect(bench.every((p) => p.entry.type === 'kindergarten')).toBe(true);
    expect(new Set(bench.map((p) => p.entry.divisionCode)).size).toBe(5);
  });

  it('refuse a province too small for the bench kindergartens’ extra children', () => {
    expect(() => planInstitutions(tree, { ...options, children: 1000 }, new Random(3))).toThrow(/raise --children/);
  });

  it('refuse a province with fewer kindergartens than bench ones, instead of turning their children into shared ID numbers', () => {
    const small = { province: '410000', children: 40_000, duplicateShare: 0.01, benchInstitutions: 50, benchChildren: 600 };
    expect(() => planInstitutions(tree, small, new Random(3))).toThrow(/give only \d+ kindergartens for the 50 bench kindergartens.*raise --children to about \d+0000, or lower --bench-institutions/);
    // the suggested size does give them, with the regular children's share intact
    const suggested = Number(/about (\d+)/.exec(String((() => { try { planInstitutions(tree, small, new Random(3)); } catch (e) { return (e as Error).message; } return ''; })()))![1]);
    const plan = planInstitutions(tree, { ...small, children: suggested }, new Random(3));
    expect(plan.filter((p) => p.bench)).toHaveLength(50);
  });

  it('keep the states in one table, with shares that can be overridden', () => {
    expect(RECORD_STATES.numbered.steps).toEqual(['save', 'submit', 'deduplicate', 'approve']);
    const shares = parseStateShares('saved=0.5,numbered=0.5,dedupe-passed=0');
    expect(shares).toEqual({ saved: 0.5, submitted: 0, 'dedupe-passed': 0, numbered: 0.5 });
    const random = new Random(1);
    const drawn = Array.from({ length: 2000 }, () => stateTable(shares).draw(random));
    expect(drawn.filter((s) => s === 'saved').length / 2000).toBeCloseTo(0.5, 1);
    expect(() => parseStateShares('void=1')).toThrow(/unknown state/);
  });
});
