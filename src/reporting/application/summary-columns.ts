import type { Bucket } from './figures.js';
import type { UnitReport } from './reports.service.js';

/** The columns of an office's summary export, with Chinese headers: one row per unit. */
export interface SummaryColumn {
  header: string;
  value(unit: UnitReport): string | number;
}

const LEVEL_LABELS: Record<string, string> = { ministry: '全国', province: '省', prefecture: '市', county: '县', institution: '机构' };
const count = (list: Bucket[], code: string): number => list.find((b) => b.code === code)?.count ?? 0;
const AGES = ['2', '3', '4', '5', '6'];
const GRADES: Array<[string, string]> = [['托班', '托班'], ['小班', '小班'], ['中班', '中班'], ['大班', '大班'], ['混龄班', '混龄班'], ['unplaced', '未分班']];

export const SUMMARY_COLUMNS: readonly SummaryColumn[] = [
  { header: '单位代码', value: (u) => u.unit.slice(2) },
  { header: '单位名称', value: (u) => u.name },
  { header: '层级', value: (u) => LEVEL_LABELS[u.level] ?? u.level },
  { header: '上级单位代码', value: (u) => (u.parent ?? '').slice(2) },
  { header: '在册机构数', value: (u) => u.figures.institutions.registered },
  { header: '纳入统计机构数', value: (u) => u.figures.institutions.counted },
  { header: '公办机构数', value: (u) => count(u.figures.institutions.countedByOwnership, 'public') },
  { header: '民办机构数', value: (u) => count(u.figures.institutions.countedByOwnership, 'private') },
  { header: '无证机构数', value: (u) => u.figures.unlicensed.institutions },
  { header: '无证机构幼儿数', value: (u) => u.figures.unlicensed.children },
  { header: '班级数', value: (u) => u.figures.classes.total },
  ...GRADES.slice(0, 5).map(([code, label]) => ({ header: `${label}班级数`, value: (u: UnitReport) => count(u.figures.classes.byGrade, code) })),
  { header: '在园幼儿数', value: (u) => u.figures.children.total },
  ...GRADES.map(([code, label]) => ({ header: `${label}幼儿数`, value: (u: UnitReport) => count(u.figures.children.byGrade, code) })),
  { header: '男', value: (u) => count(u.figures.children.byGender, '1') },
  { header: '女', value: (u) => count(u.figures.children.byGender, '2') },
  ...AGES.map((age) => ({ header: `${age}岁`, value: (u: UnitReport) => count(u.figures.children.byAge, age) })),
  { header: '少数民族幼儿数', value: (u) => u.figures.children.byEthnicity.filter((b) => b.code !== '01').reduce((n, b) => n + b.count, 0) },
  { header: '留守儿童数', value: (u) => u.figures.children.leftBehind },
  { header: '进城务工人员随迁子女数', value: (u) => u.figures.children.migrantWorkerChildren },
  { header: '残疾幼儿数', value: (u) => u.figures.children.disabled },
  { header: '孤儿数', value: (u) => u.figures.children.orphans },
  { header: '本月离园人数', value: (u) => u.figures.leftThisMonth.total },
  { header: '已审核通过记录数', value: (u) => u.figures.records.numbered },
  { header: '待审核记录数', value: (u) => u.figures.records.awaitingReview },
];
