import ExcelJS from 'exceljs';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import { HANDLING_LABEL, type Handling } from '../domain/declaration-kind.decider.js';
import { type DeclarationStatus, STATUS_LABEL } from '../domain/declaration.decider.js';
import { yuan } from '../domain/fen.js';
import type { Funds } from '../domain/funding-project.decider.js';
import type { Totals } from './projects/project-totals.js';
import { levelName } from './supervision-access.js';

/**
 * The xlsx downloads of the queues and project lists. Amounts are written as text in yuan with
 * two decimals ("1234.56"), so Excel neither rounds nor re-formats them; the fen figures of the
 * API are the exact source.
 */
const TEXT = { numFmt: '@' };

async function finish(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function declarationsWorkbook(rows: Doc[], today: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '全国学前教育管理信息系统';
  const sheet = workbook.addWorksheet('异动申报', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '机构标识码', key: 'institutionCode', width: 14, style: TEXT },
    { header: '机构名称', key: 'institutionName', width: 30 },
    { header: '区划代码', key: 'divisionCode', width: 10, style: TEXT },
    { header: '异动类型', key: 'kindName', width: 16 },
    { header: '处理方式', key: 'handling', width: 10 },
    { header: '状态', key: 'status', width: 10 },
    { header: '提交时间', key: 'submittedAt', width: 22 },
    { header: `已用工作日（截至 ${today}）`, key: 'elapsed', width: 20 },
    { header: '办理期限', key: 'dueDate', width: 12 },
    { header: '是否超期', key: 'overdue', width: 10 },
    { header: '异动原因', key: 'reason', width: 40 },
    { header: '处理意见', key: 'handlingNote', width: 40 },
  ];
  for (const r of rows) {
    sheet.addRow({
      institutionCode: r['institutionCode'], institutionName: r['institutionName'] ?? '', divisionCode: r['divisionCode'], kindName: r['kindName'],
      handling: HANDLING_LABEL[r['handling'] as Handling], status: STATUS_LABEL[r['status'] as DeclarationStatus], submittedAt: r['submittedAt'],
      elapsed: r['workingDaysElapsed'] ?? '', dueDate: r['dueDate'] ?? '', overdue: r['overdue'] ? '超期' : '', reason: r['reason'] ?? '', handlingNote: r['handlingNote'] ?? '',
    });
  }
  sheet.getRow(1).font = { bold: true };
  return finish(workbook);
}

export async function projectsWorkbook(projects: Doc[], totals: Totals, byLevel: Array<{ level: string } & Totals>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '全国学前教育管理信息系统';
  const sheet = workbook.addWorksheet('学前教育项目', { views: [{ state: 'frozen', ySplit: 1 }] });
  const money = (key: string, header: string) => ({ header, key, width: 16, style: { ...TEXT, alignment: { horizontal: 'right' as const } } });
  sheet.columns = [
    { header: '填报层级', key: 'level', width: 10 },
    { header: '区划代码', key: 'divisionCode', width: 10, style: TEXT },
    { header: '项目名称', key: 'name', width: 36 },
    { header: '项目类别', key: 'kind', width: 14 },
    { header: '年度', key: 'year', width: 8 },
    money('central', '中央资金（元）'), money('provincial', '省级资金（元）'), money('local', '地方资金（元）'),
    money('allocated', '已下达（元）'), money('spent', '已支出（元）'),
    { header: '进度（%）', key: 'progress', width: 10 },
    { header: '最近填报月份', key: 'lastMonth', width: 14 },
    { header: '备注', key: 'note', width: 30 },
  ];
  for (const p of projects) {
    const funds = p['funds'] as Funds;
    sheet.addRow({ level: levelName(String(p['level'])), divisionCode: p['divisionCode'], name: p['name'], kind: p['kind'], year: p['year'], central: yuan(funds.central), provincial: yuan(funds.provincial), local: yuan(funds.local), allocated: yuan(String(p['allocated'])), spent: yuan(String(p['spent'])), progress: p['progress'], lastMonth: p['lastMonth'], note: p['note'] ?? '' });
  }
  sheet.getRow(1).font = { bold: true };
  const sums = workbook.addWorksheet('合计');
  sums.columns = [{ header: '层级', key: 'level', width: 12 }, { header: '项目数', key: 'projects', width: 8 }, money('central', '中央资金（元）'), money('provincial', '省级资金（元）'), money('local', '地方资金（元）'), money('funds', '资金合计（元）'), money('allocated', '已下达（元）'), money('spent', '已支出（元）')];
  const line = (level: string, t: Totals) => ({ level, projects: t.projects, central: yuan(t.central), provincial: yuan(t.provincial), local: yuan(t.local), funds: yuan(t.funds), allocated: yuan(t.allocated), spent: yuan(t.spent) });
  for (const t of byLevel) sums.addRow(line(levelName(t.level), t));
  sums.addRow(line('合计', totals)).font = { bold: true };
  sums.getRow(1).font = { bold: true };
  return finish(workbook);
}
