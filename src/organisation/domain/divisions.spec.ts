import { describe, expect, it } from '@jest/globals';
import { type Division, DivisionTree, defaultDivisionTree } from './divisions.js';

const tree = defaultDivisionTree();
const codes = (list: Division[]) => list.map((d) => d.code);
const countLevel = (level: Division['level']) => tree.all().filter((d) => d.level === level).length;

describe('shipped GB/T 2260 divisions', () => {
  it('has plausible counts', () => {
    expect(countLevel('province')).toBe(34);
    expect(countLevel('prefecture')).toBeGreaterThan(330);
    expect(countLevel('county')).toBeGreaterThan(2800);
    expect(countLevel('county')).toBeLessThan(3000);
  });

  it('contains no NBS functional zones (county digits 7x)', () => {
    expect(tree.has('130171')).toBe(false);
    expect(tree.all().filter((d) => d.level === 'county' && d.code[4] === '7')).toEqual([]);
  });

  it('adds Taiwan, Hong Kong and Macao as provinces', () => {
    expect(tree.get('710000')).toEqual({ code: '710000', name: '台湾省', level: 'province', parent: null });
    expect(tree.get('810000')?.name).toBe('香港特别行政区');
    expect(tree.get('820000')?.name).toBe('澳门特别行政区');
  });

  it('places 410102 中原区 under 410100 郑州市 under 410000 河南省', () => {
    expect(tree.get('410102')).toEqual({ code: '410102', name: '中原区', level: 'county', parent: '410100' });
    expect(tree.get('410100')).toMatchObject({ name: '郑州市', level: 'prefecture', parent: '410000' });
    expect(tree.get('410000')).toMatchObject({ name: '河南省', level: 'province', parent: null });
    expect(codes(tree.children('410100'))).toContain('410102');
    expect(codes(tree.children('410000'))).toContain('410100');
  });

  it('keeps municipality placeholders named after the municipality', () => {
    expect(tree.get('110100')).toMatchObject({ name: '北京市', level: 'prefecture', parent: '110000', placeholder: true });
    expect(tree.get('110101')).toMatchObject({ name: '东城区', parent: '110100' });
    expect(tree.get('500100')).toMatchObject({ name: '重庆市', placeholder: true });
    expect(tree.get('410100')?.placeholder).toBeUndefined();
  });

  it('writes full names without placeholder prefectures: no «北京市北京市», no «省直辖县级行政区划»', () => {
    expect(tree.fullName('110101')).toBe('北京市东城区');
    expect(tree.fullName('500101')).toBe('重庆市万州区');
    expect(tree.fullName('419001')).toBe('河南省济源市');
    expect(tree.fullName('410102')).toBe('河南省郑州市中原区');
    const counties = tree.all().filter((d) => d.level === 'county').map((d) => tree.fullName(d.code));
    expect(counties.filter((name) => /^(北京市|天津市|上海市|重庆市)\1/.test(name))).toEqual([]);
  });

  it('keeps directly administered county-level units under a placeholder prefecture', () => {
    expect(tree.get('419000')).toMatchObject({ name: '省直辖县级行政区划', placeholder: true });
    expect(tree.get('419001')).toMatchObject({ name: '济源市', parent: '419000' });
    expect(tree.get('659000')).toMatchObject({ name: '自治区直辖县级行政区划', placeholder: true });
  });

  it('contains 659012 白杨市 (new in the 2023 data)', () => {
    expect(tree.get('659012')).toMatchObject({ name: '白杨市', level: 'county', parent: '659000' });
  });

  it('keeps prefecture-level cities without counties only once', () => {
    expect(tree.get('441900')).toMatchObject({ name: '东莞市', level: 'prefecture' });
    expect(tree.children('441900')).toEqual([]);
  });
});

describe('DivisionTree navigation', () => {
  it('lists ancestors nearest first and the path province first', () => {
    expect(codes(tree.ancestors('410102'))).toEqual(['410100', '410000']);
    expect(codes(tree.path('410102'))).toEqual(['410000', '410100', '410102']);
    expect(codes(tree.path('410000'))).toEqual(['410000']);
    expect(tree.ancestors('410000')).toEqual([]);
    expect(tree.ancestors('999999')).toEqual([]);
    expect(tree.path('999999')).toEqual([]);
    expect(tree.provinceOf('110101')?.name).toBe('北京市');
    expect(tree.provinceOf('999999')).toBeUndefined();
  });

  it('answers isWithin for self, ancestors and strangers', () => {
    expect(tree.isWithin('410102', '410102')).toBe(true);
    expect(tree.isWithin('410102', '410100')).toBe(true);
    expect(tree.isWithin('410102', '410000')).toBe(true);
    expect(tree.isWithin('410100', '410102')).toBe(false);
    expect(tree.isWithin('410102', '410300')).toBe(false);
    expect(tree.isWithin('410102', '110000')).toBe(false);
    expect(tree.isWithin('999999', '410000')).toBe(false);
  });

  it('finds the lowest common ancestor', () => {
    expect(tree.lowestCommonAncestor('410102', '410103')?.code).toBe('410100');
    expect(tree.lowestCommonAncestor('410102', '410302')?.code).toBe('410000');
    expect(tree.lowestCommonAncestor('410102', '110101')).toBeNull();
    expect(tree.lowestCommonAncestor('410102', '410100')?.code).toBe('410100');
    expect(tree.lowestCommonAncestor('410102', '410102')?.code).toBe('410102');
    expect(tree.lowestCommonAncestor('410102', '999999')).toBeNull();
  });

  it('validates division codes', () => {
    expect(DivisionTree.isDivisionCode('410102')).toBe(true);
    expect(DivisionTree.isDivisionCode('4101')).toBe(false);
    expect(DivisionTree.isDivisionCode('41010a')).toBe(false);
    expect(DivisionTree.isDivisionCode('4101020')).toBe(false);
  });

  it('returns the cached default tree', () => {
    expect(defaultDivisionTree()).toBe(tree);
  });
});

describe('DivisionTree.withCustom', () => {
  const zone: Division = { code: '410171', name: '郑州经济技术开发区', level: 'county', parent: '410100' };

  it('adds a custom county-level zone in a new tree', () => {
    const extended = tree.withCustom(zone);
    expect(extended.get('410171')).toEqual({ ...zone, custom: true });
    expect(codes(extended.children('410100'))).toContain('410171');
    expect(codes(extended.path('410171'))).toEqual(['410000', '410100', '410171']);
    expect(extended.isWithin('410171', '410000')).toBe(true);
    expect(tree.has('410171')).toBe(false);
  });

  it('accepts a placeholder prefecture as parent', () => {
    const extended = tree.withCustom({ code: '110171', name: '北京经济技术开发区', level: 'county', parent: '110100' });
    expect(extended.get('110171')?.custom).toBe(true);
  });

  it('refuses invalid custom divisions', () => {
    expect(() => tree.withCustom({ ...zone, code: '41017' })).toThrow('6 位数字');
    expect(() => tree.withCustom({ ...zone, code: '410102' })).toThrow('已被使用');
    expect(() => tree.withCustom(zone).withCustom(zone)).toThrow('已被使用');
    expect(() => tree.withCustom({ ...zone, parent: '419900' })).toThrow('不存在');
    expect(() => tree.withCustom({ ...zone, parent: '410000' })).toThrow('不是地级区划');
    expect(() => tree.withCustom({ ...zone, parent: '410102' })).toThrow('不是地级区划');
    expect(() => tree.withCustom({ ...zone, parent: null })).toThrow('上级地级区划');
    expect(() => tree.withCustom({ ...zone, parent: '410300' })).toThrow('前 4 位');
    expect(() => tree.withCustom({ ...zone, name: ' ' })).toThrow('名称');
    expect(() => tree.withCustom({ ...zone, level: 'prefecture' })).toThrow('县级');
  });
});

describe('DivisionTree construction', () => {
  it('rejects duplicate codes and dangling parents', () => {
    const province: Division = { code: '410000', name: '河南省', level: 'province', parent: null };
    expect(() => new DivisionTree([province, province])).toThrow('重复');
    expect(() => new DivisionTree([{ code: '410100', name: '郑州市', level: 'prefecture', parent: '410000' }])).toThrow('不存在');
  });
});
