// The Excel side of template import (模板导入): the template registrars download and the
// validation log (导入数据校验日志) they get back. Reading what they upload: template-rows.ts.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnLetter } from '../../../shared/spreadsheets/index.js';
import { type CodeTableName, codeTable, dropdownText } from '../../domain/code-tables.js';
import { TEMPLATE_COLUMNS, type TemplateColumn } from '../../domain/template-columns.js';
import type { ImportIssue } from '../../domain/template-row.js';

export const DATA_SHEET = '幼儿信息';
export const GUIDE_SHEET = '填写说明';
export const CODES_SHEET = '代码表';
export const DIVISIONS_SHEET = '区划代码';
export const LOG_SHEET = '导入数据校验日志';
export const DEFAULT_TEMPLATE_ROWS = 2_000;
export const DEFAULT_MAX_ROWS = 60_000;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

/** The tables the template offers as dropdowns, each once, in column order. */
function templateTables(): Array<{ table: CodeTableName; title: string }> {
  const tables = new Map<CodeTableName, string>();
  for (const column of TEMPLATE_COLUMNS) {
    if (column.table && !tables.has(column.table)) tables.set(column.table, column.table === 'yesNo' ? '是/否' : column.header);
  }
  return [...tables].map(([table, title]) => ({ table, title }));
}

/** A4, landscape, every column on one page width, as many pages down as needed (issue 22, item 8). */
const A4_FIT_TO_WIDTH: Partial<ExcelJS.PageSetup> = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
/** Code sheets are looked up, not edited: locked so a dropdown's source cannot be changed by accident (no password). */
const LOOKUP_ONLY: Partial<ExcelJS.WorksheetProtection> = { selectLockedCells: true, selectUnlockedCells: true, sort: false, autoFilter: true };
/** Points per wrapped line of 11-point CJK text, with the line spacing LibreOffice and Excel use. */
const LINE_HEIGHT = 15;

/** Wrapped lines a text needs in a column of `width` units (a CJK character takes two). */
export function wrappedLines(text: string, width: number): number {
  let units = 0;
  for (const ch of text) units += ch.charCodeAt(0) > 0xff ? 2 : 1;
  return Math.max(1, Math.ceil(units / Math.max(1, width - 1)));
}

function columnWidth(column: TemplateColumn): number {
  if (column.key === 'address') return 32;
  // names such as 阿依古丽·买买提 or 欧阳娜娜·艾合买提 (up to 12 characters) show whole
  if (column.key === 'name') return 26;
  if (column.key === 'idNumber' || column.key.endsWith('IdNumber')) return 22;
  const longest = Math.max(...[column.header, ...(column.table ? codeTable(column.table).map(dropdownText) : [])].map((t) => t.length));
  return Math.min(24, Math.max(column.text ? 16 : 10, longest * 2 + 2)); // CJK characters are two units wide
}

/**
 * The import template: the data sheet (headers only; required ones marked "*"), the
 * instructions, the code tables the dropdowns point to, and the divisions for the two place
 * columns. Dropdowns cover rows 2..rows+1: bounded ranges keep the file small and Excel fast.
 */
export async function buildTemplateWorkbook(options: { divisions: Array<{ code: string; name: string }>; rows?: number }): Promise<Buffer> {
  const rows = options.rows ?? DEFAULT_TEMPLATE_ROWS;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '全国学前教育管理信息系统';
  const data = workbook.addWorksheet(DATA_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const guide = workbook.addWorksheet(GUIDE_SHEET);
  const codes = workbook.addWorksheet(CODES_SHEET);
  const divisions = workbook.addWorksheet(DIVISIONS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });

  // 代码表: one column per table, its dropdown texts ("01-汉族") under a title
  const listRange = new Map<CodeTableName, string>();
  const tableColumn = new Map<CodeTableName, string>();
  templateTables().forEach(({ table, title }, i) => {
    const entries = codeTable(table);
    const letter = columnLetter(i);
    const column = codes.getColumn(i + 1);
    column.width = Math.min(30, Math.max(12, ...entries.map((e) => dropdownText(e).length * 2 + 2)));
    column.numFmt = '@';
    const head = codes.getCell(1, i + 1);
    head.value = title;
    head.font = { bold: true };
    head.fill = HEADER_FILL;
    entries.forEach((entry, r) => (codes.getCell(r + 2, i + 1).value = dropdownText(entry)));
    listRange.set(table, `'${CODES_SHEET}'!$${letter}$2:$${letter}$${entries.length + 1}`);
    tableColumn.set(table, letter);
  });
  codes.views = [{ state: 'frozen', ySplit: 1 }];

  // 幼儿信息: headers, text columns, dropdowns
  const validations = (data as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }).dataValidations;
  TEMPLATE_COLUMNS.forEach((column, i) => {
    const letter = columnLetter(i);
    const sheetColumn = data.getColumn(i + 1);
    sheetColumn.width = columnWidth(column);
    // text, so Excel keeps an ID number's 18 digits, a code's leading zeros and a typed date as typed
    if (column.text) sheetColumn.numFmt = '@';
    const cell = data.getCell(1, i + 1);
    cell.value = column.required ? `${column.header}*` : column.header;
    cell.font = { bold: true, ...(column.required ? { color: { argb: 'FFC00000' } } : {}) };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    const list = column.table ? listRange.get(column.table) : column.choices ? `"${column.choices.join(',')}"` : undefined;
    if (list) {
      validations.add(`${letter}2:${letter}${rows + 1}`, {
        type: 'list',
        allowBlank: true,
        formulae: [list],
        showErrorMessage: true,
        // a warning, not a stop: a typed label ("男") is also accepted by the import
        errorStyle: 'warning',
        errorTitle: '不在下拉列表中',
        error: `请从下拉列表中选择${column.header}；其他写法导入时会再次检查`,
      });
    }
  });
  data.getRow(1).height = 30;

  // 填写说明: one line per column, then the general rules
  guide.columns = [
    { header: '列名', width: 26 },
    { header: '是否必填', width: 10 },
    { header: '填写说明', width: 70 },
    { header: '可选代码', width: 60 },
  ];
  for (const column of TEMPLATE_COLUMNS) {
    const entries = column.table ? codeTable(column.table) : [];
    const choices = column.table
      ? entries.length <= 12 ? entries.map(dropdownText).join('、') : `共 ${entries.length} 项，见“${CODES_SHEET}”工作表 ${tableColumn.get(column.table)} 列`
      : (column.choices?.join('、') ?? '');
    guide.addRow([column.header, column.required ? '必填' : '选填', column.note, choices]);
  }
  guide.addRow([]);
  for (const line of [
    `1. 在“${DATA_SHEET}”工作表中，从第 2 行起每行填写一名幼儿；不要修改、删除或增加第 1 行的列名，带 * 的列必须填写。`,
    `2. 一个文件最多 ${DEFAULT_MAX_ROWS} 行；下拉列表覆盖前 ${rows} 行，之后的行可直接填写代码或名称。`,
    '3. 身份证件号码、出生日期和区划代码列已设置为“文本”格式；从其他表格粘贴时请选择“只粘贴值”，以免号码被 Excel 改成 4.10102E+17。',
    '4. 代码列可填下拉列表中的内容（如 01-汉族），也可只填代码（01）或名称（汉族）。',
    `5. 出生所在地、户口所在地填 6 位（或 12 位）行政区划代码，可在“${DIVISIONS_SHEET}”工作表中查找。`,
    '6. 导入时逐行检查，有问题的行不会导入；请按“导入数据校验日志”修改后，只重新导入这些行。',
  ]) {
    guide.addRow([line]);
  }
  guide.getRow(1).font = { bold: true };
  guide.getRow(1).fill = HEADER_FILL;
  sizeGuideRows(guide);

  // 区划代码: the county-level divisions for the place columns
  divisions.columns = [
    { header: '区划代码', width: 12, style: { numFmt: '@' } },
    { header: '名称', width: 36 },
  ];
  divisions.getRow(1).font = { bold: true };
  for (const division of options.divisions) divisions.addRow([division.code, division.name]);

  for (const sheet of [data, guide, codes, divisions]) sheet.pageSetup = { ...sheet.pageSetup, ...A4_FIT_TO_WIDTH, printTitlesRow: '1:1' };
  await codes.protect('', LOOKUP_ONLY);
  await divisions.protect('', LOOKUP_ONLY);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * 填写说明: every cell wraps, at the top, and each row is as high as its longest text needs:
 * LibreOffice does not grow rows by itself, so a long note showed one line and hid the rest
 * (the warning about ID numbers turning into 4.10102E+17 among them). The general rules below
 * the table span all four columns.
 */
function sizeGuideRows(guide: ExcelJS.Worksheet): void {
  const widths = [1, 2, 3, 4].map((i) => guide.getColumn(i).width ?? 10);
  const spanned = widths.reduce((a, b) => a + b, 0);
  guide.eachRow((row, number) => {
    if (number === 1) return;
    const values = [1, 2, 3, 4].map((i) => String(row.getCell(i).value ?? ''));
    const generalRule = values[0] !== '' && values.slice(1).every((v) => v === '') && /^\d+\./.test(values[0]!);
    if (generalRule) guide.mergeCells(number, 1, number, 4);
    const lines = generalRule ? wrappedLines(values[0]!, spanned) : Math.max(...values.map((v, i) => wrappedLines(v, widths[i]!)));
    row.height = lines * LINE_HEIGHT + 3;
    row.eachCell((cell) => (cell.alignment = { wrapText: true, vertical: 'top' }));
  });
}

/** The validation log a registrar downloads after an import: a summary, then one line per problem. */
export async function buildValidationLogWorkbook(
  issues: ImportIssue[],
  summary: { fileName: string | null; batchId: string; rows: number; saved: number; failed: number; alreadyPresent: number },
): Promise<Buffer> {
  // streamed: a log can hold a line for every cell of a large file
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(LOG_SHEET, { views: [{ state: 'frozen', ySplit: 9 }] });
  sheet.columns = [
    { key: 'row', width: 8 },
    { key: 'column', width: 24 },
    { key: 'value', width: 26, style: { numFmt: '@' } },
    { key: 'reason', width: 80, style: { alignment: { wrapText: true, vertical: 'top' } } },
    { key: 'code', width: 26 },
  ];
  const title = sheet.addRow([LOG_SHEET]);
  title.font = { bold: true, size: 14 };
  title.commit();
  for (const [label, value] of [
    ['文件名', summary.fileName ?? '（未记录）'],
    ['批次号', summary.batchId],
    ['数据行数', summary.rows],
    ['成功导入', summary.saved],
    ['已存在（未重复导入）', summary.alreadyPresent],
    ['有问题未导入', summary.failed],
  ] as const) {
    const line = sheet.addRow([label, value]);
    line.getCell(1).font = { bold: true };
    line.commit();
  }
  sheet.addRow([]).commit();
  const head = sheet.addRow(['行号', '列', '填写的值', '问题说明', '代码']);
  head.font = { bold: true };
  head.eachCell((cell) => (cell.fill = HEADER_FILL));
  head.commit();
  for (const issue of [...issues].sort((a, b) => a.row - b.row)) {
    sheet.addRow([issue.row, issue.column, issue.value, issue.reason, issue.code]).commit();
  }
  sheet.commit();
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}

