import type { FieldError } from '../../shared/domain/domain-error.js';
import { beijingDate, schoolYearStart } from '../../shared/time/beijing.js';
import { type CodeTableName, lookupCode } from './code-tables.js';
import { isRealDate, normaliseIdNumber, parseResidentIdNumber } from './id-number.js';

/** A guardian (监护人) as the template has them. */
export type Guardian = {
  name: string;
  relation: string;
  idType: string | null;
  idNumber: string | null;
  phone: string | null;
};

/**
 * The child's fields (domain.md section 4). The five key fields (关键信息) are name, gender,
 * birthDate, idType and idNumber; code fields hold codes of the tables in code-tables.json.
 */
export type ChildFields = {
  name: string;
  gender: string;
  birthDate: string;
  idType: string;
  idNumber: string | null;
  ethnicity: string | null;
  nationality: string | null;
  hkMacaoTaiwan: string | null;
  birthplaceCode: string | null;
  householdCode: string | null;
  householdType: string | null;
  address: string | null;
  healthStatus: string | null;
  disabilityType: string | null;
  bloodType: string | null;
  onlyChild: string | null;
  leftBehind: string | null;
  migrantWorkerChild: string | null;
  orphan: string | null;
  guardians: Guardian[];
};

export const KEY_FIELDS = ['name', 'gender', 'birthDate', 'idType', 'idNumber'] as const;
export type KeyInformation = Pick<ChildFields, (typeof KEY_FIELDS)[number]>;

const CODED: Array<[keyof ChildFields, CodeTableName, string]> = [
  ['nationality', 'nationality', '国籍/地区'],
  ['ethnicity', 'ethnicity', '民族'],
  ['hkMacaoTaiwan', 'hkMacaoTaiwan', '港澳台侨外'],
  ['householdType', 'householdType', '户口性质'],
  ['healthStatus', 'healthStatus', '健康状况'],
  ['disabilityType', 'disabilityType', '残疾幼儿类别'],
  ['bloodType', 'bloodType', '血型'],
  ['onlyChild', 'yesNo', '是否独生子女'],
  ['leftBehind', 'leftBehind', '是否留守儿童'],
  ['migrantWorkerChild', 'yesNo', '是否进城务工人员子女'],
  ['orphan', 'yesNo', '是否孤儿'],
];

const NAME = /^[\u4e00-\u9fff\u3400-\u4dbfA-Za-z·•.\s]{1,50}$/u;
const RESIDENT_ID = '1';
const OTHER_ID = 'Z';

export interface ChildValidation {
  errors: FieldError[];
  /** warnings the caller must confirm to go on (over-age) */
  warnings: FieldError[];
}

/** The school year that `at` falls in starts on 1 September of this year, Beijing time (kernel: shared/time/beijing.ts). */
export { schoolYearStart };

/** Age in whole years on a date (YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Children this process has already normalised, and the validation of each as of a time. Both
 * functions are pure, so a result is reused by object identity: an import validates a row while
 * parsing it and the decider would otherwise normalise and validate the same object again.
 */
const normalised = new WeakSet<ChildFields>();
/** A mobile number, or a landline with an optional area code and extension (issue 22, item 4: `abc` was saved). */
export const GUARDIAN_PHONE = /^(\+?86[ -]?)?(1[3-9][0-9]{9}|(0[0-9]{2,3}[ -]?)?[0-9]{7,8}([ -]?[0-9]{1,6})?)$/;

/** Below this age on 31 August a record asks for confirmation (学籍 begins at 3; 托班 takes 2-year-olds). */
export const UNDER_AGE = 2;

const validations = new WeakMap<ChildFields, { at: string; result: ChildValidation }>();

/**
 * Checks every field; each problem names its field, a stable code and a Chinese message.
 * A child already 6 on 31 August at the start of the school year is over-age: a warning,
 * not an error (data-standards.md section 5).
 */
export function validateChild(child: ChildFields, at: string): ChildValidation {
  const known = validations.get(child);
  if (known?.at === at) return known.result;
  const result = validateAsOf(child, at);
  validations.set(child, { at, result });
  return result;
}

function validateAsOf(child: ChildFields, at: string): ChildValidation {
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const fail = (field: string, code: string, message: string, value?: unknown) => errors.push({ field, code, message, ...(value !== undefined ? { value } : {}) });

  if (!child.name.trim()) fail('name', 'name-required', '姓名不能为空');
  else if (!NAME.test(child.name)) fail('name', 'name-characters', '姓名只能包含汉字、字母和间隔号“·”，最多 50 字', child.name);
  if (!lookupCode('gender', child.gender)) fail('gender', 'gender-code', '性别应为 1（男）或 2（女）', child.gender);
  // "today" is the registrar's date in China: at 07:00 in Beijing the UTC date is still yesterday
  const today = beijingDate(at);
  if (!isRealDate(child.birthDate)) fail('birthDate', 'birth-date-invalid', '出生日期不是有效日期，格式为 YYYY-MM-DD', child.birthDate);
  else if (child.birthDate > today) fail('birthDate', 'birth-date-future', '出生日期不能晚于今天', child.birthDate);

  if (!lookupCode('idType', child.idType)) {
    fail('idType', 'id-type-code', '身份证件类型不在代码表中（1 居民身份证 … Z 其他）', child.idType);
  } else if (child.idType === RESIDENT_ID) {
    if (!child.idNumber) fail('idNumber', 'id-number-required', '证件类型为居民身份证时必须填写身份证号码');
    else {
      const parsed = parseResidentIdNumber(child.idNumber);
      if (!parsed.ok) fail('idNumber', parsed.problem.code, parsed.problem.message, child.idNumber);
      else {
        if (isRealDate(child.birthDate) && parsed.id.birthDate !== child.birthDate) {
          fail('birthDate', 'birth-date-mismatch', `出生日期与身份证号码不一致：号码中的出生日期为 ${parsed.id.birthDate}`, child.birthDate);
        }
        const genderCode = parsed.id.gender === 'male' ? '1' : '2';
        if (lookupCode('gender', child.gender) && child.gender !== genderCode) {
          fail('gender', 'gender-mismatch', `性别与身份证号码不一致：号码第 17 位表示${genderCode === '1' ? '男' : '女'}`, child.gender);
        }
      }
    }
  } else if (child.idType !== OTHER_ID && !child.idNumber) {
    fail('idNumber', 'id-number-required', '请填写证件号码（只有证件类型为“其他”时可以不填）');
  } else if (child.idNumber && child.idNumber.length > 30) {
    fail('idNumber', 'id-number-too-long', '证件号码不能超过 30 位', child.idNumber);
  }

  if (!child.nationality) fail('nationality', 'nationality-required', '请填写国籍/地区（中国为 CHN-中国）');
  for (const [field, table, label] of CODED) {
    const value = child[field];
    if (typeof value === 'string' && value !== '' && !lookupCode(table, value)) fail(field, 'unknown-code', `${label}“${value}”不在代码表中`, value);
  }
  for (const [field, label] of [['birthplaceCode', '出生所在地'], ['householdCode', '户口所在地']] as const) {
    const value = child[field];
    if (value !== null && !/^\d{6}(\d{6})?$/.test(value)) fail(field, 'division-code', `${label}应为 6 位或 12 位区划代码`, value);
  }
  if (child.address !== null && child.address.length > 200) fail('address', 'address-too-long', '现住址不能超过 200 字');
  child.guardians.forEach((g, i) => {
    if (!g.name.trim()) fail(`guardians[${i}].name`, 'guardian-name-required', `第 ${i + 1} 位监护人的姓名不能为空`);
    if (g.phone && !GUARDIAN_PHONE.test(g.phone)) fail(`guardians[${i}].phone`, 'guardian-phone', `第 ${i + 1} 位监护人的联系电话应为手机号（11 位）或固定电话（区号-号码），例如 13800000000 或 0371-66000000`, g.phone);
    if (g.idType === RESIDENT_ID && g.idNumber) {
      const parsed = parseResidentIdNumber(g.idNumber);
      if (!parsed.ok) fail(`guardians[${i}].idNumber`, parsed.problem.code, `第 ${i + 1} 位监护人：${parsed.problem.message}`, g.idNumber);
    }
  });

  const age = errors.length === 0 ? ageOn(child.birthDate, `${schoolYearStart(at)}-08-31`) : null;
  if (age !== null && age >= 6) {
    warnings.push({ field: 'birthDate', code: 'over-age', message: `该幼儿在 ${schoolYearStart(at)} 年 8 月 31 日已满 6 周岁（超龄），确认无误后请勾选“确认超龄”再保存`, value: child.birthDate });
  }
  // even a 托班 starts at 2: a younger child is most likely a mistyped birth year (issue 22, item 4)
  if (age !== null && age < UNDER_AGE) {
    warnings.push({ field: 'birthDate', code: 'under-age', message: `该幼儿在 ${schoolYearStart(at)} 年 8 月 31 日未满 ${UNDER_AGE} 周岁，请核对出生日期；确认无误后请勾选“确认超龄”（确认年龄，confirmOverAge）再保存`, value: child.birthDate });
  }
  return { errors, warnings };
}

const blankToNull = (value: string | null): string | null => (value === null || value.trim() === '' ? null : value.trim());

/**
 * What is stored: trimmed text, ID numbers without spaces and with an upper-case X, codes as
 * codes (a label or dropdown text that names a code becomes the code; anything else is kept
 * for validation to report).
 */
export function normaliseChild(child: ChildFields): ChildFields {
  if (normalised.has(child)) return child;
  const result = normaliseFields(child);
  normalised.add(result);
  return result;
}

function normaliseFields(child: ChildFields): ChildFields {
  const coded = Object.fromEntries(
    CODED.map(([field, table]) => {
      const value = blankToNull(child[field] as string | null);
      return [field, value === null ? null : (lookupCode(table, value)?.code ?? value)];
    }),
  );
  const gender = lookupCode('gender', child.gender.trim())?.code ?? child.gender.trim();
  const idType = lookupCode('idType', child.idType.trim())?.code ?? child.idType.trim();
  const idNumber = blankToNull(child.idNumber);
  return {
    ...child,
    ...coded,
    name: child.name.trim().replace(/\s+/g, ' '),
    gender,
    idType,
    idNumber: idNumber === null ? null : normaliseIdNumber(idNumber),
    birthplaceCode: blankToNull(child.birthplaceCode),
    householdCode: blankToNull(child.householdCode),
    address: blankToNull(child.address),
    guardians: child.guardians.map((g) => ({ ...g, name: g.name.trim(), idNumber: blankToNull(g.idNumber) && normaliseIdNumber(g.idNumber!), phone: blankToNull(g.phone) })),
  };
}

/** The de-duplication key (domain.md section 5): the normalised ID number, or name + gender + birth date within the institution. */
export function dedupeKey(child: KeyInformation, institutionCode: string): string {
  return child.idNumber ? `id:${child.idNumber}` : `nid:${institutionCode}:${child.name.replace(/\s+/g, '')}:${child.gender}:${child.birthDate}`;
}
