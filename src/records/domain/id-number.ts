/**
 * Resident ID numbers (GB 11643-1999 公民身份号码): 6-digit address code, 8-digit birth date,
 * 3-digit sequence (odd = male, even = female), ISO 7064 MOD 11-2 check character.
 * data-standards.md section 2. Pure functions, no I/O.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
// province part of the address code: only this is checked, an ID keeps its original (possibly abolished) county code
const PROVINCES = /^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3]|9[0-9])/;

/** What registrars really type: full-width digits and letters, spaces, a lower-case x. */
export function normaliseIdNumber(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, '')
    .toUpperCase();
}

/** The ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

export type IdNumberProblem =
  | { code: 'id-number-format'; message: string }
  | { code: 'id-number-province'; message: string }
  | { code: 'id-number-birth-date'; message: string }
  | { code: 'id-number-check-digit'; message: string };

export interface ResidentIdNumber {
  value: string;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: 'male' | 'female';
}

/** Parses a normalised 18-character number, or says (in Chinese) what is wrong with it. */
export function parseResidentIdNumber(input: string): { ok: true; id: ResidentIdNumber } | { ok: false; problem: IdNumberProblem } {
  const value = normaliseIdNumber(input);
  if (!/^\d{17}[\dX]$/.test(value)) {
    return { ok: false, problem: { code: 'id-number-format', message: `居民身份证号码应为 18 位：17 位数字加 1 位数字或 X（现为 ${value.length} 位）` } };
  }
  if (!PROVINCES.test(value)) return { ok: false, problem: { code: 'id-number-province', message: `身份证号码前 2 位 ${value.slice(0, 2)} 不是有效的省级代码` } };
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isRealDate(birthDate)) return { ok: false, problem: { code: 'id-number-birth-date', message: `身份证号码中的出生日期 ${value.slice(6, 14)} 不是有效日期` } };
  const expected = checkCharacter(value.slice(0, 17));
  if (value[17] !== expected) {
    return { ok: false, problem: { code: 'id-number-check-digit', message: `身份证号码校验位错误：最后一位应为 ${expected}，请核对号码是否抄错` } };
  }
  return { ok: true, id: { value, birthDate, gender: Number(value[16]) % 2 === 1 ? 'male' : 'female' } };
}

/** A real calendar date in YYYY-MM-DD (1800-2100: an ID number is checked as a number; age rules live elsewhere). */
export function isRealDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1800 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * An ID number for a caller who may not see it (ADR 22): a resident ID number keeps its area code
 * (the first 6 characters, which the answer's division codes give away anyway) and nothing else:
 * the birth date, the sequence and the check character are what tells one child from another.
 * Together with the birth month only (`maskBirthDate`) at least 28 x 500 = 14,000 numbers remain
 * possible. Other documents keep their first 2 characters at most.
 */
export function maskIdNumber(value: string): string {
  const keep = /^\d{17}[\dX]$/.test(value) ? 6 : Math.min(2, Math.floor(value.length / 4));
  return `${value.slice(0, keep)}${'*'.repeat(value.length - keep)}`;
}

/** A birth date for a caller who may not see ID numbers: year and month (YYYY-MM), see maskIdNumber. */
export function maskBirthDate(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.slice(0, 7) : value;
}
