import { describe, expect, it } from '@jest/globals';
import { KEY_COLUMNS, keyColumnForHeader, parseKeyRow } from './key-row.js';

const at = '2026-09-05T02:00:00.000Z';

describe('the key fields as a spreadsheet row (the hand-over pupil list)', () => {
  it('has the five key columns in template order, with the dropdown texts of the coded ones', () => {
    expect(KEY_COLUMNS.map((c) => c.header)).toEqual(['姓名', '性别', '出生日期', '身份证件类型', '身份证件号码']);
    expect(KEY_COLUMNS.find((c) => c.key === 'gender')!.choices).toEqual(['1-男', '2-女']);
    expect(keyColumnForHeader('身份证号 *')).toBe('idNumber');
    expect(keyColumnForHeader('民族')).toBeUndefined();
  });

  it('accepts what registrars type (full-width digits, text dates, labels) and normalises it', () => {
    expect(parseKeyRow(2, { name: ' 王小明 ', gender: '男', birthDate: '2020年3月15日', idType: '居民身份证', idNumber: '４１０１０２２０２００３１５００１３' }, at)).toEqual({
      ok: true, key: { name: '王小明', gender: '1', birthDate: '2020-03-15', idType: '1', idNumber: '410102202003150013' },
    });
  });

  it('explains every refusal on its column; a six-year-old is no over-age question here', () => {
    const result = parseKeyRow(3, { name: '王小明', gender: '1', birthDate: '2020-03-16', idType: '1', idNumber: '410102202003150014' }, at);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([[3, '身份证件号码', 'id-number-check-digit']]);
    expect(parseKeyRow(4, { name: '', gender: '1', birthDate: '2020-03-16', idType: 'Z' }, at)).toMatchObject({ ok: false, issues: [{ column: '姓名', code: 'name-required' }] });
  });
});
