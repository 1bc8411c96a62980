import { describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SnapshotJob } from '../src/reporting/application/snapshot-job.js';
import { addMonths, cutoffOf } from '../src/reporting/domain/snapshot.decider.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import type { AppConfig } from '../src/config/app-config.js';
import { beijingDate } from '../src/shared/time/beijing.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { type DemoApp, createDemoApp, useDemoApp } from './fixtures/demo-app.js';
import { api, enrolmentHelpers } from './fixtures/enrolment.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

/**
 * Monthly snapshots, reports and exports (issue 17), walked as a kindergarten, its county, the
 * prefecture's leader and the province would. The clock is the service's (SettableClock): the
 * month-end job is run as the cron runs it, at a cut-off the test moves the clock across.
 */

/** A month whose cut-off (00:00 Beijing on its last day) is at least a day after `from`. */
function monthAfter(from: Date): string {
  let month = beijingDate(from).slice(0, 7);
  while (cutoffOf(month).getTime() - from.getTime() < 86_400_000) month = addMonths(month, 1);
  return month;
}

type Report = { unit: string; figures: Record<string, any>; parts: Array<{ unit: string; figures: Record<string, any> }> }; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('reporting: month-end snapshot, rebuildable past, as corrected since (HTTP)', () => {
  // after the demo was loaded (real time), so the log's times only grow
  const start = new Date(Date.now() + 60_000);
  const clock = new SettableClock(start);
  const month = monthAfter(start);
  const cutoff = cutoffOf(month);
  const app = useDemoApp({ clock });
  // sessions end after 30 idle minutes of the service's clock: log in again after each move of the clock
  const tokens = new Map<string, string>();
  const demo: DemoApp = {
    get app() { return app.app; },
    get http() { return app.http; },
    async as(username) {
      if (!tokens.has(username)) tokens.set(username, (await app.http.post(`${api}/auth/login`).send({ username, password: DEMO_PASSWORD }).expect(200)).body.token);
      return { Authorization: `Bearer ${tokens.get(username)}` };
    },
  };
  const setClock = (at: Date | string) => {
    clock.set(at);
    tokens.clear();
  };
  const h = enrolmentHelpers(demo, '1141010001', 700);
  const live = async (username: string, unit?: string): Promise<Report> =>
    (await demo.http.get(`${api}/reports/live${unit ? `?unit=${unit}` : ''}`).set(await h.fresh(username)).expect(200)).body;

  it('the snapshot the job keeps equals the month recomputed from the log; a later correction shows as exactly that difference', async () => {
    // a day before the cut-off, in the month: three children in a 大班, one leaves
    setClock(new Date(cutoff.getTime() - 86_400_000 + 3_600_000));
    const before = await live('410102-review', 'i:1141010001');
    const cls = await h.classWith('大五班', '大班', 3);
    const [leaver] = cls.children as [string];
    await demo.http.post(`${api}/leaves/${leaver}`).set(await h.business()).send({ leaveType: 'transfer-out', leaveDate: beijingDate(clock.now()), reason: '随父母迁往外省' }).expect(200);
    const atCutoff = await live('410102-review', 'i:1141010001');
    expect(atCutoff.figures.children.total).toBe(before.figures.children.total + 2);
    expect(atCutoff.figures.leftThisMonth).toMatchObject({ month, total: before.figures.leftThisMonth.total + 1 });
    expect(atCutoff.figures.children.byGrade.find((b: { code: string }) => b.code === '大班').count).toBeGreaterThanOrEqual(2);
    expect(atCutoff.figures.classes.byGrade.find((b: { code: string }) => b.code === '大班').count).toBe(before.figures.classes.byGrade.find((b: { code: string }) => b.code === '大班')?.count + 1 || 1);
    expect(atCutoff.figures.children.byGender.every((b: { label: string }) => /[男女]/.test(b.label))).toBe(true);

    // midnight of the last day: the job the cron calls keeps the month, once
    setClock(new Date(cutoff.getTime() + 60_000));
    const job = demo.app.get(SnapshotJob);
    expect(await job.takeDue('schedule')).toEqual([month]);
    expect(await job.takeDue('schedule')).toEqual([]);

    // after the cut-off: a new child (next month's news) and a restoration of the leaver (a correction of this month)
    await h.numbered(1);
    const application = (await demo.http.post(`${api}/restorations`).set(await h.business()).send({ category: 'transfer-out', recordIds: [leaver], reason: '转出登记有误，幼儿仍在园' }).expect(201)).body.id;
    await demo.http.post(`${api}/restorations/${application}/approve`).set(await demo.as('410102-review')).expect(200);

    const kept = (await demo.http.get(`${api}/reports/months/${month}?unit=i:1141010001`).set(await demo.as('410102-review')).expect(200)).body as Report;
    const { at: _a, ...keptFigures } = kept.figures;
    const { at: _b, ...liveFigures } = atCutoff.figures;
    expect(keptFigures).toEqual(liveFigures);

    const recomputed = (await demo.http.get(`${api}/reports/months/${month}/recomputed?unit=i:1141010001`).set(await demo.as('410102-review')).expect(200)).body;
    expect(recomputed.equalsKept).toBe(true);
    expect(recomputed.unitsCompared).toBeGreaterThan(5);
    const { at: _c, ...recomputedFigures } = recomputed.figures;
    expect(recomputedFigures).toEqual(keptFigures);

    const corrected = (await demo.http.get(`${api}/reports/months/${month}/corrected?unit=i:1141010001`).set(await demo.as('410102-review')).expect(200)).body;
    expect(corrected.correctionsApplied).toBe(1);
    const diff = Object.fromEntries((corrected.differences as Array<{ path: string; difference: number }>).map((d) => [d.path, d.difference]));
    // exactly the restored child: back in the kindergarten, no longer among the month's leavers; not the child entered after the cut-off
    expect(diff).toMatchObject({ 'children.total': 1, 'leftThisMonth.total': -1, 'leftThisMonth.byType.transfer-out': -1, 'records.numbered': 1, 'records.byStatus.left': -1, 'records.byStatus.numbered': 1 });
    expect(Object.values(diff).every((d) => d === 1 || d === -1)).toBe(true);
    expect(Object.keys(diff).some((p) => p.startsWith('institutions.'))).toBe(false);
    expect(corrected.kept).toEqual(kept.figures);

    // the live figures moved on: the new child and the restored one
    const now = await live('410102-review', 'i:1141010001');
    expect(now.figures.children.total).toBe(atCutoff.figures.children.total + 2);
  });

  it('drill-down from the province to the prefecture, the county and the institution; month against the previous month', async () => {
    const province = await live('admin');
    expect(province.unit).toBe('d:410000');
    const prefectures = province.parts.map((p) => p.unit);
    expect(prefectures).toEqual(expect.arrayContaining(['d:410100', 'd:410200']));
    const prefecture = await live('admin', 'd:410100');
    expect(prefecture.parts.map((p) => p.unit)).toEqual(expect.arrayContaining(['d:410102', 'd:410103']));
    const county = await live('admin', 'd:410102');
    expect(county.parts.map((p) => p.unit)).toEqual(expect.arrayContaining(['i:1141010001', 'i:1141010002']));
    // the sum of the parts is the whole
    const sum = (r: Report) => r.parts.reduce((n, p) => n + p.figures.children.total, 0);
    expect(sum(province)).toBe(province.figures.children.total);
    expect(sum(county)).toBe(county.figures.children.total);
    expect(county.figures.institutions.counted).toBe(county.parts.filter((p) => p.figures.children.total > 0).length);

    const comparison = (await demo.http.get(`${api}/reports/months/${month}/comparison?unit=d:410102`).set(await demo.as('410102-leader')).expect(200)).body;
    expect(comparison).toMatchObject({ unit: 'd:410102', month, previousMonth: null, sameMonthLastYear: null });
    const snapshots = (await demo.http.get(`${api}/reports/snapshots`).set(await h.fresh('410102-leader')).expect(200)).body.items;
    expect(snapshots[0]).toMatchObject({ month, trigger: 'schedule', cutoffAt: cutoff.toISOString() });
  });

  it('a leader account reads reports and cannot write anything; a county reads only its own', async () => {
    const leader = await demo.as('410100-leader');
    await demo.http.get(`${api}/reports/live`).set(leader).expect(200);
    await demo.http.get(`${api}/reports/months/${month}?unit=d:410102`).set(leader).expect(200);
    const write = await demo.http.post(`${api}/records`).set(leader).send({});
    expect(write.status).toBe(403);
    expect(write.body.code).toBe('leader-read-only');
    const county = await demo.as('410102-review');
    for (const unit of ['d:410103', 'd:410100', 'i:1141010004', 'd:000000', 'x']) {
      const res = await demo.http.get(`${api}/reports/live?unit=${unit}`).set(county);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('report-unit-not-found');
    }
    await demo.http.get(`${api}/reports/months/${month}?unit=d:410103`).set(county).expect(404);
    // a kindergarten reads its own figures, not its neighbour's
    await demo.http.get(`${api}/reports/live`).set(await demo.as('1141010002-business')).expect(200);
    await demo.http.get(`${api}/reports/live?unit=i:1141010001`).set(await demo.as('1141010002-business')).expect(404);
  });

  it('institutions find the month\'s update reminder in their to-do list', async () => {
    // the clock stands on the month's last day: past the 25th, the reminder says so
    const [todo] = (await demo.http.get(`${api}/todos`).set(await demo.as('1141010001-business')).expect(200)).body;
    expect(todo).toMatchObject({ code: 'monthly-update', dueDate: `${month}-25`, overdue: true, snapshotAt: cutoff.toISOString() });
    expect(todo.title).toMatch(/已过 \d+ 月 25 日/);
    expect((await demo.http.get(`${api}/todos`).set(await demo.as('410102-review')).expect(200)).body).toEqual([]);
  });
});

describe('reporting: a restart across the month-end midnight takes the missed snapshot once', () => {
  it('the service down at the cut-off takes the month at start-up, for the same cut-off; further starts and runs take nothing', async () => {
    const start = new Date(Date.now() + 60_000);
    const month = monthAfter(start);
    const cutoff = cutoffOf(month);
    const clock = new SettableClock(new Date(cutoff.getTime() - 3_600_000));
    const demo = await createDemoApp({ clock });
    const dataDir = demo.app.get<AppConfig>(APP_CONFIG).dataDir;
    await demo.http.get(`${api}/reports/live`).set(await demo.as('410102-review')).expect(200);
    const head = await demo.app.get<EventStore>(EVENT_STORE).headPosition();
    await demo.app.close();

    // down across midnight; up again ten minutes after it
    clock.set(new Date(cutoff.getTime() + 600_000));
    let app: NestFastifyApplication = await createFixtureApp({ dataDir }, undefined, clock);
    const stream = async () => app.get<EventStore>(EVENT_STORE).readStream(`reporting-snapshot-${month}`);
    const [taken] = await stream();
    expect(taken?.data).toMatchObject({ month, cutoffAt: cutoff.toISOString(), trigger: 'start-up' });
    // nothing happened while the service was down: the cut-off is the log as it stopped (plus the logins' session events before it)
    expect(Number(taken!.data['cutoffPosition'])).toBeGreaterThanOrEqual(head);
    // the cron firing now, twice at once, and another restart: still one snapshot
    await Promise.all([app.get(SnapshotJob).onSchedule(), app.get(SnapshotJob).onSchedule()]);
    await app.close();
    app = await createFixtureApp({ dataDir }, undefined, clock);
    await app.get(SnapshotJob).takeDue('start-up');
    expect(await stream()).toHaveLength(1);
    await app.close();
  });
});
