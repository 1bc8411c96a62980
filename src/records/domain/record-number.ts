import { checkCharacter, isRealDate } from './id-number.js';

/**
 * Record numbers (学籍号, data-standards.md section 1): "G" + the resident ID number for a child
 * with one; for a child without, the J scheme: J + 6-digit area code + 8-digit birth date +
 * 3-digit sequence + 1 check character (computed like an ID number's). One person, one number:
 * a number is never reused, which the issuing stream per number enforces, not this function.
 */
export const RECORD_NUMBER = /^[GJL][0-9]{17}[0-9X]$/;

export function gRecordNumber(residentIdNumber: string): string {
  return `G${residentIdNumber}`;
}

/** The J number for an area, a birth date (YYYY-MM-DD) and a sequence 1..999. */
export function jRecordNumber(areaCode: string, birthDate: string, sequence: number): string {
  if (!/^\d{6}$/.test(areaCode)) throw new Error(`J 号的地区代码应为 6 位数字：${areaCode}`);
  if (!isRealDate(birthDate)) throw new Error(`J 号的出生日期无效：${birthDate}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) throw new Error(`J 号的顺序号应为 1-999：${sequence}`);
  const first17 = `${areaCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return `J${first17}${checkCharacter(first17)}`;
}

/** The stream that reserves J numbers of one area and birth date: sequences are handed out in order. */
export const jSequenceStream = (areaCode: string, birthDate: string): string => `record-number-j-${areaCode}-${birthDate.replaceAll('-', '')}`;
