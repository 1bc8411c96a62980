import { describe, expect, it } from '@jest/globals';
import { checkCharacter, isRealDate, maskBirthDate, maskIdNumber, normaliseIdNumber, parseResidentIdNumber } from './id-number.js';
import { RECORD_NUMBER, gRecordNumber, jRecordNumber } from './record-number.js';

describe('resident ID numbers (GB 11643)', () => {
  it('accepts the numbers verified in data-standards.md, and reads birth date and gender', () => {
    for (const value of ['11010519491231002X', '440524188001010014', '34052419800101001X', '370101190102039973']) {
      expect(parseResidentIdNumber(value).ok).toBe(true);
    }
    expect(parseResidentIdNumber('11010519491231002X')).toEqual({ ok: true, id: { value: '11010519491231002X', birthDate: '1949-12-31', gender: 'female' } });
  });

  it('accepts what registrars type: full-width digits, spaces, a lower-case x', () => {
    expect(normaliseIdNumber(' １１０１０５ 1949 1231 002x ')).toBe('11010519491231002X');
    expect(parseResidentIdNumber('１１０１０５１９４９１２３１００２ｘ')).toMatchObject({ ok: true, id: { value: '11010519491231002X' } });
  });

  it('explains every refusal in Chinese with a stable code', () => {
    expect(parseResidentIdNumber('1101051949123100')).toMatchObject({ ok: false, problem: { code: 'id-number-format' } });
    expect(parseResidentIdNumber('00010519491231002X')).toMatchObject({ ok: false, problem: { code: 'id-number-province' } });
    expect(parseResidentIdNumber('110105'.concat('20230230', '0021'))).toMatchObject({ ok: false, problem: { code: 'id-number-birth-date' } });
    const wrong = parseResidentIdNumber('110105194912310021');
    expect(wrong).toMatchObject({ ok: false, problem: { code: 'id-number-check-digit' } });
    if (!wrong.ok) expect(wrong.problem.message).toMatch(/最后一位应为 X/);
  });

  it('computes the MOD 11-2 check character and real dates', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2023-13-01')).toBe(false);
  });

  it('masks ID numbers in lists', () => {
    expect(maskIdNumber('410102202001011234')).toBe('410102************');
    expect(maskIdNumber('E12345678')).toBe('E1*******');
    expect(maskBirthDate('2020-01-01')).toBe('2020-01');
  });
});

describe('record numbers', () => {
  it('issues G + ID number for a resident ID', () => {
    expect(gRecordNumber('11010519491231002X')).toBe('G11010519491231002X');
    expect(RECORD_NUMBER.test(gRecordNumber('11010519491231002X'))).toBe(true);
  });

  it('issues a J number with area, birth date, sequence and a valid check character', () => {
    const j = jRecordNumber('410102', '2022-03-15', 7);
    expect(j).toMatch(/^J41010220220315007[0-9X]$/);
    expect(RECORD_NUMBER.test(j)).toBe(true);
    expect(parseResidentIdNumber(j.slice(1)).ok).toBe(true); // it follows the ID coding rules
    expect(() => jRecordNumber('410102', '2022-02-30', 1)).toThrow(/出生日期/);
    expect(() => jRecordNumber('410102', '2022-03-15', 1000)).toThrow(/顺序号/);
  });
});
