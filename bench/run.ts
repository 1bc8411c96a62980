// npm run bench [-- --full] [-- --children N] [-- --only store,import,dedupe,province,feed,enrolment,transfers,reporting,handover] [-- --province DIR] [-- --handover-dir DIR]
// Every benchmark, one table, results in bench/results/latest.json.
import { cpus, loadavg } from 'node:os';
import { benchDeduplication } from './deduplication.bench.js';
import { benchEnrolment } from './enrolment.bench.js';
import { benchEventStore } from './event-store.bench.js';
import { benchFeed } from './feed.bench.js';
import { benchHandover } from './handover.bench.js';
import { benchImport } from './import.bench.js';
import { benchProvince } from './province.bench.js';
import { benchReporting } from './reporting.bench.js';
import { benchTransfers } from './transfers.bench.js';
import { type Metric, printTable, writeResults } from './report.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const full = args.includes('--full');
const groups = option('only')?.split(',') ?? ['store', 'import', 'dedupe', 'province', 'feed', 'enrolment', 'transfers', 'reporting', 'handover'];
const children = Number(option('children')?.replaceAll('_', '') ?? (full ? 5_000_000 : 100_000));
const rows: Metric[] = [];
const started = Date.now();
const loadBefore: Record<string, string> = {};
const notes: Record<string, unknown> = {
  mode: full ? 'full' : 'quick',
  store: { events: 'sqlite (embedded, WAL, synchronous=FULL)', readModels: 'sqlite (embedded, WAL, synchronous=NORMAL)', projectionsThread: 'worker' },
  loadBefore,
};
const say = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${line}\n`);
const failures: string[] = [];
/** A group that fails is reported and the others still run: a long run is not lost to one error. */
async function group(name: string, work: () => Promise<void>): Promise<void> {
  if (!groups.includes(name)) return;
  loadBefore[name] = loadNow();
  try {
    await work();
  } catch (error) {
    const text = `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    failures.push(text);
    say(`FAILED ${text}`);
  }
}
const loadNow = () => loadavg().map((l) => l.toFixed(2)).join(' ');

process.stdout.write(`bench (${full ? 'full' : 'quick'} mode), ${cpus().length} cores, Node ${process.version}, load average ${loadNow()}\n`);
let appendCeiling: number | null = null;
await group('store', async () => {
  say(`event store: appends, log read, ledger rebuild of ${full ? '15 M' : '1 M'} events`);
  const es = await benchEventStore({ rebuildEvents: full ? 15_000_000 : 1_000_000 });
  rows.push(...es.rows);
  Object.assign(notes, es.notes);
  appendCeiling = es.rows.find((r) => r.metric.startsWith('append: batched'))?.value ?? null;
});
await group('import', async () => {
  say('template import: 1,000 and 50,000 rows');
  const imports = await benchImport({ bigRows: 50_000 });
  rows.push(...imports.rows);
  Object.assign(notes, imports.notes);
});
await group('dedupe', async () => {
  const records = full ? 5_000_000 : 1_000_000;
  say(`de-duplication with ${records / 1e6} M keys`);
  const dedupe = await benchDeduplication({ records, samples: 4000 });
  rows.push(...dedupe.rows);
  Object.assign(notes, dedupe.notes);
});
await group('province', async () => {
  notes['province'] = {};
  await benchProvince({
    children,
    benchInstitutions: full ? 50 : 10,
    // 1,000 saved and 1,000 de-duplicated records each, fewer in a small province (at most a fifth of it)
    benchSaved: Math.min(1000, Math.floor(children / (full ? 500 : 100))),
    benchPassed: Math.min(1000, Math.floor(children / (full ? 500 : 100))),
    seconds: full ? 30 : 8,
    appendCeiling,
    ...(option('province') ? { dataDir: option('province')! } : {}),
    progress: say,
    rows,
    notes: notes['province'] as Record<string, unknown>,
  });
});
await group('enrolment', async () => {
  const enrolment = await benchEnrolment({ rounds: full ? 30 : 5, seconds: full ? 20 : 8, progress: say });
  rows.push(...enrolment.rows);
  notes['enrolment'] = enrolment.notes;
});
await group('transfers', async () => {
  const transfers = await benchTransfers({ clients: 50, perClient: full ? 20 : 4, progress: say });
  rows.push(...transfers.rows);
  notes['transfers'] = transfers.notes;
});
await group('reporting', async () => {
  say('reporting: exports (1,200 children, the province summary), report reads at 50 clients, the month-end snapshot');
  const reporting = await benchReporting({ children: 1200, seconds: full ? 20 : 3, progress: say, ...(option('province') ? { dataDir: option('province')! } : {}) });
  rows.push(...reporting.rows);
  notes['reporting'] = reporting.notes;
});

await group('feed', async () => {
  say('change feed: read of 100,000 changes by one client and by 10 clients at once while 300 records/s are written, SSE lag with 10 consumers at 300 events/s');
  const feed = await benchFeed({ changes: 100_000, consumers: 10, readers: 10, rate: 300, seconds: full ? 30 : 10 });
  rows.push(...feed.rows);
  Object.assign(notes, feed.notes);
});
await group('handover', async () => {
  say(`hand-over matching against ${(children / 1e6).toFixed(1)} M records: a 1,000-pupil list, 50,000 pupils, beside a bare index lookup`);
  const handover = await benchHandover({ records: children, bigList: 50_000, progress: say, ...(option('handover-dir') ? { dir: option('handover-dir')! } : {}) });
  rows.push(...handover.rows);
  Object.assign(notes, handover.notes);
});
printTable(rows);
notes['seconds'] = Math.round((Date.now() - started) / 1000);
notes['loadAfter'] = loadNow();
if (failures.length > 0) notes['failures'] = failures;
const file = writeResults('latest', rows, notes);
process.stdout.write(`\n${Math.round((Date.now() - started) / 1000)} s; written to ${file}\n`);
if (rows.some((r) => r.verdict === 'FAIL')) process.stdout.write('some targets were missed (verdict FAIL)\n');
if (failures.length > 0) {
  process.stdout.write(`${failures.length} benchmark group(s) failed: ${failures.map((f) => f.split(':')[0]).join(', ')} (see "failures" in the results)\n`);
  process.exitCode = 1;
}
