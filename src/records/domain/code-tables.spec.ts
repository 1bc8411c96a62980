import { describe, expect, it } from '@jest/globals';
import { codeTable, dropdownText, lookupCode } from './code-tables.js';

describe('code tables', () => {
  it('ships the GB/T 3304 ethnicity table with 56 groups plus 97 and 98 (never 57/58)', () => {
    const ethnicity = codeTable('ethnicity');
    expect(ethnicity).toHaveLength(58);
    expect(ethnicity.map((e) => e.code)).not.toContain('57');
    expect(dropdownText(ethnicity[0]!)).toBe('01-汉族');
  });

  it('finds what registrars type: code, label, dropdown text, alias, full-width, missing leading zero', () => {
    expect(lookupCode('ethnicity', '01')?.label).toBe('汉族');
    expect(lookupCode('ethnicity', '汉族')?.code).toBe('01');
    expect(lookupCode('ethnicity', '03-回族')?.code).toBe('03');
    expect(lookupCode('ethnicity', '毛难族')?.code).toBe('36');
    expect(lookupCode('ethnicity', '１')?.code).toBe('01');
    expect(lookupCode('idType', 'a')?.label).toBe('护照');
    expect(lookupCode('gender', ' 女 ')?.code).toBe('2');
  });

  it('finds nothing for codes and labels that are not in the table, or that disagree', () => {
    expect(lookupCode('ethnicity', '57')).toBeUndefined();
    expect(lookupCode('ethnicity', '01-回族')).toBeUndefined();
    expect(lookupCode('bloodType', '')).toBeUndefined();
    expect(lookupCode('gender', '0')).toBeUndefined();
  });
});
