// Issue 17's figures: report reads under 50 clients (a county's month, a province's drill-down),
// the export of a 1,200-child kindergarten and of a province's summaries (the service as a child
// process on the demo province), and the month-end snapshot's time and memory (in-process, on the
// same folder once the service stopped, a 5 M-child province's counters seeded beside the demo's):
// from the live counters held at the cut-off, with the review queue read meanwhile, and the demo's
// month recomputed from the log.
import { readFileSync } from 'node:fs';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { createApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/app-config.js';
import { SnapshotJob } from '../src/reporting/application/snapshot-job.js';
import { addMonths, cutoffOf } from '../src/reporting/domain/snapshot.decider.js';
import { READ_STORE } from '../src/shared/read-store/read-store.port.js';
import { beijingDate, schoolYearStart } from '../src/shared/time/beijing.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { templateFile } from '../test/fixtures/template-file.js';
import { type Metric, metric } from './report.js';
import { BIG_PROVINCE, seedProvinceCounters } from './seed-province-counters.js';
import { api, demoDataFolder, httpFloor, runLoad, sleep, startService } from './service.js';

/** The `count` months up to `month` (YYYY-MM), oldest first. */
const lastMonths = (month: string, count: number): string[] => Array.from({ length: count }, (_, k) => addMonths(month, k - count + 1));

const KG = '1141010002';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export interface ReportingBenchOptions {
  /** children of the kindergarten exported (the figure: 1,200) */
  children: number;
  seconds: number;
  progress: (line: string) => void;
  /** a generated province folder (npm run generate): the snapshot is measured on it instead of the demo */
  dataDir?: string;
  /** the seeded province's shape (default: 5 M children, 20,000 kindergartens, 160 counties) */
  province?: Partial<typeof BIG_PROVINCE>;
}

/** The service's CPU time so far (user + system, every thread), in ms; null where /proc is not there. */
function serviceCpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return null;
  }
}

/** Waits (at most a minute) until every projection has processed the log; answers the ms waited. */
async function caughtUp(url: string, token: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    const lag = await api<{ items: Array<{ behind: number }> }>(url, 'GET', '/system/projections', token);
    if (lag.items.every((p) => p.behind === 0)) break;
    await sleep(200);
  }
  return Date.now() - started;
}

/** POST /exports, then polls the job until it completes: milliseconds from the request to the file being ready. */
async function exportTime(url: string, token: string, body: Record<string, unknown>): Promise<{ ms: number; rows: number }> {
  const started = Date.now();
  const { exportId } = await api<{ exportId: string }>(url, 'POST', '/exports', token, body);
  for (;;) {
    const status = await api<{ status: string; rowsDone: number; reason: string | null }>(url, 'GET', `/exports/${exportId}`, token);
    if (status.status === 'completed') return { ms: Date.now() - started, rows: status.rowsDone };
    if (status.status === 'failed') throw new Error(`export failed: ${status.reason}`);
    await sleep(10);
  }
}

export async function benchReporting(options: ReportingBenchOptions): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dataDir = options.dataDir ?? demoDataFolder('bench-reporting-');
  const rows: Metric[] = [];
  const notes: Record<string, unknown> = {};
  // on a generated province (--province) only the snapshot is measured: its accounts are not the demo's
  const service = options.dataDir ? null : await startService(dataDir);
  if (service) try {
    const login = async (username: string) => (await api<{ token: string }>(service.url, 'POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD })).token;
    const business = await login(`${KG}-business`);
    options.progress(`reporting: importing ${options.children} children into ${KG}`);
    const file = await templateFile(options.children);
    const imported = await fetch(`${service.url}/api/v1/records/imports`, { method: 'POST', headers: { Authorization: `Bearer ${business}`, 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'X-File-Name': 'bench.xlsx' }, body: file });
    if (!imported.ok) throw new Error(`import: ${imported.status} ${(await imported.text()).slice(0, 300)}`);

    const kg = await exportTime(service.url, business, { kind: 'institution-children' });
    rows.push(metric(`institution export of ${kg.rows} children (request to file ready)`, kg.ms, 'ms', { atMost: 2000, belowScale: kg.rows < 1200 }));
    const admin = await login('admin');
    const province = await exportTime(service.url, admin, { kind: 'office-summary' });
    rows.push(metric(`province summary export (${province.rows} units)`, province.ms, 'ms', { atMost: 5000 }));

    const county = await login('410102-review');
    // the reads are measured once the import's events are projected (else they measure the catch-up)
    notes['projectionsCaughtUpMs'] = await caughtUp(service.url, admin);
    options.progress('reporting: report reads, 50 concurrent clients');
    // warm-up: the first second of a fresh process is its compiler's, not the read path's
    await runLoad({ url: service.url, connections: 50, duration: 1, requests: [{ method: 'GET', path: '/api/v1/reports/live?unit=d:410102', headers: { authorization: `Bearer ${county}` } }], expect: '"figures"' });
    const floor = await httpFloor(service.url, 50, options.seconds);
    const cpu0 = serviceCpuMs(service.process.pid);
    const countyLoad = await runLoad({ url: service.url, connections: 50, duration: options.seconds, requests: [{ method: 'GET', path: '/api/v1/reports/live?unit=d:410102', headers: { authorization: `Bearer ${county}` } }], expect: '"figures"' });
    const cpu1 = serviceCpuMs(service.process.pid);
    const provinceLoad = await runLoad({ url: service.url, connections: 50, duration: options.seconds, requests: [{ method: 'GET', path: '/api/v1/reports/live', headers: { authorization: `Bearer ${admin}` } }], expect: '"parts"' });
    const cpu2 = serviceCpuMs(service.process.pid);
    const served = (load: { status: Record<string, number> }) => Object.values(load.status).reduce((a, b) => a + b, 0);
    if (cpu0 !== null && cpu1 !== null && cpu2 !== null) {
      // CPU of the service (every thread) per read: what the shared machine's load does not change much
      rows.push(metric('report read: service CPU per county read (all threads)', (cpu1 - cpu0) / served(countyLoad), 'ms', { atMost: 0.25, note: '(~4,000 req/s on 2 cores)' }));
      rows.push(metric('report read: service CPU per province drill-down read (all threads)', (cpu2 - cpu1) / served(provinceLoad), 'ms', { atMost: 0.25, note: '(~4,000 req/s on 2 cores)' }));
    }
    rows.push(metric('report read: a county (live), 50 clients, p99', countyLoad.p99, 'ms', { atMost: 20 }));
    rows.push(metric('report read: the province drill-down (live), 50 clients, p99', provinceLoad.p99, 'ms', { atMost: 20 }));
    rows.push(metric('report read: a county (live), 50 clients', countyLoad.perSecond, 'req/s'));
    rows.push(metric('HTTP floor: GET /health, 50 connections (ceiling)', floor.perSecond, 'req/s'));
    rows.push(metric('HTTP floor: GET /health p99 (the least latency a request sees at this load)', floor.p99, 'ms'));
    notes['reads'] = { county: { status: countyLoad.status, errors: countyLoad.errors }, province: { status: provinceLoad.status, errors: provinceLoad.errors } };
    for (const token of [business, admin, county]) await api(service.url, 'POST', '/auth/logout', token);
  } finally {
    await service.stop();
  }

  // the month-end job on the same folder, the clock set just after the next cut-off, with a big
  // province's counters seeded beside the demo's (ADR 26: the snapshot's cost follows the units)
  const now = new Date();
  let month = beijingDate(now).slice(0, 7);
  if (cutoffOf(month).getTime() <= now.getTime()) month = `${month.slice(0, 4)}-${String(Number(month.slice(5)) + 1).padStart(2, '0')}`.replace(/-13$/, '-01');
  // started just before the cut-off (its start-up takes nothing, the review account's session stays
  // within its idle limit), then moved across it as the cron would find it
  const clock = new SettableClock(new Date(Math.max(now.getTime(), cutoffOf(month).getTime() - 60_000)));
  const rss = () => process.memoryUsage().rss;
  const snapshots: Array<Record<string, unknown>> = [];
  const logger = { ...quiet, info: (message: string, fields?: Record<string, unknown>) => void (message === 'month-end snapshot' && snapshots.push(fields ?? {})) };
  const app = await createApp({ config: { ...loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error', RATE_LIMIT_LOGIN_MAX: '1000000', RATE_LIMIT_PUBLIC_MAX: '1000000' }), dataDir }, logger, clock });
  try {
    const job = app.get(SnapshotJob);
    await job.startup;
    const shape = { ...BIG_PROVINCE, ...(options.province ?? {}), schoolYear: schoolYearStart(clock.now().toISOString()), months: lastMonths(month, 12) };
    options.progress(`reporting: seeding the counters of a ${shape.children.toLocaleString('en')}-child province (${shape.kindergartens} kindergartens, ${shape.counties} counties)`);
    const seedStarted = Date.now();
    const seeded = await seedProvinceCounters(app.get(READ_STORE), shape);
    notes['seededProvince'] = { ...seeded, kindergartens: shape.kindergartens, counties: shape.counties, prefectures: shape.prefectures, seconds: Math.round((Date.now() - seedStarted) / 100) / 10 };

    // the review queue of a demo kindergarten, read by 50 clients before and during the snapshot
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = await app.getUrl();
    const reviewer = service ? (await api<{ token: string }>(url, 'POST', '/auth/login', undefined, { username: `${KG}-review`, password: DEMO_PASSWORD })).token : null;
    const queue = (seconds: number) => runLoad({ url, connections: 50, duration: seconds, requests: [{ method: 'GET', path: '/api/v1/records/review-queue?limit=50', headers: { authorization: `Bearer ${reviewer}` } }], expect: '"items"' });
    if (reviewer) await queue(1); // warm-up: the first second of a fresh process is its compiler's
    const quietQueue = reviewer ? await queue(3) : null;

    clock.set(new Date(cutoffOf(month).getTime() + 60_000));
    const before = rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
    const started = Date.now();
    const snapshot = job.takeDue('schedule');
    // the load starts once the snapshot holds the counters at the cut-off (its reads are audited: events after it)
    const during = reviewer ? sleep(300).then(() => queue(3)) : Promise.resolve(null);
    const taken = await snapshot;
    const liveMs = Date.now() - started;
    const busyQueue = await during;
    if (!taken.includes(month)) throw new Error(`the job took ${taken.join(', ') || 'nothing'}, not ${month}`);
    const kept = snapshots.find((s) => s['month'] === month) ?? {};
    if (kept['from'] !== 'live counters') throw new Error(`the snapshot was taken from ${String(kept['from'])}, not the live counters held at the cut-off`);
    const snapshotMb = Math.round((peak - before) / 1e6);
    const startedReplay = Date.now();
    const units = await job.recomputed(Number.MAX_SAFE_INTEGER);
    const replayMs = Date.now() - startedReplay;
    clearInterval(sampler);
    const extraMb = Math.round((Math.max(peak, rss()) - before) / 1e6);
    rows.push(metric(`month-end snapshot of a ${Math.round(seeded.children / 1e5) / 10} M-child province (${kept['units']} units, live counters held at the cut-off)`, liveMs, 'ms', { atMost: 60_000, belowScale: seeded.children < 5_000_000 }));
    rows.push(metric('month-end snapshot: extra memory at its peak (RSS)', snapshotMb, 'MB', { atMost: 500 }));
    if (quietQueue && busyQueue) {
      rows.push(metric('review queue p99, 50 clients, before the snapshot', quietQueue.p99, 'ms'));
      rows.push(metric('review queue p99, 50 clients, during the snapshot', busyQueue.p99, 'ms', { atMost: 20 }));
    }
    rows.push(metric(`demo month recomputed from the log (${units.length} units: the seeded province is not in the log)`, replayMs, 'ms'));
    rows.push(metric('snapshot + recomputation: extra memory (RSS peak)', extraMb, 'MB', { atMost: 500 }));
    notes['snapshot'] = {
      month, units: kept['units'], from: kept['from'], jobMs: kept['ms'], dataDir: options.dataDir ?? 'demo',
      reviewQueueDuringSnapshot: busyQueue ? { p99: busyQueue.p99, perSecond: Math.round(busyQueue.perSecond), status: busyQueue.status, errors: busyQueue.errors, note: 'the load starts 300 ms after the snapshot and lasts 3 s' } : 'not measured (a generated province folder has no demo accounts)',
    };
    if (reviewer) {
      // a county's month (the snapshot just kept, 20,000+ units): read from the kept month, indexed once
      const county = (await api<{ token: string }>(url, 'POST', '/auth/login', undefined, { username: '410102-review', password: DEMO_PASSWORD })).token;
      const monthRead = { method: 'GET' as const, path: `/api/v1/reports/months/${month}?unit=d:410102`, headers: { authorization: `Bearer ${county}` } };
      await runLoad({ url, connections: 50, duration: 1, requests: [monthRead], expect: '"figures"' });
      const countyMonth = await runLoad({ url, connections: 50, duration: options.seconds, requests: [monthRead], expect: '"figures"' });
      rows.push(metric(`report read: a county's month (kept snapshot of ${kept['units']} units), 50 clients, p99`, countyMonth.p99, 'ms', { atMost: 20 }));
      rows.push(metric("report read: a county's month, 50 clients", countyMonth.perSecond, 'req/s'));
      notes['countyMonth'] = { status: countyMonth.status, errors: countyMonth.errors };
      await api(url, 'POST', '/auth/logout', county);
      await api(url, 'POST', '/auth/logout', reviewer);
    }
  } finally {
    await app.close();
  }
  return { rows, notes };
}
