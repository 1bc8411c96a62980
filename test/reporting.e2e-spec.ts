import { describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import ExcelJS from 'exceljs';
import { ExportsService, RESTART_REASON } from '../src/reporting/application/exports.service.js';
import { SnapshotJob } from '../src/reporting/application/snapshot-job.js';
import { XLSX } from '../src/shared/http/spreadsheet-files.js';
import { CommandPath } from '../src/shared/command/command-path.js';
import { exportDecider } from '../src/reporting/domain/export.decider.js';
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
import { templateFile } from './fixtures/template-file.js';

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
  it('a month against the previous month: the next month-end keeps what changed since', async () => {
    const next = addMonths(month, 1);
    setClock(new Date(cutoffOf(next).getTime() + 60_000));
    expect(await demo.app.get(SnapshotJob).takeDue('schedule')).toEqual([next]);
    const comparison = (await demo.http.get(`${api}/reports/months/${next}/comparison?unit=i:1141010001`).set(await demo.as('410102-leader')).expect(200)).body;
    expect(comparison.previousMonth.month).toBe(month);
    expect(comparison.sameMonthLastYear).toBeNull();
    const change = Object.fromEntries((comparison.changeFromPreviousMonth as Array<{ path: string; change: number }>).map((c) => [c.path, c.change]));
    // the child entered after the cut-off and the restored one; last month's leaver is not this month's
    expect(change).toMatchObject({ 'children.total': 2, 'records.numbered': 2, 'leftThisMonth.total': -1 });
    expect(comparison.figures.children.total).toBe(comparison.previousMonth.figures.children.total + 2);
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
    // an export job the process dies with: recorded as requested, never completed
    const exportId = '0d7e8f9a-1b2c-4d3e-8f40-5a6b7c8d9e0f';
    const county = (await demo.http.get(`${api}/auth/me`).set(await demo.as('410102-review')).expect(200)).body;
    await demo.app.get(CommandPath).run({
      streamId: `reporting-export-${exportId}`, decider: exportDecider,
      command: { type: 'RequestExport', exportId, kind: 'office-summary', unit: 'd:410102', divisionCode: '410102', month: null, masked: true, at: clock.now().toISOString() },
      context: { actor: { accountId: county.accountId, role: 'review', organisationId: '410102' }, correlationId: 'c', causationId: null },
    });
    const head = await demo.app.get<EventStore>(EVENT_STORE).headPosition();
    await demo.app.close();

    // down across midnight; up again ten minutes after it
    clock.set(new Date(cutoff.getTime() + 600_000));
    let app: NestFastifyApplication = await createFixtureApp({ dataDir }, undefined, clock);
    expect(await app.get(SnapshotJob).startup).toEqual([month]);
    const stream = async () => app.get<EventStore>(EVENT_STORE).readStream(`reporting-snapshot-${month}`);
    const [taken] = await stream();
    expect(taken?.data).toMatchObject({ month, cutoffAt: cutoff.toISOString(), trigger: 'start-up' });
    // nothing happened while the service was down: the cut-off is the log as it stopped (plus the logins' session events before it)
    expect(Number(taken!.data['cutoffPosition'])).toBeGreaterThanOrEqual(head);
    // the interrupted export is failed with its reason, not left running
    expect(await app.get(ExportsService).recovered).toBe(1);
    const exportEvents = await app.get<EventStore>(EVENT_STORE).readStream(`reporting-export-${exportId}`);
    expect(exportEvents.map((e) => e.type)).toEqual(['ExportRequested', 'ExportFailed']);
    expect(exportEvents[1]!.data['reason']).toBe(RESTART_REASON);
    // the cron firing now, twice at once, and another restart: still one snapshot
    await Promise.all([app.get(SnapshotJob).onSchedule(), app.get(SnapshotJob).onSchedule()]);
    await app.close();
    app = await createFixtureApp({ dataDir }, undefined, clock);
    expect(await app.get(SnapshotJob).startup).toEqual([]);
    await app.get(SnapshotJob).takeDue('start-up');
    expect(await stream()).toHaveLength(1);
    await app.close();
  }, 180_000);
});

describe('reporting: exports as jobs, with Chinese headers and code labels, recorded for the administrators', () => {
  const demo = useDemoApp({ clock: new SettableClock(new Date(Date.now() + 60_000)) });
  const KG = '1141010002';
  const binary = (res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  };
  const exported = async (username: string, body: Record<string, unknown>) => {
    const accepted = await demo.http.post(`${api}/exports`).set(await demo.as(username)).send(body).expect(202);
    expect(accepted.body.status).toBe('running');
    await demo.app.get(ExportsService).drain();
    const status = (await demo.http.get(`${api}/exports/${accepted.body.exportId}`).set(await demo.as(username)).expect(200)).body;
    const file = await demo.http.get(`${api}/exports/${accepted.body.exportId}/file`).set(await demo.as(username)).buffer(true).parse(binary as never).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    return { status, sheet: workbook.worksheets[0]!, file };
  };
  const rowsOf = (sheet: ExcelJS.Worksheet) => {
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    return rows;
  };

  it('a kindergarten of 1,200 children exports them all: Chinese headers, code labels, ID numbers only for the entitled', async () => {
    const file = await templateFile(1200);
    const imported = await demo.http.post(`${api}/records/imports`).set(await demo.as(`${KG}-business`)).set('Content-Type', XLSX).set('X-File-Name', encodeURIComponent('全园幼儿.xlsx')).send(file);
    expect(imported.status).toBeLessThan(300);

    const { status, sheet, file: download } = await exported(`${KG}-business`, { kind: 'institution-children' });
    expect(status).toMatchObject({ kind: 'institution-children', unit: `i:${KG}`, status: 'completed', rowsDone: 1200, rowsTotal: 1200, masked: false });
    expect(download.headers['content-type']).toContain('spreadsheetml');
    const [headers, ...rows] = rowsOf(sheet);
    expect(headers).toEqual(expect.arrayContaining(['学籍号', '学籍状态', '姓名', '性别', '出生日期', '身份证件类型', '身份证件号码', '民族', '监护人1姓名']));
    expect(rows).toHaveLength(1200);
    const col = (name: string) => headers!.indexOf(name);
    expect(rows.every((r) => /^[12]-[男女]$/.test(r[col('性别')]!))).toBe(true);
    expect(rows[0]![col('民族')]).toBe('01-汉族');
    expect(rows[0]![col('身份证件类型')]).toBe('1-居民身份证');
    expect(rows[0]![col('学籍状态')]).toBe('已保存');
    expect(rows.every((r) => /^\d{17}[\dX]$/.test(r[col('身份证件号码')]!))).toBe(true);

    // the institution's administrator may not see ID numbers: its export is masked, and says so
    const masked = await exported(`${KG}-admin`, { kind: 'institution-children' });
    expect(masked.status).toMatchObject({ masked: true, rowsDone: 1200 });
    const [mh, first] = rowsOf(masked.sheet);
    expect(first![mh!.indexOf('身份证件号码')]).toMatch(/\*/);
    expect(first![mh!.indexOf('监护人1联系电话')]).toMatch(/\*/);
    // beside an ID number cut to its area code, the birth date is cut to the month: 10,000 candidates at least (ADR 22)
    expect(first![mh!.indexOf('身份证件号码')]).toMatch(/^\d{6}\*{12}$/);
    expect(first![mh!.indexOf('出生日期')]).toMatch(/^\d{4}-\d{2}$/);

    // the download of the unmasked file is a read of each of its 1,200 children, on record for the county; the masked one is none (ADR 22)
    const reads = async () => (await demo.http.get(`${api}/personal-data-reads`).query({ institutionCode: KG, limit: '500' }).set(await demo.as('410102-admin')).set('X-Min-Position', String(await demo.app.get<EventStore>(EVENT_STORE).headPosition())).expect(200)).body.items as Array<{ route: string; username: string; recordId: string }>;
    const newest = await reads();
    expect(newest).toHaveLength(500);
    expect(new Set(newest.map((r) => `${r.username} ${r.route}`))).toEqual(new Set([`${KG}-business GET /api/v1/exports/:exportId/file`]));
    expect(new Set(newest.map((r) => r.recordId)).size).toBe(500);
  }, 120_000);

  it('an office exports its jurisdiction\'s summaries; the register lists every export for the administrators; leaders cannot export', async () => {
    const { status, sheet } = await exported('410102-review', { kind: 'office-summary' });
    expect(status).toMatchObject({ kind: 'office-summary', unit: 'd:410102', status: 'completed', month: null });
    const [headers, ...rows] = rowsOf(sheet);
    expect(headers!.slice(0, 3)).toEqual(['单位代码', '单位名称', '层级']);
    expect(headers).toEqual(expect.arrayContaining(['在园幼儿数', '纳入统计机构数', '留守儿童数', '本月离园人数']));
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(['410102', '1141010001', KG]));
    expect(rows.some((r) => r[0] === '410103' || r[0] === '1141010004')).toBe(false);
    expect(rows.find((r) => r[0] === '410102')![1]).toBe('中原区');

    // a month not kept yet, and a unit outside the county, are refused before anything is recorded
    expect((await demo.http.post(`${api}/exports`).set(await demo.as('410102-review')).send({ kind: 'office-summary', month: '2020-01' })).body.code).toBe('snapshot-not-found');
    expect((await demo.http.post(`${api}/exports`).set(await demo.as('410102-review')).send({ kind: 'office-summary', unit: 'd:410103' })).status).toBe(404);
    expect((await demo.http.post(`${api}/exports`).set(await demo.as('410102-review')).send({ kind: 'institution-children' })).body.code).toBe('institution-export-only');
    const leader = await demo.http.post(`${api}/exports`).set(await demo.as('410102-leader')).send({ kind: 'office-summary' });
    expect(leader.status).toBe(403);
    expect(leader.body.code).toBe('leader-read-only');

    const head = String(await demo.app.get<EventStore>(EVENT_STORE).headPosition());
    const register = (await demo.http.get(`${api}/exports`).set(await demo.as('admin')).set('X-Min-Position', head).expect(200)).body.items as Array<Record<string, unknown>>;
    expect(register).toHaveLength(3);
    expect(register.map((r) => [r['kind'], r['masked'], r['rows'], r['status']])).toEqual(expect.arrayContaining([
      ['institution-children', false, 1200, 'completed'], ['institution-children', true, 1200, 'completed'], ['office-summary', true, rows.length, 'completed'],
    ]));
    expect(register.every((r) => typeof r['requesterAccountId'] === 'string' && typeof r['requestedAt'] === 'string')).toBe(true);
    // the county's administrator sees its own county's; another county's administrator none; a business account may not list
    expect(((await demo.http.get(`${api}/exports`).set(await demo.as('410102-admin')).set('X-Min-Position', head).expect(200)).body.items as unknown[]).length).toBe(3);
    expect((await demo.http.get(`${api}/exports`).set(await demo.as('410103-admin')).expect(200)).body.items).toEqual([]);
    expect((await demo.http.get(`${api}/exports`).set(await demo.as('410102-business'))).status).toBe(403);
    // only the requester follows and downloads a job
    const someone = register[0]!['exportId'];
    expect((await demo.http.get(`${api}/exports/${someone}`).set(await demo.as('410102-business'))).status).toBe(404);
  });
});
