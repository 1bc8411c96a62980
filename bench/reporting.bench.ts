// Issue 17's figures: report reads under 50 clients (a county's month, a province's drill-down),
// the export of a 1,200-child kindergarten and of a province's summaries (the service as a child
// process on the demo province), and the month-end snapshot's time and memory (in-process, on the
// same folder once the service stopped): from the live counters, and recomputed from the log.
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { createApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/app-config.js';
import { SnapshotJob } from '../src/reporting/application/snapshot-job.js';
import { cutoffOf } from '../src/reporting/domain/snapshot.decider.js';
import { beijingDate } from '../src/shared/time/beijing.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { templateFile } from '../test/fixtures/template-file.js';
import { type Metric, metric } from './report.js';
import { api, demoDataFolder, runLoad, sleep, startService } from './service.js';

const KG = '1141010002';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export interface ReportingBenchOptions {
  /** children of the kindergarten exported (the figure: 1,200) */
  children: number;
  seconds: number;
  progress: (line: string) => void;
  /** a generated province folder (npm run generate): the snapshot is measured on it instead of the demo */
  dataDir?: string;
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
    options.progress('reporting: report reads, 50 concurrent clients');
    const countyLoad = await runLoad({ url: service.url, connections: 50, duration: options.seconds, requests: [{ method: 'GET', path: '/api/v1/reports/live?unit=d:410102', headers: { authorization: `Bearer ${county}` } }], expect: '"figures"' });
    const provinceLoad = await runLoad({ url: service.url, connections: 50, duration: options.seconds, requests: [{ method: 'GET', path: '/api/v1/reports/live', headers: { authorization: `Bearer ${admin}` } }], expect: '"parts"' });
    rows.push(metric('report read: a county (live), 50 clients, p99', countyLoad.p99, 'ms', { atMost: 20 }));
    rows.push(metric('report read: the province drill-down (live), 50 clients, p99', provinceLoad.p99, 'ms', { atMost: 20 }));
    rows.push(metric('report read: a county (live), 50 clients', countyLoad.perSecond, 'req/s'));
    notes['reads'] = { county: { status: countyLoad.status, errors: countyLoad.errors }, province: { status: provinceLoad.status, errors: provinceLoad.errors } };
    for (const token of [business, admin, county]) await api(service.url, 'POST', '/auth/logout', token);
  } finally {
    await service.stop();
  }

  // the month-end job on the same folder, the clock set just after the next cut-off
  const now = new Date();
  let month = beijingDate(now).slice(0, 7);
  if (cutoffOf(month).getTime() <= now.getTime()) month = `${month.slice(0, 4)}-${String(Number(month.slice(5)) + 1).padStart(2, '0')}`.replace(/-13$/, '-01');
  // started before the cut-off (its start-up takes nothing), then moved across it as the cron would find it
  const clock = new SettableClock(new Date(Math.max(now.getTime(), cutoffOf(month).getTime() - 3_600_000)));
  const rss = () => process.memoryUsage().rss;
  const app = await createApp({ config: { ...loadConfig({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'error' }), dataDir }, logger: quiet, clock });
  try {
    const job = app.get(SnapshotJob);
    await job.startup;
    clock.set(new Date(cutoffOf(month).getTime() + 60_000));
    const before = rss();
    const started = Date.now();
    const taken = await job.takeDue('schedule');
    if (!taken.includes(month)) throw new Error(`the job took ${taken.join(', ') || 'nothing'}, not ${month}`);
    const liveMs = Date.now() - started;
    const startedReplay = Date.now();
    const units = await job.recomputed(Number.MAX_SAFE_INTEGER);
    const replayMs = Date.now() - startedReplay;
    const extraMb = Math.round((rss() - before) / 1e6);
    rows.push(metric('month-end snapshot (live counters held at the cut-off)', liveMs, 'ms', { atMost: 60_000 }));
    rows.push(metric(`month recomputed from the log (${units.length} units)`, replayMs, 'ms'));
    rows.push(metric('snapshot + recomputation: extra memory (RSS)', extraMb, 'MB', { atMost: 500 }));
    notes['snapshot'] = { month, units: units.length, dataDir: options.dataDir ?? 'demo', reviewQueueDuringSnapshot: 'not measured in this run' };
  } finally {
    await app.close();
  }
  return { rows, notes };
}
