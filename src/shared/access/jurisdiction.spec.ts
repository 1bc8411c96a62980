import { describe, expect, it } from '@jest/globals';
import {
  type Level, type Placement, administeredFilter, administers, covers, divisionPrefix, jurisdictionFilter, oneWithin,
  prefectureCodeOf, provinceCodeOf, sameOrganisation, withinDivision,
} from './jurisdiction.js';

const at = (level: Level, divisionCode: string, institutionCode: string | null = null): Placement => ({ level, divisionCode, institutionCode });

// 河南省 410000 > 郑州市 410100 > 中原区 410102 (幼儿园 1141010001, 1141010002) and 二七区 410103 (1141010004);
// 开封市 410200 > 龙亭区 410202; 湖北省 420000
const ministry = at('ministry', '000000');
const henan = at('province', '410000');
const hubei = at('province', '420000');
const zhengzhou = at('prefecture', '410100');
const kaifeng = at('prefecture', '410200');
const zhongyuan = at('county', '410102');
const erqi = at('county', '410103');
const kg1 = at('institution', '410102', '1141010001');
const kg2 = at('institution', '410102', '1141010002');
const kg4 = at('institution', '410103', '1141010004');
const everyone = { ministry, henan, hubei, zhengzhou, kaifeng, zhongyuan, erqi, kg1, kg2, kg4 };

describe('division codes nest by prefix', () => {
  it('a division covers itself and what lies below it; the ministry covers all', () => {
    expect(['000000', '410000', '410100', '410102'].map(divisionPrefix)).toEqual(['', '41', '4101', '410102']);
    expect(withinDivision('410102', '410000')).toBe(true);
    expect(withinDivision('410102', '410100')).toBe(true);
    expect(withinDivision('410102', '410102')).toBe(true);
    expect(withinDivision('420102', '000000')).toBe(true);
    expect(withinDivision('410202', '410100')).toBe(false);
    expect(withinDivision('410103', '410102')).toBe(false);
    expect(withinDivision('410000', '410100')).toBe(false);
  });
  it('names the province and prefecture of a code', () => {
    expect(provinceCodeOf('410102')).toBe('410000');
    expect(prefectureCodeOf('410102')).toBe('410100');
  });
});

describe('what a caller sees (covers and its read-model filter agree)', () => {
  const things = [
    { divisionCode: '410102', institutionCode: '1141010001' },
    { divisionCode: '410102', institutionCode: '1141010002' },
    { divisionCode: '410102', institutionCode: null },
    { divisionCode: '410103', institutionCode: '1141010004' },
    { divisionCode: '410202', institutionCode: '1141020001' },
    { divisionCode: '420102', institutionCode: '1142010001' },
  ];
  // what each caller sees of the six things above, in order
  const sees: Record<keyof typeof everyone, boolean[]> = {
    ministry: [true, true, true, true, true, true],
    henan: [true, true, true, true, true, false],
    hubei: [false, false, false, false, false, true],
    zhengzhou: [true, true, true, true, false, false],
    kaifeng: [false, false, false, false, true, false],
    zhongyuan: [true, true, true, false, false, false],
    erqi: [false, false, false, true, false, false],
    kg1: [true, false, false, false, false, false],
    kg2: [false, true, false, false, false, false],
    kg4: [false, false, false, true, false, false],
  };
  const matches = (filter: ReturnType<typeof jurisdictionFilter>, thing: Record<string, unknown>): boolean =>
    Object.entries(filter).every(([field, condition]) => {
      const value = String(thing[field]);
      return typeof condition === 'object' && condition !== null && '$prefix' in condition ? value.startsWith(condition.$prefix) : value === condition;
    });
  for (const [name, caller] of Object.entries(everyone)) {
    it(`${name}`, () => {
      expect(things.map((t) => covers(caller, t))).toEqual(sees[name as keyof typeof everyone]);
      expect(things.map((t) => matches(jurisdictionFilter(caller, 'institutionCode'), t))).toEqual(sees[name as keyof typeof everyone]);
    });
  }
  it('an institution without its code sees nothing', () => {
    expect(covers(at('institution', '410102', null), { divisionCode: '410102', institutionCode: null })).toBe(false);
    expect(jurisdictionFilter(at('institution', '410102', null), 'institutionCode')).toEqual({ institutionCode: '-' });
  });
  it('institution-keyed collections name the institution field; one document stays pinned to the caller', () => {
    expect(jurisdictionFilter(kg1, 'id')).toEqual({ id: '1141010001' });
    expect(oneWithin(kg1, '1141010001')).toEqual({ id: '1141010001' });
    expect(oneWithin(kg1, '1141010002')).toBeNull();
    expect(oneWithin(zhongyuan, '1141010002')).toEqual({ divisionCode: '410102', id: '1141010002' });
    expect(oneWithin(ministry, '1141010002')).toEqual({ id: '1141010002' });
  });
});

describe('whose accounts an administrator acts on (issue 20: own organisation and the levels below)', () => {
  it('its own organisation', () => {
    for (const p of Object.values(everyone)) expect(administers(p, { ...p })).toBe(true);
    expect(sameOrganisation(kg1, kg2)).toBe(false);
  });
  it('the levels below it within its jurisdiction', () => {
    expect(administers(ministry, hubei)).toBe(true);
    expect(administers(henan, kg4)).toBe(true);
    expect(administers(zhengzhou, erqi)).toBe(true);
    expect(administers(zhongyuan, kg1)).toBe(true);
    expect(administers(zhongyuan, kg2)).toBe(true);
  });
  it('never another organisation of its own level, though it carries the same division code', () => {
    expect(administers(kg1, kg2)).toBe(false);
    expect(administers(zhongyuan, erqi)).toBe(false);
    expect(administers(henan, hubei)).toBe(false);
  });
  it('never a level above, nor below outside its jurisdiction', () => {
    expect(administers(kg1, zhongyuan)).toBe(false);
    expect(administers(kg1, zhengzhou)).toBe(false);
    expect(administers(zhongyuan, zhengzhou)).toBe(false);
    expect(administers(henan, ministry)).toBe(false);
    expect(administers(erqi, kg1)).toBe(false);
    expect(administers(kaifeng, zhongyuan)).toBe(false);
  });
  it('the accounts filter: an institution its own accounts, an office its division', () => {
    expect(administeredFilter(kg1)).toEqual({ institutionCode: '1141010001' });
    expect(administeredFilter(zhongyuan)).toEqual({ divisionCode: '410102' });
    expect(administeredFilter(zhengzhou)).toEqual({ divisionCode: { $prefix: '4101' } });
    expect(administeredFilter(ministry)).toEqual({});
  });
});
