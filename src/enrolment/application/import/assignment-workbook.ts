// The Excel side of 分班模板导入: the template registrars download and the log they get back.
// Laid out like the record import's (records/application/import/template-workbook.ts): the same
// header look, text-formatted key column, a 填写说明 sheet, A4 fit to width; that module is the
// records context's own, so the few lines of styling are repeated here rather than imported.
import ExcelJS from 'exceljs';
import type { AssignmentImportCounts, AssignmentIssue } from '../../domain/assignment-import.decider.js';

export const ASSIGNMENT_SHEET = '分班';
export const ASSIGNMENT_GUIDE_SHEET = '填写说明';
export const ASSIGNMENT_CLASSES_SHEET = '本园班级';
export const ASSIGNMENT_LOG_SHEET = '分班导入校验日志';
export const KEY_COLUMN_HEADER = '幼儿学籍号或身份证件号码';
export const CLASS_COLUMN_HEADER = '班级名称';
/** Rows the class dropdown covers: bounded, so the file stays small. */
const DROPDOWN_ROWS = 2_000;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const A4_FIT_TO_WIDTH: Partial<ExcelJS.PageSetup> = { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };

function header(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', wrapText: true };
  });
}

/**
 * The class-assignment template: the 分班 sheet (two columns, the key column as text so an ID
 * number's 18 digits survive), a dropdown of the institution's class names from the 本园班级
 * sheet, and the instructions.
 */
export async function buildAssignmentTemplate(classes: Array<{ name: string; grade: string; schoolYear: string }>, maxRows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '全国学前教育管理信息系统';
  const data = workbook.addWorksheet(ASSIGNMENT_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const guide = workbook.addWorksheet(ASSIGNMENT_GUIDE_SHEET);
  const list = workbook.addWorksheet(ASSIGNMENT_CLASSES_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });

  data.columns = [
    { header: `${KEY_COLUMN_HEADER}*`, width: 28, style: { numFmt: '@' } },
    { header: `${CLASS_COLUMN_HEADER}*`, width: 20, style: { numFmt: '@' } },
  ];
  header(data.getRow(1));
  data.getRow(1).font = { bold: true, color: { argb: 'FFC00000' } };

  list.columns = [{ header: '班级名称', width: 20 }, { header: '年级', width: 10 }, { header: '学年', width: 12 }];
  header(list.getRow(1));
  const sorted = [...classes].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  for (const c of sorted) list.addRow([c.name, c.grade, c.schoolYear]);
  if (sorted.length > 0) {
    const validations = (data as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }).dataValidations;
    validations.add(`B2:B${DROPDOWN_ROWS + 1}`, {
      type: 'list', allowBlank: true, formulae: [`'${ASSIGNMENT_CLASSES_SHEET}'!$A$2:$A$${sorted.length + 1}`], showErrorMessage: true,
      // a warning, not a stop: a class created after the download is still accepted by the import
      errorStyle: 'warning', errorTitle: '不是本园的班级', error: '请从下拉列表中选择班级；其他名称导入时会再次检查',
    });
  }

  guide.columns = [{ header: '填写说明', width: 90 }];
  header(guide.getRow(1));
  for (const line of [
    `1. 在“${ASSIGNMENT_SHEET}”工作表中，从第 2 行起每行填写一名幼儿；不要修改第 1 行的列名。`,
    `2. “${KEY_COLUMN_HEADER}”填幼儿的全国学籍号（G 或 J 开头），或其身份证件号码（18 位，末位 X 大小写均可）。`,
    `3. “${CLASS_COLUMN_HEADER}”填本园已建立的班级名称，可从下拉列表中选择；本园班级见“${ASSIGNMENT_CLASSES_SHEET}”工作表。`,
    '4. 只能分配本园审核通过、在园的幼儿；已在其他班级的幼儿请在“调班”中办理。',
    `5. 一个文件最多 ${maxRows} 行。导入时逐行检查，有问题的行不会分班，其余照常分班；请按“分班导入校验日志”修改后只重新导入这些行。`,
  ]) {
    const row = guide.addRow([line]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }

  for (const sheet of [data, guide, list]) sheet.pageSetup = { ...sheet.pageSetup, ...A4_FIT_TO_WIDTH, printTitlesRow: '1:1' };
  await list.protect('', { selectLockedCells: true, selectUnlockedCells: true, sort: false, autoFilter: true });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The log of one upload: a summary, then one line per refused row (行号, 列, 填写的值, 问题说明, 代码). */
export async function buildAssignmentLog(batch: AssignmentImportCounts & { batchId: string; fileName: string | null; issues: AssignmentIssue[] }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(ASSIGNMENT_LOG_SHEET);
  sheet.columns = [
    { key: 'row', width: 8 },
    { key: 'column', width: 10 },
    { key: 'value', width: 26, style: { numFmt: '@' } },
    { key: 'reason', width: 70, style: { alignment: { wrapText: true, vertical: 'top' } } },
    { key: 'code', width: 24 },
  ];
  sheet.addRow([ASSIGNMENT_LOG_SHEET]).font = { bold: true, size: 14 };
  for (const [label, value] of [
    ['文件名', batch.fileName ?? '（未记录）'],
    ['批次号', batch.batchId],
    ['数据行数', batch.rows],
    ['已分班', batch.placed],
    ['已在该班（未变动）', batch.unchanged],
    ['有问题未分班', batch.failed],
  ] as const) {
    sheet.addRow([label, value]).getCell(1).font = { bold: true };
  }
  sheet.addRow([]);
  header(sheet.addRow(['行号', '列', '填写的值', '问题说明', '代码']));
  for (const issue of [...batch.issues].sort((a, b) => a.row - b.row)) sheet.addRow([issue.row, issue.column, issue.value, issue.reason, issue.code]);
  sheet.views = [{ state: 'frozen', ySplit: 9 }];
  sheet.pageSetup = { ...sheet.pageSetup, ...A4_FIT_TO_WIDTH, orientation: 'landscape' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
