import { type CodeTableName, codeEntries, codeLabel } from '../../records/contracts/code-labels.js';
import { beijingDate, schoolYearStart } from '../../shared/time/beijing.js';
import type { Counters } from '../domain/units.js';

/** One line of a breakdown: the code as stored, its Chinese label, the count. */
export interface Bucket {
  code: string;
  label: string;
  count: number;
}

/** The summary figures of one unit at one moment (issue 17, item 1), as reports and exports show them. */
export interface Figures {
  /** the moment the figures describe (now, or a month's cut-off) */
  at: string;
  schoolYear: number;
  institutions: { registered: number; counted: number; byType: Bucket[]; byOwnership: Bucket[]; countedByType: Bucket[]; countedByOwnership: Bucket[] };
  unlicensed: { institutions: number; children: number };
  classes: { total: number; byGrade: Bucket[] };
  children: {
    total: number; byGrade: Bucket[]; byGender: Bucket[]; byAge: Bucket[]; byEthnicity: Bucket[];
    leftBehind: number; leftBehindByType: Bucket[]; migrantWorkerChildren: number; disabled: number; disabilityByType: Bucket[]; orphans: number;
  };
  leftThisMonth: { month: string; total: number; byType: Bucket[] };
  records: { numbered: number; awaitingReview: number; byStatus: Bucket[] };
}

/** A unit's figures, named. */
export interface UnitFigures {
  unit: string;
  level: string;
  name: string;
  figures: Figures;
}

/** A unit's report: its figures and its parts' (reports, the cached answers, the summary export). */
export interface UnitReport extends UnitFigures {
  parent: string | null;
  /** the units one level down (drill-down: province -> prefectures -> counties -> institutions) */
  parts: UnitFigures[];
}

export const INSTITUTION_TYPE_LABELS: Record<string, string> = { kindergarten: '幼儿园', 'attached-kindergarten': '附设幼儿班', 'preschool-class': '学前班' };
export const OWNERSHIP_LABELS: Record<string, string> = { public: '公办', private: '民办' };
export const GRADE_ORDER = ['托班', '小班', '中班', '大班', '混龄班', 'unplaced'];
export const LEAVE_LABELS: Record<string, string> = { 'transfer-out': '转出', graduated: '毕业', suspended: '休学', other: '其他', accident: '发生意外离园' };
export const STATUS_LABELS: Record<string, string> = {
  saved: '已保存', submitted: '已提交（查重中）', 'dedupe-passed': '待审核', problem: '问题学籍', rejected: '已驳回', numbered: '审核通过（已生成学籍号）',
  deleted: '已删除', void: '已失效', left: '已离园', cancelled: '已注销（意外离园）',
};

/** The counters under `prefix`, as buckets ordered by `order` (else by code), labelled. */
function buckets(counters: Counters, prefix: string, label: (code: string) => string, order?: readonly string[]): Bucket[] {
  const out: Bucket[] = [];
  for (const [key, count] of Object.entries(counters)) if (key.startsWith(prefix) && count !== 0) out.push({ code: key.slice(prefix.length), label: label(key.slice(prefix.length)), count });
  const rank = (code: string) => (order ? (order.indexOf(code) === -1 ? order.length : order.indexOf(code)) : 0);
  return out.sort((a, b) => rank(a.code) - rank(b.code) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const sum = (list: Bucket[], skip: (code: string) => boolean = () => false): number => list.filter((b) => !skip(b.code)).reduce((n, b) => n + b.count, 0);
const coded = (table: CodeTableName) => (code: string) => codeLabel(table, code);
const order = (table: CodeTableName) => codeEntries(table).map((e) => e.code);

/** The figures of a unit's counters as of `at` (ages on 31 August of that school year, this month's leavers). */
export function figuresOf(counters: Counters, at: string): Figures {
  const schoolYear = schoolYearStart(at);
  const month = beijingDate(at).slice(0, 7);
  const c = (key: string) => counters[key] ?? 0;
  const byAge = buckets(counters, 'age:', (cohort) => `${schoolYear - Number(cohort)}岁`)
    .map((b) => ({ ...b, code: String(schoolYear - Number(b.code)) }))
    .sort((a, b) => Number(a.code) - Number(b.code));
  const classes = buckets(counters, `classes:${schoolYear}:`, (g) => g, GRADE_ORDER);
  const leftBehindByType = buckets(counters, 'lb:', coded('leftBehind'), order('leftBehind'));
  const disabilityByType = buckets(counters, 'dis:', coded('disabilityType'), order('disabilityType'));
  const left = buckets(counters, `left:${month}:`, (t) => LEAVE_LABELS[t] ?? t, Object.keys(LEAVE_LABELS));
  const byStatus = buckets(counters, 'st:', (s) => STATUS_LABELS[s] ?? s, Object.keys(STATUS_LABELS)).filter((b) => b.code !== 'deleted');
  return {
    at,
    schoolYear,
    institutions: {
      registered: c('inst'), counted: c('counted'),
      byType: buckets(counters, 'inst:type:', (t) => INSTITUTION_TYPE_LABELS[t] ?? t), byOwnership: buckets(counters, 'inst:own:', (o) => OWNERSHIP_LABELS[o] ?? o),
      countedByType: buckets(counters, 'counted:type:', (t) => INSTITUTION_TYPE_LABELS[t] ?? t), countedByOwnership: buckets(counters, 'counted:own:', (o) => OWNERSHIP_LABELS[o] ?? o),
    },
    unlicensed: { institutions: c('unlicensed'), children: c('unlicensed:children') },
    classes: { total: sum(classes), byGrade: classes },
    children: {
      total: c('children'),
      byGrade: buckets(counters, 'grade:', (g) => (g === 'unplaced' ? '未分班' : g), GRADE_ORDER),
      byGender: buckets(counters, 'g:', coded('gender'), order('gender')),
      byAge,
      byEthnicity: buckets(counters, 'eth:', coded('ethnicity'), order('ethnicity')),
      leftBehind: sum(leftBehindByType, (code) => code === '0'), leftBehindByType,
      migrantWorkerChildren: c('mig:1'),
      disabled: sum(disabilityByType), disabilityByType,
      orphans: c('orph:1'),
    },
    leftThisMonth: { month, total: sum(left), byType: left },
    records: { numbered: c('st:numbered'), awaitingReview: c('st:dedupe-passed'), byStatus },
  };
}

/** Every number of two figures that differs, by its path ("children.byGender.1"): month against month. */
export function flatten(figures: Figures): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') out[path] = value;
    else if (Array.isArray(value)) for (const b of value as Bucket[]) out[`${path}.${b.code}`] = b.count;
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'at' && k !== 'schoolYear' && k !== 'month') walk(v, path ? `${path}.${k}` : k);
  };
  walk(figures, '');
  return out;
}
