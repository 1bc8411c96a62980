import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import { invalid, unavailable } from '../../shared/domain/domain-error.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import { READ_STORE, type ReadStore } from '../../shared/read-store/read-store.port.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import { FundingFigures } from '../../supervision/contracts/index.js';
import { cutoffOf } from '../domain/snapshot.decider.js';
import { reportingProjection } from '../projections/reporting.projection.js';
import { ProjectionManager } from '../../shared/projections/projection-manager.js';
import { countersProjection } from '../projections/counters.projection.js';

const SNAPSHOTS = physicalCollection(reportingProjection, 'snapshots');
const WAIT_MS = 5000;
/** institutions finish the month's updates by this day; the snapshot follows on the last day */
export const UPDATE_DAY = 25;

/** The small reads of reporting: the months kept, the to-do list, read-your-writes on the live counters. */
@Injectable()
export class ReportLists {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projections: ProjectionManager,
    private readonly funding: FundingFigures,
  ) {}

  async snapshots(page: { cursor?: string; limit: number }) {
    const found = await this.reads.find(SNAPSHOTS, {}, { sort: [['month', 'desc']], limit: page.limit, ...(page.cursor ? { cursor: page.cursor } : {}) });
    return { items: found.items.map(({ month, cutoffAt, cutoffPosition, trigger, takenAt, units }) => ({ month, cutoffAt, cutoffPosition, trigger, takenAt, units })), nextCursor: found.nextCursor };
  }

  /** X-Min-Position on the live counters: wait until they include it (bounded), else 503. */
  async waitForCounters(raw: string | undefined): Promise<void> {
    if (raw === undefined) return;
    const position = Number(raw);
    if (!Number.isSafeInteger(position) || position < 0) throw invalid([{ field: 'X-Min-Position', code: 'invalid-min-position', message: 'X-Min-Position 应为命令响应中返回的 position（非负整数）' }]);
    if (!(await this.projections.waitFor(position, WAIT_MS, [countersProjection.name]))) throw unavailable('counters-lagging', `汇总数据正在更新，${WAIT_MS} 毫秒内未能同步到位置 ${position}，请稍后刷新`);
  }

  /**
   * The caller's to-do list. An institution's accounts are reminded every month to finish the
   * month's updates (new children, leaves, classes) by the 25th, before the month-end snapshot.
   * An office (province, prefecture, county) is reminded of each of its own preschool projects
   * not yet updated this month (supervision, issue 19): the month-end keeps their figures.
   */
  async todos(principal: Principal) {
    const today = beijingDate(this.clock.now());
    const month = today.slice(0, 7);
    const snapshotAt = cutoffOf(month).toISOString();
    const [, m] = month.split('-').map(Number) as [number, number];
    if (principal.level === 'province' || principal.level === 'prefecture' || principal.level === 'county') {
      const stale = await this.funding.notUpdated({ level: principal.level, divisionCode: principal.divisionCode }, month);
      // due the day before the month's last day: the month-end keeps the figures at 00:00 on it
      const lastDay = beijingDate(new Date(Date.parse(snapshotAt) - 1));
      return stale.map((p) => ({
        code: 'project-not-updated', title: `学前教育项目“${p.name}”${m} 月尚未更新进展，请在 ${m} 月最后一天 0 点月末统计前填报本月资金与进度`,
        dueDate: lastDay, overdue: false, snapshotAt, projectId: p.projectId,
      }));
    }
    if (principal.level !== 'institution') return [];
    const dueDate = `${month}-${String(UPDATE_DAY).padStart(2, '0')}`;
    const overdue = today > dueDate;
    const title = overdue
      ? `已过 ${m} 月 ${UPDATE_DAY} 日，请尽快完成本月幼儿信息更新（新入园、离园、分班），月度快照将于本月最后一天 0 点生成`
      : `请在 ${m} 月 ${UPDATE_DAY} 日前完成本月幼儿信息更新（新入园、离园、分班），月度快照于本月最后一天 0 点生成`;
    return [{ code: 'monthly-update', title, dueDate, overdue, snapshotAt }];
  }
}
