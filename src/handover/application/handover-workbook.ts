// The Excel side of the hand-over (issue 16): the new-pupil list template, its validation log,
// and the not-found list in the registration template's layout. Styled like the record import's
// workbooks (header fill, text-formatted ID column, A4 fit to width); that module is records'
// own, so the few lines of styling are repeated here rather than imported.
import ExcelJS from 'exceljs';
import { type ImportIssue, KEY_COLUMNS } from '../../records/contracts/index.js';
import { FIELD_LABEL, SUPPLEMENT_FIELDS } from '../domain/pupil.js';
import { PUPIL_LIST_MAX_ROWS, PUPIL_SHEET } from './pupil-list-import.js';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const A4: Partial<ExcelJS.PageSetup> = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
const DROPDOWN_ROWS = 2_000;
type Validations = { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } };

function header(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
}

const book = (): ExcelJS.Workbook => Object.assign(new ExcelJS.Workbook(), { creator: '全国学前教育管理信息系统' });
const buffer = async (workbook: ExcelJS.Workbook): Promise<Buffer> => Buffer.from(await workbook.xlsx.writeBuffer());

/** 学前调档名单模板: the five key columns (dropdowns for gender and ID type, text for dates and numbers) and the instructions. */
export async function buildPupilListTemplate(): Promise<Buffer> {
  const workbook = book();
  const data = workbook.addWorksheet(PUPIL_SHEET, { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: A4 });
  data.columns = KEY_COLUMNS.map((c) => ({ header: c.required ? `${c.header}*` : c.header, width: c.key === 'idNumber' ? 24 : 16, style: c.text ? { numFmt: '@' } : {} }));
  header(data.getRow(1));
  KEY_COLUMNS.forEach((c, i) => {
    if (c.choices.length === 0) return;
    const letter = String.fromCharCode(65 + i);
    (data as unknown as Validations).dataValidations.add(`${letter}2:${letter}${DROPDOWN_ROWS + 1}`, {
      type: 'list', allowBlank: true, formulae: [`"${c.choices.join(',')}"`], showErrorMessage: true, errorStyle: 'warning', errorTitle: `${c.header}不在代码表中`, error: '请从下拉列表选择；导入时会再次检查',
    });
  });
  const guide = workbook.addWorksheet('填写说明');
  guide.columns = [{ header: '填写说明', width: 100 }];
  header(guide.getRow(1));
  for (const line of [
    `每行一名新生，最多 ${PUPIL_LIST_MAX_ROWS} 行；不要改动第 1 行的列名（带 * 的列必填）。`,
    ...KEY_COLUMNS.map((c) => `${c.header}：${c.note}`),
    '导入后每名学生按身份证件号码（没有号码的按姓名、性别、出生日期）与全省学前学籍匹配：已匹配学前学籍、待确认学前学籍或未查到学前学籍。',
    '有错误的行不导入，写在导入数据校验日志中（行号、列、填写的值、原因）；其余行照常导入。',
  ]) guide.addRow([line]).alignment = { wrapText: true };
  return buffer(workbook);
}

/** 导入数据校验日志 of a pupil list: one line per problem, as the record import's log. */
export async function buildPupilListLog(list: { listId: string; fileName: string | null; rows: number; entries: number; failed: number; issues: ImportIssue[] }): Promise<Buffer> {
  const workbook = book();
  const sheet = workbook.addWorksheet('导入数据校验日志', { views: [{ state: 'frozen', ySplit: 2 }], pageSetup: A4 });
  sheet.addRow([`新生名单 ${list.fileName ?? list.listId}：共 ${list.rows} 行，导入 ${list.entries} 名，${list.failed} 行有错误未导入`]).font = { bold: true };
  sheet.columns = [{ width: 8 }, { width: 16 }, { width: 26 }, { width: 70 }];
  header(sheet.addRow(['行号', '列', '填写的值', '问题说明']));
  for (const i of list.issues) sheet.addRow([i.row, i.column, i.value, i.reason]).alignment = { wrapText: true, vertical: 'top' };
  return buffer(workbook);
}

export type NotFoundRow = { name: string; gender: string; birthDate: string; idType: string; idNumber: string | null };

/**
 * The not-found pupils in the registration system's new-student template layout (domain.md
 * section 11.6): its 17 columns in its order, the five key fields filled as codes, the others
 * left for the school to fill in the registration system.
 */
export async function buildNotFoundWorkbook(rows: readonly NotFoundRow[]): Promise<Buffer> {
  const workbook = book();
  const sheet = workbook.addWorksheet('学生信息', { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: A4 });
  sheet.columns = SUPPLEMENT_FIELDS.map((f) => ({ header: FIELD_LABEL[f], width: f === 'idNumber' || f === 'address' ? 24 : 14, style: { numFmt: '@' } }));
  header(sheet.getRow(1));
  for (const r of rows) sheet.addRow(SUPPLEMENT_FIELDS.map((f) => (f in r ? (r[f as keyof NotFoundRow] ?? '') : '')));
  return buffer(workbook);
}
