// Reading an uploaded import template: the kernel's hardened streaming reader
// (src/shared/spreadsheets) with the template's sheet, header and row limit, and the refusals
// worded for registrars who fill in the template (codes `import-*`, which the API keeps).
import { type FieldError, refused, tooLarge, unsupported } from '../../../shared/domain/domain-error.js';
import { type XlsxRefusals, readXlsxRowBatches } from '../../../shared/spreadsheets/index.js';
import { COLUMN_BY_KEY, type ColumnKey, TEMPLATE_COLUMNS, columnLetter, mapTemplateHeader } from '../../domain/template-columns.js';
import type { TemplateCells } from '../../domain/template-row.js';
import { DATA_SHEET, DEFAULT_MAX_ROWS } from './template-workbook.js';

export interface TemplateDataRow {
  /** 1-based Excel row number */
  row: number;
  cells: TemplateCells;
}

const layoutError = (message: string, errors: FieldError[] = []) => refused('validation', 'import-layout', message, errors);
const wrongType = (what: string) => unsupported('import-file-type', `只接受 Excel .xlsx 文件（请用本系统下载的模板填写后上传）：${what}`);

/** How the child import refuses a file it cannot read. */
export const TEMPLATE_FILE_REFUSALS: XlsxRefusals = {
  empty: () => refused('validation', 'import-file-empty', '上传的文件是空的（0 字节），请选择填写好的 .xlsx 文件'),
  damaged: (detail?: string) =>
    unsupported('import-file-unreadable', `无法读取该 Excel 文件：文件已损坏或不完整（可能上传中断）${detail ? `（${detail}）` : ''}。请在 Excel 中打开它，另存为 .xlsx 后重新上传`),
  unreadable: () => unsupported('import-file-unreadable', '无法读取该 Excel 文件：文件已损坏或不是有效的 .xlsx。请在 Excel 中打开它，另存为 .xlsx 后重新上传'),
  wrongType,
  noSheet: () => layoutError(`文件中没有可读取的工作表“${DATA_SHEET}”，未导入任何数据。请用本系统下载的模板填写后上传`),
  bombAdvice: '请用本系统下载的模板重新填写后上传',
};

/** The columns of a header row; undefined for a blank line above it. */
function headerOf(cells: unknown[], rowNumber: number): Map<number, ColumnKey> | undefined {
  if (cells.every((c) => String(c ?? '').trim() === '')) return undefined;
  const { columns, errors } = mapTemplateHeader(cells, rowNumber);
  if (errors.length > 0) throw layoutError(`第 ${rowNumber} 行的列名与导入模板不符，未导入任何数据。请按提示修改列名，或重新下载模板填写`, errors);
  return columns;
}

const isBlank = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && !/\S/.test(value));

/**
 * Data in a column whose header cell is blank would be dropped without a word (issue 22,
 * item 7): a cleared header (e.g. 民族) with its data still below, or values typed beside the
 * template. Refused as a layout problem naming the column, and the template's header for that
 * position when the header row lacks it (the likely cleared one).
 */
function unnamedColumn(index: number, row: number, header: Map<number, ColumnKey>): Error {
  const letter = columnLetter(index);
  const expected = TEMPLATE_COLUMNS[index];
  const cleared = expected && ![...header.values()].includes(expected.key) ? COLUMN_BY_KEY.get(expected.key)!.header : undefined;
  const hint = cleared ? `（模板中该列是“${cleared}”，列名可能被删除了，请恢复列名）` : '（请删除这些数据，或移到有列名的列中）';
  return layoutError(`${letter} 列没有列名，但第 ${row} 行起有数据，未导入任何数据${hint}`, [
    { field: `第 1 行，${letter} 列`, code: 'unnamed-column', message: `${letter} 列有数据但没有列名${hint}`, ...(cleared ? { value: cleared } : {}) },
  ]);
}

/** A data row's cells by column; undefined when every cell is blank. */
function cellsOf(values: unknown[], header: Map<number, ColumnKey>, row: number): TemplateCells | undefined {
  const cells: TemplateCells = {};
  let blank = true;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (isBlank(value)) continue;
    const key = header.get(index);
    if (!key) throw unnamedColumn(index, row, header);
    cells[key] = value;
    blank = false;
  }
  for (const [index, key] of header) {
    if (values[index] !== undefined && !(key in cells)) cells[key] = values[index];
  }
  return blank ? undefined : cells;
}

/**
 * Reads the data rows of an uploaded template: the worksheet named 幼儿信息 (or the first one),
 * header row mapped by mapTemplateHeader, fully blank rows skipped. Rows are yielded one at a
 * time, so memory stays bounded whatever the file holds. The file is refused (zip-bomb and
 * layout checks of the kernel reader) before the first row; a file with more than maxRows data
 * rows is refused when row maxRows + 1 is reached, after the rows before it have been yielded.
 */
export async function* readTemplateRows(file: Buffer, options: { maxRows?: number } = {}): AsyncGenerator<TemplateDataRow> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  let header: Map<number, ColumnKey> | undefined;
  let dataRows = 0;
  for await (const batch of readXlsxRowBatches(file, { sheet: DATA_SHEET, refusals: TEMPLATE_FILE_REFUSALS })) {
    for (const { row, cells: values } of batch) {
      if (!header) {
        header = headerOf(values, row);
        continue;
      }
      const cells = cellsOf(values, header, row);
      if (!cells) continue; // a blank row
      if (++dataRows > maxRows) throw tooLarge('import-too-many-rows', `数据超过 ${maxRows} 行，请拆分成多个文件（每个不超过 ${maxRows} 行）后分批导入`);
      yield { row, cells };
    }
  }
  if (!header) throw layoutError(`工作表“${DATA_SHEET}”是空的（没有列名行），未导入任何数据。请用本系统下载的模板填写后上传`);
}
