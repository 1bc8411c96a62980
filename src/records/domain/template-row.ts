// One data row of the import template to child fields, accepting what registrars really type
// (full-width digits, dates in the usual Chinese forms, labels instead of codes) and reporting
// every problem of the row at once, on the column a registrar sees, with the value as typed.
import type { FieldError } from '../../shared/domain/domain-error.js';
import { halfWidth } from '../../shared/spreadsheets/cell-values.js';
import { type ChildFields, type Guardian, normaliseChild, schoolYearStart, validateChild } from './child.js';
import { type CodeEntry, type CodeTableName, codeTable, dropdownText, lookupCode } from './code-tables.js';
import { normaliseIdNumber } from './id-number.js';
import { COLUMN_BY_KEY, type ColumnKey, type GuardianPart, TEMPLATE_COLUMNS, hasCodeTable } from './template-columns.js';

export interface ImportIssue {
  /** 1-based Excel row number */
  row: number;
  /** the Chinese header of the column */
  column: string;
  /** the cell as typed */
  value: string;
  /** stable English code */
  code: string;
  /** Chinese, what to change */
  reason: string;
}

export type TemplateRowResult =
  | { ok: true; child: ChildFields; confirmOverAge: boolean; overAge: boolean }
  | { ok: false; issues: ImportIssue[] };

export type TemplateCells = Partial<Record<ColumnKey, unknown>>;

const GUARDIAN_PARTS: readonly GuardianPart[] = ['Name', 'Relation', 'IdType', 'IdNumber', 'Phone'];
const COLUMN_ORDER = new Map(TEMPLATE_COLUMNS.map((c, i) => [c.key, i]));
const NATIONALITY_TABLE: CodeTableName | undefined = hasCodeTable('nationality') ? 'nationality' : undefined;


const pad = (n: number): string => String(n).padStart(2, '0');
const utcDate = (d: Date): string => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The cell as the registrar typed it, as text (for messages and the validation log). */
export function rawText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : utcDate(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    // a cell value the reader did not flatten: rich text, formula, hyperlink, error
    const v = value as { richText?: Array<{ text?: string }>; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if (v.text !== undefined) return rawText(v.text);
    if (v.result !== undefined) return rawText(v.result);
    if (v.error !== undefined) return String(v.error);
  }
  return String(value);
}

// what needs cleaning: full-width characters, and spaces other than single ones between words
const UNCLEAN = /[\uFF01-\uFF5E\u3000]|\s\s|^\s|\s$|[^\S ]/;

/** Trimmed, spaces collapsed, full-width folded. */
const clean = (value: unknown): string => {
  const text = rawText(value);
  return UNCLEAN.test(text) ? halfWidth(text).replace(/\s+/g, ' ').trim() : text;
};

export const isBlankRow = (cells: TemplateCells): boolean => Object.values(cells).every((v) => clean(v) === '');


const DATE_FORMATS = '2022-03-15、2022/3/15、2022.3.15、20220315、2022年3月15日，或设置为 Excel 日期';
const EXCEL_EPOCH = Date.UTC(1899, 11, 30); // serial 1 = 1900-01-01 (Excel's 1900 leap-year bug only affects dates before March 1900)
const DAY = 86_400_000;

type ParsedDate = { ok: true; date: string } | { ok: false; code: string; reason: string };

function fromParts(year: number, month: number, day: number, typed: string): ParsedDate {
  if (year < 1900 || year > 2100) return { ok: false, code: 'birth-date-format', reason: `出生日期“${typed}”的年份 ${year} 不对，请核对` };
  if (month < 1 || month > 12) return { ok: false, code: 'birth-date-not-exist', reason: `出生日期“${typed}”不存在：没有 ${month} 月，请核对` };
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return { ok: false, code: 'birth-date-not-exist', reason: `出生日期“${typed}”不存在：${year} 年 ${month} 月没有 ${day} 日，请核对` };
  return { ok: true, date: `${year}-${pad(month)}-${pad(day)}` };
}

const fromSerial = (serial: number): ParsedDate => ({ ok: true, date: utcDate(new Date(EXCEL_EPOCH + Math.floor(serial) * DAY)) });

/**
 * A date cell: an Excel date (exceljs gives a Date at UTC midnight), an Excel serial number, or
 * text in the forms registrars use. Undefined when the cell is blank.
 */
export function parseTemplateDate(value: unknown): ParsedDate | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { ok: false, code: 'birth-date-format', reason: `无法识别的出生日期，请写成 ${DATE_FORMATS}` } : { ok: true, date: utcDate(value) };
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 19000101 && value <= 21001231) return fromParts(Math.floor(value / 10000), Math.floor(value / 100) % 100, value % 100, String(value));
    if (value >= 1 && value < 73051) return fromSerial(value); // serial up to 2099-12-31
    return { ok: false, code: 'birth-date-format', reason: `无法识别的出生日期“${value}”，请写成 ${DATE_FORMATS}` };
  }
  const typed = clean(value);
  if (!typed) return undefined;
  // a time part pasted from another system is dropped
  const text = typed.replace(/(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?$/, '').replace(/\s*([-/.年月日号])\s*/g, '$1');
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return fromParts(Number(m[1]), Number(m[2]), Number(m[3]), typed);
  m = /^(\d{5})(?:\.\d+)?$/.exec(text); // a serial pasted as text
  if (m) return fromSerial(Number(m[1]));
  return { ok: false, code: 'birth-date-format', reason: `无法识别的出生日期“${typed}”，请写成 ${DATE_FORMATS}` };
}

const YES = /^(是|Y|YES|TRUE|√|✓|✔)$/i;
const NO = /^(否|N|NO|FALSE|×|✗)$/i;
const yesNoWord = (text: string): CodeEntry | undefined =>
  YES.test(text) ? codeTable('yesNo').find((e) => e.code === '1') : NO.test(text) ? codeTable('yesNo').find((e) => e.code === '0') : undefined;

// a file repeats the same few spellings ("1-男", "01-汉族") thousands of times: look each up once
const LOOKUP_CACHE_LIMIT = 2_000;
const lookups = new Map<CodeTableName, Map<string, CodeEntry | null>>();
function lookup(table: CodeTableName, typed: string): CodeEntry | undefined {
  let cache = lookups.get(table);
  if (!cache) lookups.set(table, (cache = new Map()));
  const hit = cache.get(typed);
  if (hit !== undefined) return hit ?? undefined;
  const entry = lookupCode(table, typed) ?? (table === 'yesNo' ? yesNoWord(typed) : undefined);
  if (cache.size < LOOKUP_CACHE_LIMIT) cache.set(typed, entry ?? null);
  return entry;
}

function choicesHint(table: CodeTableName): string {
  const entries = codeTable(table);
  return entries.length <= 12 ? `应为 ${entries.map(dropdownText).join('、')} 之一` : '请从下拉列表选择，或在“代码表”工作表中查找';
}

const REQUIRED: ReadonlyArray<[ColumnKey, string, string]> = [
  ['name', 'name-required', '姓名不能为空'],
  ['gender', 'gender-required', '性别不能为空，请填写 1-男 或 2-女'],
  ['birthDate', 'birth-date-required', '出生日期不能为空'],
  ['idType', 'id-type-required', '身份证件类型不能为空，请从下拉列表选择'],
  ['nationality', 'nationality-required', '国籍/地区不能为空，中国写 CHN-中国'],
];

const header = (key: ColumnKey): string => COLUMN_BY_KEY.get(key)!.header;

/** The template column of a validateChild field: guardians are numbered as the template numbers them. */
function columnOfField(field: string, guardianNumbers: number[]): ColumnKey | undefined {
  const m = /^guardians\[(\d+)\]\.(\w+)$/.exec(field);
  if (m) {
    const n = guardianNumbers[Number(m[1])];
    const key = n === undefined ? undefined : (`guardian${n}${m[2]![0]!.toUpperCase()}${m[2]!.slice(1)}` as ColumnKey);
    return key && COLUMN_BY_KEY.has(key) ? key : undefined;
  }
  return COLUMN_BY_KEY.has(field as ColumnKey) ? (field as ColumnKey) : undefined;
}

/**
 * Parses and validates one data row. `at` is the ISO time of the import (the over-age rule
 * depends on the school year). Codes are stored as codes whatever form was typed.
 */
export function parseTemplateRow(rowNumber: number, cells: TemplateCells, at: string): TemplateRowResult {
  const issues: ImportIssue[] = [];
  const flagged = new Set<ColumnKey>();
  const issue = (key: ColumnKey, code: string, reason: string): void => {
    flagged.add(key);
    issues.push({ row: rowNumber, column: header(key), value: rawText(cells[key]), code, reason });
  };

  const typedOf = (key: ColumnKey): string => clean(cells[key]);
  const text = (key: ColumnKey): string | null => typedOf(key) || null;

  const coded = (key: ColumnKey, table: CodeTableName): string | null => {
    const typed = typedOf(key);
    if (!typed) return null;
    const entry = lookup(table, typed);
    if (entry) return entry.code;
    issue(key, 'unknown-code', `${header(key)}“${typed}”不在代码表中：${choicesHint(table)}`);
    return typed;
  };

  const idNumber = (key: ColumnKey): string | null => {
    const value = cells[key];
    const typed = clean(value).replace(/^['‘’`]/, '');
    // beyond 15 digits a number has already lost its last digits: nothing to recover, ask for text
    const asNumber = typeof value === 'number' ? !(Number.isSafeInteger(value) && Math.abs(value) < 1e15) : /^\d+(\.\d+)?E\+?\d+$/i.test(typed.replace(/\s/g, ''));
    if (asNumber) {
      issue(key, 'id-number-as-number', `${header(key)}被 Excel 存成了数字（${rawText(value)}），超过 15 位的数字会丢失后几位、无法还原。请把该列设置为“文本”格式，再重新输入完整号码（或在号码前加英文单引号 '）`);
      return null;
    }
    return typed ? (/^[\dX]+$/.test(typed) ? typed : normaliseIdNumber(typed)) : null;
  };

  const division = (key: ColumnKey): string | null => {
    const typed = typedOf(key);
    // "410102-中原区" or "410102 中原区" copied from the 区划代码 sheet: the code is what counts
    const m = /^(\d{12}|\d{6})(?!\d)[\s\-:]*(.+)$/.exec(typed);
    return m && /[\u3400-\u9fff]/.test(m[2]!) ? m[1]! : typed || null;
  };

  for (const [key, code, reason] of REQUIRED) {
    if (!typedOf(key)) issue(key, code, reason);
  }

  const birth = parseTemplateDate(cells.birthDate);
  if (birth && !birth.ok) issue('birthDate', birth.code, birth.reason);

  let nationality = text('nationality');
  if (nationality !== null) {
    if (NATIONALITY_TABLE) nationality = coded('nationality', NATIONALITY_TABLE);
    else if (/^[A-Za-z]{3}$/.test(nationality)) nationality = nationality.toUpperCase();
    else issue('nationality', 'unknown-code', `国籍/地区“${nationality}”应为三位字母代码（中国为 CHN）`);
  }

  const guardians: Guardian[] = [];
  const guardianNumbers: number[] = [];
  for (const n of [1, 2] as const) {
    const key = (part: GuardianPart): ColumnKey => `guardian${n}${part}`;
    if (GUARDIAN_PARTS.every((part) => !typedOf(key(part)))) continue;
    guardians.push({
      name: typedOf(key('Name')),
      relation: typedOf(key('Relation')),
      idType: coded(key('IdType'), 'idType'),
      idNumber: idNumber(key('IdNumber')),
      phone: text(key('Phone')),
    });
    guardianNumbers.push(n);
  }

  let confirmOverAge = false;
  const confirmTyped = typedOf('confirmOverAge');
  if (confirmTyped) {
    const answer = lookup('yesNo', confirmTyped);
    if (answer) confirmOverAge = answer.code === '1';
    else issue('confirmOverAge', 'confirm-over-age-value', '“确认超龄（是/否）”只能填写“是”或“否”，也可留空');
  }

  // built normalised (trimmed, codes as codes, ID numbers normalised), as normaliseChild would
  const built: ChildFields = {
    name: typedOf('name'),
    gender: coded('gender', 'gender') ?? '',
    birthDate: birth?.ok ? birth.date : '',
    idType: coded('idType', 'idType') ?? '',
    idNumber: idNumber('idNumber'),
    nationality,
    ethnicity: coded('ethnicity', 'ethnicity'),
    hkMacaoTaiwan: coded('hkMacaoTaiwan', 'hkMacaoTaiwan'),
    birthplaceCode: division('birthplaceCode'),
    householdCode: division('householdCode'),
    householdType: coded('householdType', 'householdType'),
    address: text('address'),
    healthStatus: coded('healthStatus', 'healthStatus'),
    disabilityType: coded('disabilityType', 'disabilityType'),
    bloodType: coded('bloodType', 'bloodType'),
    onlyChild: coded('onlyChild', 'yesNo'),
    leftBehind: coded('leftBehind', 'leftBehind'),
    migrantWorkerChild: coded('migrantWorkerChild', 'yesNo'),
    orphan: coded('orphan', 'yesNo'),
    guardians,
  };

  // the decider normalises and validates again: given this very object, it gets these results back
  const child = normaliseChild(built);
  const { errors, warnings } = validateChild(child, at);
  const fromDomain = (e: FieldError, code = e.code, reason = e.message): void => {
    const key = columnOfField(e.field, guardianNumbers);
    if (!key) issues.push({ row: rowNumber, column: e.field, value: rawText(e.value), code, reason });
    else if (!flagged.has(key)) issue(key, code, reason); // a column already reported is not reported twice
  };
  for (const e of errors) fromDomain(e);

  const overAge = warnings.some((w) => w.code === 'over-age');
  if (issues.length === 0 && !confirmOverAge) {
    // a warning is a question only the registrar can answer: the import asks it through 确认超龄
    for (const w of warnings) {
      if (w.code === 'over-age') {
        fromDomain(w, 'over-age-unconfirmed', `该幼儿在 ${schoolYearStart(at)} 年 8 月 31 日已满 6 周岁（超龄）。如出生日期无误，请在“${header('confirmOverAge')}”列填写“是”后重新导入`);
      } else if (w.code === 'under-age') {
        fromDomain(w, 'under-age-unconfirmed', `该幼儿在 ${schoolYearStart(at)} 年 8 月 31 日未满 2 周岁，请核对出生日期。如出生日期无误，请在“${header('confirmOverAge')}”列填写“是”后重新导入`);
      } else fromDomain(w, `${w.code}-unconfirmed`, w.message);
    }
  }

  if (issues.length > 0) {
    const order = (issue: ImportIssue): number => COLUMN_ORDER.get(TEMPLATE_COLUMNS.find((c) => c.header === issue.column)?.key as ColumnKey) ?? TEMPLATE_COLUMNS.length;
    return { ok: false, issues: issues.sort((a, b) => order(a) - order(b)) };
  }
  return { ok: true, child, confirmOverAge, overAge };
}
