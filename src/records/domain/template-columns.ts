// The columns of the child-record import template (模板导入), in template order. The header
// matcher accepts what registrars do to a header: a trailing "*", spaces, full-width characters
// and a few names from older templates.
import type { FieldError } from '../../shared/domain/domain-error.js';
import { columnLetter } from '../../shared/spreadsheets/cell-values.js';
import data from '../data/code-tables.json' with { type: 'json' };
import type { CodeTableName } from './code-tables.js';

export type GuardianPart = 'Name' | 'Relation' | 'IdType' | 'IdNumber' | 'Phone';
export type GuardianColumnKey = `guardian${1 | 2}${GuardianPart}`;

export type ColumnKey =
  | 'name' | 'gender' | 'birthDate' | 'idType' | 'idNumber' | 'nationality' | 'ethnicity' | 'hkMacaoTaiwan'
  | 'birthplaceCode' | 'householdCode' | 'householdType' | 'address' | 'healthStatus' | 'disabilityType'
  | 'bloodType' | 'onlyChild' | 'leftBehind' | 'migrantWorkerChild' | 'orphan'
  | GuardianColumnKey
  | 'confirmOverAge';

export interface TemplateColumn {
  key: ColumnKey;
  /** the header as the template writes it (required ones get a "*" in the workbook) */
  header: string;
  required: boolean;
  /** the code table whose dropdown texts ("1-男") the column offers */
  table?: CodeTableName;
  /** a short inline choice list, for columns that have no code table */
  choices?: readonly string[];
  /** the cell is text in the template (ID numbers, dates, division codes keep their digits) */
  text?: boolean;
  /** headers of older templates and obvious shorthands */
  aliases?: readonly string[];
  /** Chinese instructions for the 填写说明 sheet */
  note: string;
}

/** Whether code-tables.json ships a table: the nationality table may not be there in every build. */
export const hasCodeTable = (name: string): name is CodeTableName => Object.hasOwn(data.tables, name);

const NATIONALITY: CodeTableName | undefined = hasCodeTable('nationality') ? 'nationality' : undefined;

const guardianColumns = (n: 1 | 2): TemplateColumn[] => [
  { key: `guardian${n}Name`, header: `监护人${n}姓名`, required: false, aliases: [`监护人${n}`], note: `监护人${n}的姓名；填写了监护人${n}的任何一项时必填` },
  { key: `guardian${n}Relation`, header: `监护人${n}关系`, required: false, aliases: [`监护人${n}与幼儿关系`, `与幼儿关系${n}`], note: '与幼儿的关系，如 父亲、母亲、祖父、外祖母' },
  { key: `guardian${n}IdType`, header: `监护人${n}身份证件类型`, required: false, table: 'idType', aliases: [`监护人${n}证件类型`], note: '从下拉列表选择，也可写代码或名称' },
  { key: `guardian${n}IdNumber`, header: `监护人${n}身份证件号码`, required: false, text: true, aliases: [`监护人${n}证件号码`, `监护人${n}身份证号`, `监护人${n}身份证号码`], note: '证件类型为居民身份证时按 18 位号码校验；该列须为文本格式' },
  { key: `guardian${n}Phone`, header: `监护人${n}联系电话`, required: false, text: true, aliases: [`监护人${n}电话`, `监护人${n}手机号`, `监护人${n}手机号码`], note: '手机或固定电话' },
];

export const TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  { key: 'name', header: '姓名', required: true, aliases: ['幼儿姓名', '儿童姓名'], note: '与户口簿或证件一致；汉字、字母和间隔号“·”，最多 50 字' },
  { key: 'gender', header: '性别', required: true, table: 'gender', note: '1-男 或 2-女，也可只写“男”“女”' },
  { key: 'birthDate', header: '出生日期', required: true, text: true, aliases: ['出生年月日', '出生年月', '生日'], note: '如 2022-03-15，也可写 2022/3/15、2022.3.15、20220315、2022年3月15日，或用 Excel 日期' },
  { key: 'idType', header: '身份证件类型', required: true, table: 'idType', aliases: ['证件类型'], note: '从下拉列表选择，也可写代码或名称（如 1 或 居民身份证）' },
  { key: 'idNumber', header: '身份证件号码', required: false, text: true, aliases: ['证件号码', '身份证号', '身份证号码', '身份证件号'], note: '证件类型为居民身份证时必填，18 位；只有证件类型为“其他”时可不填。该列须为文本格式，否则 Excel 会把号码变成 4.10102E+17 并丢失后几位' },
  { key: 'nationality', header: '国籍/地区', required: true, ...(NATIONALITY ? { table: NATIONALITY } : {}), aliases: ['国籍', '国籍地区', '国籍(地区)', '国别'], note: '中国写 CHN-中国（或 CHN、中国）；其他国家或地区用三位字母代码' },
  { key: 'ethnicity', header: '民族', required: false, table: 'ethnicity', note: '从下拉列表选择，也可写代码或名称（如 01 或 汉族）' },
  { key: 'hkMacaoTaiwan', header: '港澳台侨外', required: false, table: 'hkMacaoTaiwan', aliases: ['港澳台侨外籍', '港澳台侨'], note: '不是港澳台侨外的写 00-否' },
  { key: 'birthplaceCode', header: '出生所在地', required: false, text: true, aliases: ['出生地', '出生所在地代码', '出生地代码'], note: '6 位或 12 位行政区划代码，可在“区划代码”表中查找' },
  { key: 'householdCode', header: '户口所在地', required: false, text: true, aliases: ['户籍所在地', '户口所在地代码', '户籍地'], note: '6 位或 12 位行政区划代码，可在“区划代码”表中查找' },
  { key: 'householdType', header: '户口性质', required: false, table: 'householdType', note: '从下拉列表选择' },
  { key: 'address', header: '现住址', required: false, aliases: ['现住地址', '家庭住址', '居住地址'], note: '最多 200 字' },
  { key: 'healthStatus', header: '健康状况', required: false, table: 'healthStatus', note: '从下拉列表选择' },
  { key: 'disabilityType', header: '残疾幼儿类别', required: false, table: 'disabilityType', aliases: ['残疾类型', '残疾类别'], note: '非残疾幼儿不填' },
  { key: 'bloodType', header: '血型', required: false, table: 'bloodType', note: '从下拉列表选择' },
  { key: 'onlyChild', header: '是否独生子女', required: false, table: 'yesNo', aliases: ['独生子女'], note: '是 或 否' },
  { key: 'leftBehind', header: '是否留守儿童', required: false, table: 'leftBehind', aliases: ['留守儿童'], note: '从下拉列表选择' },
  { key: 'migrantWorkerChild', header: '是否进城务工人员子女', required: false, table: 'yesNo', aliases: ['是否进城务工人员随迁子女', '进城务工人员子女', '随迁子女'], note: '是 或 否' },
  { key: 'orphan', header: '是否孤儿', required: false, table: 'yesNo', aliases: ['孤儿'], note: '是 或 否' },
  ...guardianColumns(1),
  ...guardianColumns(2),
  { key: 'confirmOverAge', header: '确认超龄（是/否）', required: false, choices: ['是', '否'], aliases: ['确认超龄', '是否确认超龄'], note: '幼儿在入园学年的 8 月 31 日已满 6 周岁（超龄）时，核对出生日期无误后写“是”' },
];

export const COLUMN_BY_KEY: ReadonlyMap<ColumnKey, TemplateColumn> = new Map(TEMPLATE_COLUMNS.map((c) => [c.key, c]));

/** Full-width to half-width, no spaces, no "*" marking a required column: how headers are compared. */
export function normaliseHeader(raw: unknown): string {
  return String(raw ?? '')
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000*]/g, '')
    .toLowerCase();
}

const HEADER_INDEX: ReadonlyMap<string, ColumnKey> = new Map(
  TEMPLATE_COLUMNS.flatMap((c) => [c.header, c.key, ...(c.aliases ?? [])].map((name) => [normaliseHeader(name), c.key] as const)),
);

/** The column a header names, or undefined. */
export const columnForHeader = (raw: unknown): ColumnKey | undefined => HEADER_INDEX.get(normaliseHeader(raw));

export { columnLetter };

/**
 * Maps the header row (0-based cells) to columns. Unknown and repeated headers and missing
 * required columns are reported: a file whose columns cannot all be placed is refused whole
 * rather than imported with a column silently dropped.
 */
export function mapTemplateHeader(cells: unknown[], rowNumber = 1): { columns: Map<number, ColumnKey>; errors: FieldError[] } {
  const columns = new Map<number, ColumnKey>();
  const errors: FieldError[] = [];
  const seen = new Map<ColumnKey, number>();
  for (let index = 0; index < cells.length; index++) {
    const text = String(cells[index] ?? '').trim();
    if (!normaliseHeader(text)) continue; // a blank header: the column is not read
    const key = columnForHeader(text);
    const letter = columnLetter(index);
    if (!key) {
      errors.push({ field: `第 ${rowNumber} 行，${letter} 列`, code: 'unknown-column', message: `无法识别 ${letter} 列的列名“${text}”：请使用本系统下载的模板，不要增加或改动列名`, value: text });
      continue;
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({ field: `第 ${rowNumber} 行，${letter} 列`, code: 'duplicate-column', message: `${letter} 列“${text}”与 ${columnLetter(earlier)} 列重复，请删除其中一列`, value: text });
      continue;
    }
    seen.set(key, index);
    columns.set(index, key);
  }
  for (const column of TEMPLATE_COLUMNS) {
    if (column.required && !seen.has(column.key)) {
      errors.push({ field: `第 ${rowNumber} 行`, code: 'missing-column', message: `缺少必填的列“${column.header}”：请使用本系统下载的模板`, value: column.header });
    }
  }
  return { columns, errors };
}
