// The Excel side of template import (模板导入): the template registrars download, the streaming
// reader for what they upload, and the validation log (导入数据校验日志) they get back.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { Utf8WorkbookReader } from './utf8-workbook-reader.js';
import { ProblemException } from '../../../shared/http/problem.js';
import { type CodeTableName, codeTable, dropdownText } from '../../domain/code-tables.js';
import { type ColumnKey, TEMPLATE_COLUMNS, type TemplateColumn, columnLetter, mapTemplateHeader } from '../../domain/template-columns.js';
import type { ImportIssue, TemplateCells } from '../../domain/template-row.js';
import { type AddedPart, type ZipEntry, inspectXlsxContainer, readZipDirectory, verifyInflatedSizes, zipPartsStream } from './xlsx-container.js';

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

function columnWidth(column: TemplateColumn): number {
  if (column.key === 'address') return 32;
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
  guide.getColumn(3).alignment = { wrapText: true, vertical: 'top' };

  // 区划代码: the county-level divisions for the place columns
  divisions.columns = [
    { header: '区划代码', width: 12, style: { numFmt: '@' } },
    { header: '名称', width: 36 },
  ];
  divisions.getRow(1).font = { bold: true };
  for (const division of options.divisions) divisions.addRow([division.code, division.name]);

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface TemplateDataRow {
  /** 1-based Excel row number */
  row: number;
  cells: TemplateCells;
}

type RichValue = { richText?: Array<{ text?: string }>; formula?: unknown; sharedFormula?: unknown; result?: unknown; text?: unknown; hyperlink?: unknown; error?: unknown };

/** A cell value as a plain value: rich text, formula results and hyperlinks to text; Date and number kept. */
function plainValue(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object' || value instanceof Date) return value ?? undefined;
  const v = value as RichValue;
  if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
  if ('formula' in v || 'sharedFormula' in v) {
    // the streaming reader turns an error result (#N/A) into NaN
    return typeof v.result === 'number' && Number.isNaN(v.result) ? '#公式错误' : plainValue(v.result);
  }
  if ('text' in v) return plainValue(v.text);
  if ('error' in v) return String(v.error);
  return String(value);
}

const layoutError = (message: string, errors: ConstructorParameters<typeof ProblemException>[3] = []): ProblemException => new ProblemException(400, 'import-layout', message, errors);
const unreadable = (): ProblemException =>
  new ProblemException(415, 'import-file-unreadable', '无法读取该 Excel 文件：文件已损坏或不是有效的 .xlsx。请在 Excel 中打开它，另存为 .xlsx 后重新上传');

// exceljs's streaming types leave these out
type SheetReader = ExcelJS.stream.xlsx.WorksheetReader & { name?: string };
type BookReader = ExcelJS.stream.xlsx.WorkbookReader & { model?: { sheets?: Array<{ name?: string }> } };

const EMPTY_SHARED_STRINGS = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>');
const sheetNumber = (name: string): number => Number(/^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name)?.[1] ?? NaN);

/** A worksheet's parse events in the batches exceljs parses them (one per chunk): rows without an async step each. */
const eventBatches = (sheet: SheetReader): AsyncIterable<Array<{ eventType: string; value: unknown }>> => ({ [Symbol.asyncIterator]: () => sheet.parse() });

/** The columns of a header row; undefined for a blank line above it. */
function headerOf(values: unknown[], rowNumber: number): Map<number, ColumnKey> | undefined {
  const cells = Array.from({ length: Math.max(values.length - 1, 0) }, (_, i) => plainValue(values[i + 1]));
  if (cells.every((c) => String(c ?? '').trim() === '')) return undefined;
  const { columns, errors } = mapTemplateHeader(cells, rowNumber);
  if (errors.length > 0) throw layoutError(`第 ${rowNumber} 行的列名与导入模板不符，未导入任何数据。请按提示修改列名，或重新下载模板填写`, errors);
  return columns;
}

/** A data row's cells by column; undefined when every cell is blank. */
function cellsOf(values: unknown[], header: Map<number, ColumnKey>): TemplateCells | undefined {
  const cells: TemplateCells = {};
  let blank = true;
  for (const [index, key] of header) {
    const value = plainValue(values[index + 1]);
    if (value === undefined) continue;
    cells[key] = value;
    if (blank && (typeof value !== 'string' || /\S/.test(value))) blank = false;
  }
  return blank ? undefined : cells;
}

/**
 * The parts exceljs's streaming reader needs, in the order it needs them. It reads a ZIP in
 * stored order and spools every worksheet that comes before the shared strings (Excel writes
 * them first) to a temporary file, and a sheet before the styles loses its dates. Workbook,
 * relationships, styles and shared strings first, then the worksheets: every sheet streams
 * straight through, and themes, pictures and document properties are never inflated.
 */
function readingOrder(entries: readonly ZipEntry[]): Array<ZipEntry | AddedPart> {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  const book = byName.get('xl/workbook.xml');
  if (!rels || !book) throw unreadable();
  const sheets = entries.filter((e) => !Number.isNaN(sheetNumber(e.name))).sort((a, b) => sheetNumber(a.name) - sheetNumber(b.name));
  const styles = byName.get('xl/styles.xml');
  // without shared strings exceljs would spool the sheets to disk: an empty table stands in
  const strings = byName.get('xl/sharedStrings.xml') ?? { name: 'xl/sharedStrings.xml', content: EMPTY_SHARED_STRINGS };
  return [rels, book, ...(styles ? [styles] : []), strings, ...sheets];
}

/**
 * Reads the data rows of an uploaded template with exceljs's streaming reader: the worksheet
 * named 幼儿信息 (or the first one), header row mapped by mapTemplateHeader, fully blank rows
 * skipped. Rows are yielded one at a time, so memory stays bounded whatever the file holds.
 * The file is refused (inspectXlsxContainer, verifyInflatedSizes) before the first row; a file
 * with more than maxRows data rows is refused when row maxRows + 1 is reached, after the rows
 * before it have been yielded.
 */
export async function* readTemplateRows(file: Buffer, options: { maxRows?: number } = {}): AsyncGenerator<TemplateDataRow> {
  inspectXlsxContainer(file);
  const parts = readingOrder(readZipDirectory(file));
  await verifyInflatedSizes(file, parts.filter((p): p is ZipEntry => !('content' in p)));
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const reader = new Utf8WorkbookReader(zipPartsStream(file, parts), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // without styles a date cell would come out as a serial number
    worksheets: 'emit',
    entries: 'ignore',
  }) as BookReader;
  let found = false;
  let header: Map<number, ColumnKey> | undefined;
  let dataRows = 0;
  try {
    for await (const sheet of reader as AsyncIterable<SheetReader>) {
      const names = (reader.model?.sheets ?? []).map((s) => s.name);
      // a sheet whose name exceljs could not resolve (an absolute target in the relationships) is taken as it comes
      if (names.includes(sheet.name ?? '') && sheet.name !== (names.includes(DATA_SHEET) ? DATA_SHEET : names[0])) continue; // exceljs drains it
      found = true;
      for await (const events of eventBatches(sheet)) {
        for (const event of events) {
          if (event.eventType !== 'row') continue;
          const row = event.value as ExcelJS.Row;
          const values = row.values as unknown[]; // sparse, 1-based
          if (!header) {
            header = headerOf(values, row.number);
            continue;
          }
          const cells = cellsOf(values, header);
          if (!cells) continue; // a blank row
          if (++dataRows > maxRows) throw new ProblemException(413, 'import-too-many-rows', `数据超过 ${maxRows} 行，请拆分成多个文件（每个不超过 ${maxRows} 行）后分批导入`);
          yield { row: row.number, cells };
        }
      }
      break; // the other sheets are not needed
    }
  } catch (error) {
    if (error instanceof ProblemException) throw error;
    throw unreadable();
  }
  if (!found) throw layoutError(`文件中没有可读取的工作表“${DATA_SHEET}”，未导入任何数据。请用本系统下载的模板填写后上传`);
  if (!header) throw layoutError(`工作表“${DATA_SHEET}”是空的（没有列名行），未导入任何数据。请用本系统下载的模板填写后上传`);
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

