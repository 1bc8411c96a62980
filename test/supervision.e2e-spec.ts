import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { MonthEndJob } from '../src/supervision/application/month-end/month-end.job.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { AppConfig } from '../src/config/app-config.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { createDemoApp } from './fixtures/demo-app.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

/**
 * Supervision and funding projects (issue 19, domain.md section 9) through the HTTP API, as the
 * province (410000), the prefecture 郑州市 (410100), the counties 中原区 (410102) and 二七区
 * (410103), kindergarten 1141010001 (中原区) and a leader account would use it. The clock walks
 * from Tuesday 2026-09-29 across National Day (10-01..10-07 off, Saturday 10-10 a make-up working
 * day) to the month-end at 00:00 Beijing time on 2026-10-31.
 */
describe('supervision: change declarations and funding projects (HTTP)', () => {
  const clock = new SettableClock('2026-09-29T02:00:00.000Z');
  // the app on the demo province; the last test restarts it on the same data folder
  let app: NestFastifyApplication;
  const demo = {
    get app() {
      return app;
    },
    get http() {
      return request(app.getHttpServer());
    },
  };
  beforeAll(async () => {
    app = (await createDemoApp({ clock })).app;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });
  const api = '/api/v1/supervision';
  const kg = '1141010001-business';
  const county = '410102-review';
  const pdf = Buffer.from('%PDF-1.4\n% appointment letter\n');

  // sessions end after 30 idle minutes of the service's clock: each jump of the clock logs the accounts out and in again
  const tokens = new Map<string, string>();
  const as = async (username: string) => {
    if (!tokens.has(username)) tokens.set(username, (await demo.http.post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200)).body.token);
    return { Authorization: `Bearer ${tokens.get(username)}` };
  };
  async function move(at: string) {
    for (const token of tokens.values()) await demo.http.post('/api/v1/auth/logout').set({ Authorization: `Bearer ${token}` });
    tokens.clear();
    clock.set(at);
  }
  /** bearer header plus "read what has been written so far" */
  const fresh = async (username: string) => ({ ...(await as(username)), 'X-Min-Position': String(await demo.app.get<EventStore>(EVENT_STORE).headPosition()) });
  function expectProblem(res: { status: number; body: Record<string, unknown> }, status: number, code: string) {
    expect({ status: res.status, code: res.body['code'] }).toEqual({ status, code });
    expect(String(res.body['message'])).toMatch(/[\u4e00-\u9fff]/);
  }
  const kinds: Record<string, string> = {};
  const projects: string[] = [];

  async function defineKind(username: string, body: object): Promise<string> {
    const res = await demo.http.post(`${api}/declaration-kinds`).set(await as(username)).send(body).expect(201);
    return res.body.id as string;
  }
  async function declare(kindId: string, fields: Record<string, string>, files: Record<string, Buffer> = {}, username = kg, status = 201) {
    let req = demo.http.post(`${api}/declarations`).set(await as(username)).field('kindId', kindId).field('reason', '依规申报异动').field('fields', JSON.stringify(fields));
    for (const [key, bytes] of Object.entries(files)) req = req.attach(key, bytes, `${key}.pdf`);
    const res = await req;
    if (status) expect(res.status).toBe(status);
    return res;
  }
  const detail = async (id: string, username = kg) => (await demo.http.get(`${api}/declarations/${id}`).set(await fresh(username)).expect(200)).body;

  it('kinds: the province defines them; a county only once the province delegated it', async () => {
    kinds['principal'] = await defineKind('410000-business', {
      name: '园长变更', handling: 'review',
      fields: [{ key: 'newPrincipal', label: '新园长', required: true }, { key: 'effectiveDate', label: '生效日期', required: false }],
      attachments: [{ key: 'appointment', label: '任命文件', required: true }],
    });
    kinds['incident'] = await defineKind('410000-business', { name: '安全事故', handling: 'acknowledge', fields: [{ key: 'summary', label: '事故概况', required: true }], attachments: [] });
    const kindBody = { name: '办园地址变更', handling: 'review', fields: [{ key: 'newAddress', label: '新地址', required: true }], attachments: [] };
    expectProblem(await demo.http.post(`${api}/declaration-kinds`).set(await as('410102-business')).send(kindBody), 403, 'kinds-not-delegated');
    expectProblem(await demo.http.post(`${api}/declaration-kinds`).set(await as(kg)).send(kindBody), 403, 'office-only');
    await demo.http.post(`${api}/declaration-kind-delegations`).set(await as('410000-business')).send({ countyCode: '410102', delegated: true }).expect(200);
    kinds['address'] = await defineKind('410102-business', kindBody);

    const own = (await demo.http.get(`${api}/declaration-kinds`).set(await fresh(kg)).expect(200)).body.items.map((k: { name: string }) => k.name);
    expect(own).toEqual(['园长变更', '安全事故', '办园地址变更']);
    // 二七区 was not delegated: its kindergartens see the province's kinds only
    const other = (await demo.http.get(`${api}/declaration-kinds`).set(await fresh('1141010004-business')).expect(200)).body.items.map((k: { name: string }) => k.name);
    expect(other).toEqual(['园长变更', '安全事故']);
    expectProblem(await declare(kinds['address']!, { newAddress: '中原路 1 号' }, {}, '1141010004-business', 0), 404, 'declaration-kind-not-found');
  });

  it('a declaration needing review: submit -> reject with reason -> resubmit -> approve, with the history', async () => {
    const incomplete = await declare(kinds['principal']!, { effectiveDate: '2026-10-08' }, {}, kg, 0);
    expectProblem(incomplete, 400, 'validation-failed');
    expect(incomplete.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['attachments.appointment', 'fields.newPrincipal']);

    const submitted = await declare(kinds['principal']!, { newPrincipal: '王园长' }, { appointment: pdf });
    const id = submitted.body.id as string;
    expectProblem(await demo.http.post(`${api}/declarations/${id}/approve`).set(await as(kg)).send({}), 403, 'office-only');
    expectProblem(await demo.http.post(`${api}/declarations/${id}/approve`).set(await as('410103-review')).send({}), 404, 'declaration-not-found');
    expectProblem(await demo.http.post(`${api}/declarations/${id}/acknowledge`).set(await as(county)).send({}), 422, 'review-required');
    expectProblem(await demo.http.post(`${api}/declarations/${id}/reject`).set(await as(county)).send({}), 400, 'validation-failed');
    await demo.http.post(`${api}/declarations/${id}/reject`).set(await as(county)).send({ reason: '任命文件缺少主管部门盖章' }).expect(200);
    expect(await detail(id)).toMatchObject({ status: 'rejected', handlingNote: '任命文件缺少主管部门盖章' });

    // the attachment not uploaded again is kept
    await demo.http.post(`${api}/declarations/${id}/resubmit`).set(await as(kg)).field('reason', '补充生效日期').field('fields', JSON.stringify({ newPrincipal: '王园长', effectiveDate: '2026-10-08' })).expect(200);
    expectProblem(await demo.http.post(`${api}/declarations/${id}/resubmit`).set(await as(kg)).field('reason', '再次提交').field('fields', JSON.stringify({ newPrincipal: '王园长' })), 409, 'declaration-not-rejected');
    await demo.http.post(`${api}/declarations/${id}/approve`).set(await as(county)).send({ opinion: '同意' }).expect(200);

    const done = await detail(id, county);
    expect(done).toMatchObject({ status: 'approved', submissions: 2, fields: { newPrincipal: '王园长', effectiveDate: '2026-10-08' }, institutionName: expect.any(String), overdue: false, workingDaysElapsed: null });
    expect(done.history.map((h: { type: string; reason: string | null }) => [h.type, h.reason])).toEqual([
      ['ChangeDeclared', '依规申报异动'], ['DeclarationRejected', '任命文件缺少主管部门盖章'], ['DeclarationResubmitted', '补充生效日期'], ['DeclarationApproved', '同意'],
    ]);
    expect(done.history[1].actor).toMatchObject({ username: county, organisationId: '410102' });
    const file = await demo.http.get(`${api}/declarations/${id}/attachments/${done.attachments[0].sha256}`).set(await as('410000-business')).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(file.body as Buffer, pdf)).toBe(0);
    expect((await demo.http.get(`${api}/declarations/${id}`).set(await as('410103-review'))).status).toBe(404);
  });

  it('an acknowledgement-only kind is acknowledged, not approved; withdrawing is possible before it is handled', async () => {
    const incident = (await declare(kinds['incident']!, { summary: '幼儿户外活动擦伤，已送医' })).body.id as string;
    expectProblem(await demo.http.post(`${api}/declarations/${incident}/approve`).set(await as(county)).send({}), 422, 'acknowledge-only');
    await demo.http.post(`${api}/declarations/${incident}/acknowledge`).set(await as(county)).send({ opinion: '已阅，注意安全' }).expect(200);
    expect(await detail(incident)).toMatchObject({ status: 'acknowledged', handlingNote: '已阅，注意安全' });
    expectProblem(await demo.http.post(`${api}/declarations/${incident}/withdraw`).set(await as(kg)).send({}), 409, 'declaration-handled');

    const mistaken = (await declare(kinds['address']!, { newAddress: '中原路 1 号' })).body.id as string;
    await demo.http.post(`${api}/declarations/${mistaken}/withdraw`).set(await as(kg)).send({ reason: '填错了' }).expect(200);
    expectProblem(await demo.http.post(`${api}/declarations/${mistaken}/approve`).set(await as(county)).send({}), 409, 'declaration-handled');
  });

  it('a declaration left 6 working days (across National Day) is listed overdue; upper levels see the counts per county', async () => {
    const waiting = (await declare(kinds['address']!, { newAddress: '嵩山路 8 号' })).body.id as string;
    const queue = async () => (await demo.http.get(`${api}/declarations?status=pending`).set(await fresh(county)).expect(200)).body.items as Array<Record<string, unknown>>;
    const overdue = async (username = county) => (await demo.http.get(`${api}/declarations?overdue=true`).set(await fresh(username)).expect(200)).body.items.map((d: { id: string }) => d.id);

    // Monday 10-12: fourteen calendar days, nine weekdays, but only five working days (09-30, 10-08, 10-09, Saturday 10-10, 10-12)
    await move('2026-10-12T02:00:00.000Z');
    expect((await queue()).find((d) => d['id'] === waiting)).toMatchObject({ workingDaysElapsed: 5, dueDate: '2026-10-12', overdue: false });
    expect(await overdue()).toEqual([]);

    await move('2026-10-13T02:00:00.000Z');
    expect((await queue()).find((d) => d['id'] === waiting)).toMatchObject({ workingDaysElapsed: 6, overdue: true });
    expect(await overdue()).toEqual([waiting]);
    for (const upper of ['410100-business', '410000-business', '410100-leader']) {
      const counts = (await demo.http.get(`${api}/declarations/overdue-counts`).set(await fresh(upper)).expect(200)).body;
      expect(counts.today).toBe('2026-10-13');
      expect(counts.items).toEqual([expect.objectContaining({ countyCode: '410102', countyName: expect.stringContaining('中原区'), pending: 1, overdue: 1 })]);
    }
    expect(await overdue('410103-review')).toEqual([]);
    expectProblem(await demo.http.get(`${api}/declarations/overdue-counts`).set(await as(kg)), 403, 'office-only');

    const xlsx = await demo.http.get(`${api}/declarations/export.xlsx?status=pending`).set(await fresh(county)).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const rows = book.getWorksheet('异动申报')!.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => [r[1], r[4], r[8], r[10]])).toEqual([['1141010001', '办园地址变更', 6, '超期']]);
  });

  it('project amounts add up exactly across levels; a county cannot edit a prefecture’s project; a leader only reads', async () => {
    await move('2026-10-20T02:00:00.000Z');
    const figures = (central: string | number, provincial: string | number, local: string | number, allocated: string | number) => ({ funds: { central, provincial, local }, allocated, spent: 0, progress: 10 });
    const enter = async (username: string, name: string, body: object) => (await demo.http.post(`${api}/projects`).set(await as(username)).send({ name, kind: '新建幼儿园', year: 2026, ...body }).expect(201)).body.id as string;
    const a = await enter('410102-business', '中原区一园新建', figures('10', '20', '30', '60'));
    const c = await enter('410103-business', '二七区一园改扩建', figures(1, 2, 4, 7));
    const p = await enter('410100-business', '郑州市普惠扩容', figures('999999999999998', '1', '0', '999999999999999'));
    const v = await enter('410000-business', '省级示范园建设', figures('123456789012345', '7', '3', '0'));

    expectProblem(await demo.http.post(`${api}/projects`).set(await as('410102-business')).send({ name: '小数金额', kind: '新建幼儿园', year: 2026, ...figures('10.5', '0', '0', '0') }), 400, 'validation-failed');
    expectProblem(await demo.http.post(`${api}/projects`).set(await as('410102-business')).send({ name: '超支', kind: '新建幼儿园', year: 2026, ...figures('10', '0', '0', '10'), spent: '11' }), 422, 'spent-over-allocated');

    const totals = async (username: string) => (await demo.http.get(`${api}/projects/totals?year=2026`).set(await fresh(username)).expect(200)).body;
    const sum = (...xs: Array<string | number>) => xs.reduce<bigint>((s, x) => s + BigInt(x), 0n).toString();
    expect((await totals('410102-business')).totals).toEqual({ projects: 1, central: '10', provincial: '20', local: '30', funds: '60', allocated: '60', spent: '0' });
    const prefecture = await totals('410100-business');
    expect(prefecture.totals).toMatchObject({ projects: 3, central: sum('10', 1, '999999999999998'), provincial: sum(20, 2, 1), local: sum(30, 4, 0), allocated: sum(60, 7, '999999999999999') });
    expect(prefecture.byLevel).toEqual([
      expect.objectContaining({ level: 'province', projects: 0, funds: '0' }),
      expect.objectContaining({ level: 'prefecture', projects: 1, funds: '999999999999999' }),
      expect.objectContaining({ level: 'county', projects: 2, central: '11', provincial: '22', local: '34', funds: '67' }),
    ]);
    const province = await totals('410000-business');
    expect(province.totals).toMatchObject({ projects: 4, central: sum('10', 1, '999999999999998', '123456789012345'), funds: sum(60, 7, '999999999999999', '123456789012355') });
    // the province's figure is the sum of the levels' figures, to the fen
    expect(province.byLevel.reduce((s: bigint, l: { funds: string }) => s + BigInt(l.funds), 0n).toString()).toBe(province.totals.funds);

    // the county cannot touch the prefecture's project (outside its reach: 404); the prefecture reads the county's, never edits it (403)
    const report = { ...figures('10', '20', '30', '60'), spent: '25', progress: 40, note: '主体封顶' };
    expectProblem(await demo.http.post(`${api}/projects/${p}/reports`).set(await as('410102-business')).send(report), 404, 'project-not-found');
    expectProblem(await demo.http.post(`${api}/projects/${a}/reports`).set(await as('410100-business')).send(report), 403, 'not-own-project');
    expect((await demo.http.get(`${api}/projects/${a}`).set(await fresh('410100-business'))).status).toBe(200);
    expect((await demo.http.get(`${api}/projects/${p}`).set(await fresh('410102-business'))).status).toBe(404);

    // a leader reads lists, totals and exports, and writes nothing
    const leader = await fresh('410100-leader');
    const listed = (await demo.http.get(`${api}/projects?year=2026`).set(leader).expect(200)).body.items.map((x: { id: string }) => x.id).sort();
    expect(listed).toEqual([a, c, p].sort());
    expect((await totals('410100-leader')).totals.funds).toBe(prefecture.totals.funds);
    expectProblem(await demo.http.post(`${api}/projects`).set(leader).send({ name: '领导填报', kind: '新建幼儿园', year: 2026, ...figures(0, 0, 0, 0) }), 403, 'leader-read-only');
    expectProblem(await demo.http.post(`${api}/projects/${p}/reports`).set(leader).send(report), 403, 'leader-read-only');
    expectProblem(await demo.http.get(`${api}/projects`).set(await as(kg)), 403, 'office-only');

    // every update is an event with its actor and the month it reports on
    await demo.http.post(`${api}/projects/${a}/reports`).set(await as('410102-business')).send({ ...report, month: '2026-10' }).expect(200);
    const history = (await demo.http.get(`${api}/projects/${a}`).set(await fresh('410102-business')).expect(200)).body;
    expect(history).toMatchObject({ spent: '25', progress: 40, lastMonth: '2026-10' });
    expect(history.history.map((h: { type: string; month: string; actor: { username: string } }) => [h.type, h.month, h.actor.username])).toEqual([['FundingProjectEntered', '2026-10', '410102-business'], ['FundingProjectReported', '2026-10', '410102-business']]);

    // central award funds: on a province deployment its administrator enters what the province received
    expectProblem(await demo.http.post(`${api}/central-awards`).set(await as('410000-business')).send({ provinceCode: '410000', year: 2026, amount: '500000000000' }), 403, 'province-admin-only');
    expectProblem(await demo.http.post(`${api}/central-awards`).set(await as('admin')).send({ provinceCode: '420000', year: 2026, amount: '500000000000' }), 400, 'validation-failed');
    await demo.http.post(`${api}/central-awards`).set(await as('admin')).send({ provinceCode: '410000', year: 2026, amount: '500000000000' }).expect(200);
    expect((await totals('410000-business')).centralAward).toBe('500000000000');

    const xlsx = await demo.http.get(`${api}/projects/export.xlsx?year=2026`).set(await fresh('410000-leader')).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    expect(book.getWorksheet('学前教育项目')!.rowCount).toBe(5);
    const sums = book.getWorksheet('合计')!.getSheetValues().slice(2) as unknown[][];
    const grand = (await totals('410000-business')).totals;
    expect(sums[3]!.slice(1, 7)).toEqual(['合计', 4, `${grand.central.slice(0, -2)}.${grand.central.slice(-2)}`, expect.any(String), expect.any(String), `${grand.funds.slice(0, -2)}.${grand.funds.slice(-2)}`]);
    projects.push(a, c, p, v);
  });

  it('month-end: figures kept at 00:00 Beijing time on the last day, once; a project not updated this month is on its office’s to-do list', async () => {
    const [a] = projects;
    // a project entered in September and not updated in October
    await move('2026-09-30T02:00:00.000Z');
    const stale = (await demo.http.post(`${api}/projects`).set(await as('410102-business')).send({ name: '中原区二园改造', kind: '改扩建', year: 2026, funds: { central: '100', provincial: '0', local: '0' }, allocated: '100', spent: '50', progress: 50 }).expect(201)).body.id as string;
    await move('2026-10-20T03:00:00.000Z');
    const toDo = (await demo.http.get(`${api}/projects/to-do`).set(await fresh('410102-business')).expect(200)).body;
    expect(toDo.month).toBe('2026-10');
    expect(toDo.items.map((t: { projectId: string }) => t.projectId)).toEqual([stale]);
    // the same reminder in the office's own to-do list (GET /todos), due before the month-end
    const todos = (await demo.http.get('/api/v1/todos').set(await fresh('410102-business')).expect(200)).body;
    expect(todos).toEqual([expect.objectContaining({ code: 'project-not-updated', projectId: stale, dueDate: '2026-10-30', title: expect.stringContaining('中原区二园改造') })]);
    expect((await demo.http.get(`${api}/projects/to-do`).set(await fresh('410100-business')).expect(200)).body.items).toEqual([]);

    // 00:00 Beijing time, 31 October: two runs at once (a second instance, a restart) keep one month-end
    await move('2026-10-30T16:00:30.000Z');
    const job = demo.app.get(MonthEndJob);
    const runs = await Promise.all([job.runDue(), job.runDue()]);
    expect(runs.reduce((n, r) => n + (r?.events.length ?? 0), 0)).toBe(1);
    // an update during the last day comes after the figures were kept
    await move('2026-10-31T02:00:00.000Z');
    await demo.http.post(`${api}/projects/${stale}/reports`).set(await as('410102-business')).send({ funds: { central: '100', provincial: '0', local: '0' }, allocated: '100', spent: '90', progress: 90 }).expect(200);
    expect((await job.runDue())?.events.length ?? 0).toBe(0);

    const monthEnd = (await demo.http.get(`${api}/projects/month-ends/2026-10`).set(await fresh('410102-business')).expect(200)).body;
    expect(monthEnd).toMatchObject({ month: '2026-10', dueAt: '2026-10-30T16:00:00.000Z', notUpdated: 1 });
    expect(monthEnd.projects.map((x: { projectId: string; spent: string; updatedThisMonth: boolean }) => [x.projectId, x.spent, x.updatedThisMonth]).sort()).toEqual([[a, '25', true], [stale, '50', false]].sort());
    const provinceView = (await demo.http.get(`${api}/projects/month-ends/2026-10`).set(await fresh('410000-leader')).expect(200)).body;
    expect(provinceView.projects).toHaveLength(5);
    expect(provinceView.totals.projects).toBe(5);
  });

  it('a restart takes the month-end it missed (the service was down on 30 November)', async () => {
    await move('2026-12-02T02:00:00.000Z');
    const dataDir = app.get<AppConfig>(APP_CONFIG).dataDir;
    await app.close();
    app = await createFixtureApp({ dataDir }, undefined, clock);
    // the catch-up runs in the background once the app is up (it waits for the projections): poll for its outcome
    let res;
    for (let i = 0; i < 200; i++) {
      res = await demo.http.get(`${api}/projects/month-ends/2026-11`).set(await fresh('410000-business'));
      if (res.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(res?.status).toBe(200);
    // as the projects stood at 00:00 Beijing time on 30 November: none was updated in November
    expect(res?.body).toMatchObject({ month: '2026-11', dueAt: '2026-11-29T16:00:00.000Z', notUpdated: 5, totals: { projects: 5 } });
    expect(res?.body.projects.find((x: { projectId: string }) => x.projectId === projects[0])).toMatchObject({ spent: '25', lastMonth: '2026-10', updatedThisMonth: false });
  });
});
