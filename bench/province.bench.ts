// The province benchmarks: a generated province served by the built service (a child process),
// loaded over loopback by a second process (autocannon), each figure beside its ceiling.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MANIFEST_FILE, type ProvinceManifest } from '../src/cli/province-generator.js';
import { rebuildProjections } from '../src/cli/rebuild.js';
import { loadConfig } from '../src/config/app-config.js';
import { encryptionSetting } from './encryption-setting.js';
import { ALL_EVENT_DEFINITIONS } from '../src/event-catalog.js';
import { RECORDS } from '../src/records/application/record-reads.js';
import { recordsProjection } from '../src/records/projections/records.projection.js';
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import { SqliteReadStore } from '../src/shared/read-store/sqlite.read-store.js';
import { ReaderThreadsReadStore } from '../src/shared/read-store/reader-threads.read-store.js';
import { openReadStore } from '../src/shared/infrastructure/store-factory.js';
import type { LoadRequest, LoadResult } from './http-load.js';
import { type Metric, load1, metric } from './report.js';
import { api, percentile, processCpuMs, runLoad, sleep, startService } from './service.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const PROVINCE_SCALE = 5_000_000;
const CONNECTIONS = 50;

export interface ProvinceBenchOptions {
  children: number;
  benchInstitutions: number;
  benchSaved: number;
  benchPassed: number;
  /** seconds of each duration-bounded run (HTTP floor, review queue, lag at 300 events/s) */
  seconds: number;
  /** the event store's batched-append ceiling measured in this run (events/s), for the command ratio */
  appendCeiling: number | null;
  /** generate into this folder and keep it; a folder that already holds a province is used as it is */
  dataDir?: string;
  progress: (line: string) => void;
  /** figures and notes are added here as they are taken, so a later failure loses none */
  rows?: Metric[];
  notes?: Record<string, unknown>;
}

async function generate(dir: string, options: ProvinceBenchOptions): Promise<ProvinceManifest> {
  const args = ['--children', String(options.children), '--data-dir', dir, '--bench-institutions', String(options.benchInstitutions), '--bench-saved', String(options.benchSaved), '--bench-passed', String(options.benchPassed), '--json'];
  const child = spawn(process.execPath, [join(DIST, 'src', 'cli', 'generate-province.js'), ...args], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => {
    for (const line of c.toString('utf8').split('\n')) if (line.startsWith('[')) options.progress(`  generate ${line}`);
  });
  const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
  if (code !== 0) throw new Error(`generator failed (${code})`);
  return JSON.parse(out.trim().split('\n').pop()!) as ProvinceManifest;
}

/**
 * Polls GET /system/projections every 50 ms while a load runs, keeping each sample's largest
 * projection lag as the service reports it (age of the newest event a projection has applied,
 * while it is behind) and the reactor's backlog. The first second is dropped: a projection that
 * was idle before the load reports the age of its last event until it applies the first new one.
 */
function lagSampler(url: string, token: string) {
  const lags: number[] = [];
  const byProjection: Record<string, number[]> = {};
  const reactorBehind: number[] = [];
  const started = Date.now();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = Date.now();
      const body = await api<{ items: Array<{ name: string; lagMs: number }>; reactors: Array<{ behind: number }> }>(url, 'GET', '/system/projections', token).catch(() => null);
      if (body && t - started >= 1000) {
        lags.push(Math.max(0, ...body.items.map((i) => i.lagMs)));
        for (const i of body.items) (byProjection[i.name] ??= []).push(i.lagMs);
        reactorBehind.push(Math.max(0, ...body.reactors.map((r) => r.behind)));
      }
      await sleep(Math.max(0, 50 - (Date.now() - t)));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const p99 = Object.fromEntries(Object.entries(byProjection).map(([name, values]) => [name, percentile(values, 0.99)]));
      return { lags, reactorBehind, p99 };
    },
  };
}

async function head(url: string, token: string): Promise<number> {
  const body = await api<{ items: Array<{ head: number }> }>(url, 'GET', '/system/projections', token);
  return body.items[0]?.head ?? 0;
}

/** Every record id of a list (paged through with the cursor). */
async function ids(url: string, path: string, token: string): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Array<{ id: string }>; nextCursor: string | null } = await api(url, 'GET', `${path}?limit=500${cursor ? `&cursor=${cursor}` : ''}`, token);
    found.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

/** Interleaves the institutions' lists, so concurrent requests come from every institution at once. */
function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; out.length < lists.reduce((n, l) => n + l.length, 0); i++) for (const list of lists) if (i < list.length) out.push(list[i]!);
  return out;
}

/**
 * Throws when the load did not do what it was meant to (more than 1 % refused, unexpected answers
 * or connection errors: a broken benchmark, not a slow service); smaller troubles are noted.
 */
function checkLoad(name: string, result: LoadResult, notes: Record<string, unknown>): void {
  const failed = result.requests - (result.status['200'] ?? 0) - (result.status['201'] ?? 0);
  const troubles = failed + result.mismatches + result.errors;
  if (troubles === 0) return;
  const text = `${name}: ${failed} failed, ${result.mismatches} unexpected answers, ${result.errors} connection errors (${result.timeouts} timeouts) of ${result.requests}; e.g. ${result.samples.join(' | ')}`;
  ((notes['troubles'] ??= []) as string[]).push(text);
  if (troubles > Math.max(1, result.requests * 0.01)) throw new Error(text);
}

export async function benchProvince(options: ProvinceBenchOptions): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const rows: Metric[] = options.rows ?? [];
  const errors: string[] = [];
  const say = options.progress;
  const temporary = !options.dataDir;
  const dir = options.dataDir ?? join(mkdtempSync(join(tmpdir(), 'bench-province-')), 'data');
  const notes: Record<string, unknown> = Object.assign(options.notes ?? {}, { dataDir: temporary ? '(temporary)' : dir });
  try {
    // 1. the province, generated through the service's deciders and event store port
    let manifest: ProvinceManifest;
    if (existsSync(join(dir, MANIFEST_FILE))) {
      manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as ProvinceManifest;
      say(`province: using ${dir} (${manifest.counts.children} children; earlier runs may have used some of its saved and passed records)`);
      notes['reused'] = true;
    } else {
      say(`province: generating ${options.children} children (load ${load1()})`);
      manifest = await generate(dir, options);
      rows.push(metric(`generate: children decided and appended (${label(manifest.counts.children)})`, manifest.counts.children / manifest.seconds.records, 'children/s'));
      rows.push(metric('generate: events decided, schema-checked, appended', manifest.counts.events / manifest.seconds.records, 'events/s'));
      rows.push(metric('generate: projections caught up after the last append', manifest.seconds.projections, 's'));
      rows.push(metric('generate: de-duplication reactor replay of every submission', manifest.seconds.reactor, 's'));
    }
    const children = manifest.counts.children;
    const scale = label(children);
    const belowScale = children < PROVINCE_SCALE;
    notes['province'] = { children, institutions: manifest.counts.institutions, events: manifest.counts.events, byState: manifest.counts.byState, seconds: manifest.seconds };

    // 2. restart-to-ready at this scale, beside a fresh service's start
    say(`restart-to-ready (load ${load1()})`);
    const service = await startService(dir);
    // one live session per account: every login is logged out at the end, so the province can be used again
    const sessions: string[] = [];
    rows.push(metric(`restart-to-ready, ${scale} children (spawn -> GET /ready 200)`, service.readyMs / 1000, 's', { atMost: 15, belowScale, note: 'at 5 M' }));
    try {
      const password = manifest.accounts.password;
      const login = async (username: string) => {
        const { token } = await api<{ token: string }>(service.url, 'POST', '/auth/login', undefined, { username, password });
        sessions.push(token);
        return token;
      };
      const admin = await login('admin');
      const bench = manifest.accounts.bench;
      const tokens = new Map<string, { business: string; review: string }>();
      for (let i = 0; i < bench.length; i += 4) {
        await Promise.all(bench.slice(i, i + 4).map(async (b) => tokens.set(b.code, { business: await login(b.business), review: await login(b.review) })));
      }
      const saved = await Promise.all(bench.map(async (b) => (await ids(service.url, '/records/saved', tokens.get(b.code)!.business)).map((id) => ({ id, token: tokens.get(b.code)!.business }))));
      const toSubmit = interleave(saved);
      say(`${bench.length} bench kindergartens: ${toSubmit.length} saved records to submit`);
      if (toSubmit.length < 3 * CONNECTIONS) {
        throw new Error(`the bench kindergartens have ${toSubmit.length} saved records left (earlier runs submitted them): generate a fresh province`);
      }
      const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

      // 3. the HTTP floor of this machine: the cheapest route, same connections, same load process
      say(`HTTP floor: GET /health (load ${load1()})`);
      const floor = await runLoad({ url: service.url, connections: CONNECTIONS, duration: options.seconds, requests: [{ method: 'GET', path: '/health', headers: {} }] });
      checkLoad('health', floor, notes);
      rows.push(metric(`HTTP floor: GET /health, ${CONNECTIONS} connections (ceiling)`, floor.perSecond, 'req/s'));
      rows.push(metric('HTTP floor: GET /health p99', floor.p99, 'ms'));

      // 4. the review queue, 50 clients, beside the same query straight on the read store
      say(`review queue (load ${load1()})`);
      const queueCpuBefore = processCpuMs(service.process.pid);
      const queue = await runLoad({
        url: service.url, connections: CONNECTIONS, duration: options.seconds,
        requests: bench.map((b) => ({ method: 'GET', path: '/api/v1/records/review-queue?limit=50', headers: bearer(tokens.get(b.code)!.review) })),
      });
      // the projection worker's catch-up on the pages' read-audit entries is part of their cost
      await sleep(1500);
      const queueCpuAfter = processCpuMs(service.process.pid);
      checkLoad('review queue', queue, notes);
      const direct = await directQuery(dir, bench.map((b) => b.code), Math.min(options.seconds, 5));
      rows.push(metric(`review queue (50 oldest), ${CONNECTIONS} clients, ${scale} records`, queue.perSecond, 'req/s', { atLeast: 2000 }));
      rows.push(metric('review queue p50', queue.p50, 'ms'));
      rows.push(metric('review queue p99', queue.p99, 'ms', { atMost: 20, note: 'at >= 2000 req/s' }));
      if (queueCpuBefore !== null && queueCpuAfter !== null && queue.requests > 0) rows.push(metric('review queue, service CPU per request (all threads)', (queueCpuAfter - queueCpuBefore) / queue.requests, 'ms'));
      rows.push(metric('review queue query on the read store, no HTTP, one thread (ceiling)', direct.perSecond, 'queries/s'));
      rows.push(metric('review queue over HTTP / query on the read store', queue.perSecond / direct.perSecond, 'ratio'));
      // the same query as the service's read store answers it (encryption as set, documents opened), 50 in
      // flight, on this thread alone and through two reader threads (ADR 33): the read path on more than one core
      const codes = bench.map((b) => b.code);
      const served = await servedQuery(dir, codes, Math.min(options.seconds, 5), 0);
      const threaded = await servedQuery(dir, codes, Math.min(options.seconds, 5), 2);
      rows.push(metric('review queue query as the service reads it, 50 in flight, one thread', served, 'queries/s'));
      rows.push(metric('the same through 2 reader threads (READ_THREADS=2)', threaded, 'queries/s'));
      rows.push(metric('reader threads / one thread', threaded / served, 'ratio'));
      rows.push(metric('review queue over HTTP / HTTP floor', queue.perSecond / floor.perSecond, 'ratio'));

      // 5. submissions at peak rate, the projections' lag sampled meanwhile
      const lagReserve = Math.min(Math.floor(toSubmit.length / 3), 100 * options.seconds);
      const peakSubmits = toSubmit.slice(0, toSubmit.length - lagReserve);
      say(`submit ${peakSubmits.length} records at peak rate (load ${load1()})`);
      const before = await head(service.url, admin);
      let sampler = lagSampler(service.url, admin);
      const submit = await runLoad({
        url: service.url, connections: CONNECTIONS, amount: peakSubmits.length, expect: '"submitted":1',
        requests: peakSubmits.map(({ id, token }): LoadRequest => ({ method: 'POST', path: '/api/v1/records/submit', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ recordIds: [id] }) })),
      });
      let lag = await sampler.stop();
      checkLoad('submit', submit, notes);
      const submitEvents = (await head(service.url, admin)) - before;
      rows.push(metric(`HTTP submit (1 record per request, de-duplicated at once), ${CONNECTIONS} clients`, submit.perSecond, 'commands/s', { atLeast: 3000 }));
      rows.push(metric('HTTP submit p50', submit.p50, 'ms'));
      rows.push(metric('HTTP submit p99', submit.p99, 'ms', { atMost: 30 }));
      rows.push(metric('HTTP submit: events appended per second (submission, key claim, outcome)', submitEvents / submit.seconds, 'events/s'));
      if (options.appendCeiling) rows.push(metric('HTTP submit events/s / batched-append ceiling', submitEvents / submit.seconds / options.appendCeiling, 'ratio'));
      rows.push(metric('HTTP submit / HTTP floor', submit.perSecond / floor.perSecond, 'ratio'));
      rows.push(metric('projection lag p99 during peak submissions (service-reported, sampled every 50 ms)', percentile(lag.lags, 0.99), 'ms'));
      rows.push(metric('de-duplication reactor backlog, max during peak submissions', Math.max(0, ...lag.reactorBehind), 'events'));
      notes['submit'] = { ...summary(submit), events: submitEvents, lagSamples: lag.lags.length, lagMax: Math.max(0, ...lag.lags), lagP99ByProjection: lag.p99 };

      // 6. projection lag at a steady 300 events/s (100 submissions per second: 3 events each)
      const lagSubmits = toSubmit.slice(toSubmit.length - lagReserve);
      await sleep(1000);
      say(`lag at 300 events/s: ${lagSubmits.length} submissions at 100/s (load ${load1()})`);
      const lagBefore = await head(service.url, admin);
      sampler = lagSampler(service.url, admin);
      const steady = await runLoad({
        url: service.url, connections: CONNECTIONS, amount: lagSubmits.length, pacedRate: 100, expect: '"submitted":1',
        requests: lagSubmits.map(({ id, token }): LoadRequest => ({ method: 'POST', path: '/api/v1/records/submit', headers: { ...bearer(token), 'Content-Type': 'application/json' }, body: JSON.stringify({ recordIds: [id] }) })),
      });
      lag = await sampler.stop();
      checkLoad('steady submit', steady, notes);
      const steadyRate = ((await head(service.url, admin)) - lagBefore) / steady.seconds;
      rows.push(metric(`projection lag p99 at ${Math.round(steadyRate)} events/s (service-reported, sampled every 50 ms)`, percentile(lag.lags, 0.99), 'ms', { atMost: 1000, note: 'at 300 events/s' }));
      rows.push(metric('HTTP submit p50 at 100 submissions/s (evenly spaced)', steady.p50, 'ms'));
      rows.push(metric('HTTP submit p99 at 100 submissions/s (evenly spaced)', steady.p99, 'ms'));
      notes['steady'] = { ...summary(steady), eventsPerSecond: steadyRate, lagSamples: lag.lags.length, lagMax: Math.max(0, ...lag.lags), lagP99ByProjection: lag.p99 };

      // 7. approvals at peak rate: the review queues as the submissions left them (a passed record whose
      // twin was just submitted is a problem record now, and cannot be approved)
      await sleep(1000);
      const passed = await Promise.all(bench.map(async (b) => (await ids(service.url, '/records/review-queue', tokens.get(b.code)!.review)).map((id) => ({ id, token: tokens.get(b.code)!.review }))));
      const toApprove = interleave(passed);
      say(`approve ${toApprove.length} records at peak rate (load ${load1()})`);
      const approveBefore = await head(service.url, admin);
      sampler = lagSampler(service.url, admin);
      const approve = await runLoad({
        url: service.url, connections: CONNECTIONS, amount: toApprove.length, expect: '"status":"numbered"',
        requests: toApprove.map(({ id, token }): LoadRequest => ({ method: 'POST', path: `/api/v1/records/${id}/approve`, headers: bearer(token) })),
      });
      lag = await sampler.stop();
      checkLoad('approve', approve, notes);
      const approveEvents = (await head(service.url, admin)) - approveBefore;
      rows.push(metric(`HTTP approve (number issued at once), ${CONNECTIONS} clients`, approve.perSecond, 'commands/s', { atLeast: 3000 }));
      rows.push(metric('HTTP approve p50', approve.p50, 'ms'));
      rows.push(metric('HTTP approve p99', approve.p99, 'ms', { atMost: 30 }));
      if (options.appendCeiling) rows.push(metric('HTTP approve events/s / batched-append ceiling', approveEvents / approve.seconds / options.appendCeiling, 'ratio'));
      rows.push(metric('projection lag p99 during peak approvals', percentile(lag.lags, 0.99), 'ms'));
      notes['approve'] = { ...summary(approve), events: approveEvents, lagMax: Math.max(0, ...lag.lags), lagP99ByProjection: lag.p99 };
      notes['floor'] = summary(floor);
      notes['reviewQueue'] = { ...summary(queue), direct };
    } catch (error) {
      // the HTTP runs stop here; the rebuild and the start floor are still measured
      errors.push(`${error instanceof Error ? error.message : String(error)}\nservice log:\n${service.log()}`);
      say(`HTTP benchmarks stopped: ${errors[errors.length - 1]!.split('\n')[0]}`);
    } finally {
      await Promise.all(sessions.map((token) => api(service.url, 'POST', '/auth/logout', token).catch(() => undefined)));
      await service.stop();
    }

    // 8. rebuild of the records read model from the province's log, beside a bare read of the same log
    say(`rebuild: sequential read of the log, then the records projection (load ${load1()})`);
    const log = new SqliteEventStore(join(dir, 'events.sqlite'));
    const total = await log.headPosition();
    let started = process.hrtime.bigint();
    for (let after = 0; ;) {
      const batch = await log.readAll({ after, maxCount: 10_000 });
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.position;
    }
    const readRate = total / (Number(process.hrtime.bigint() - started) / 1e9);
    await log.close();
    rows.push(metric(`log sequential read, ${label(total)} events of the province (ceiling)`, readRate, 'events/s'));
    started = process.hrtime.bigint();
    const [report] = await rebuildProjections({ config: { ...loadConfig(encryptionSetting()), dataDir: dir }, projections: [recordsProjection], events: ALL_EVENT_DEFINITIONS, names: [], logger: quiet });
    const rebuildRate = report!.events / (Number(process.hrtime.bigint() - started) / 1e9);
    rows.push(metric(`records projection rebuild, ${label(report!.events)} events`, rebuildRate, 'events/s', { atLeast: 50_000 }));
    rows.push(metric('records projection rebuild / sequential read', rebuildRate / readRate, 'ratio'));

    // 9. a fresh service's start: the floor of restart-to-ready
    const empty = join(mkdtempSync(join(tmpdir(), 'bench-empty-')), 'data');
    try {
      const fresh = await startService(empty, { BOOTSTRAP_ADMIN_PASSWORD: 'Bench#Admin2026' });
      await fresh.stop();
      rows.push(metric('start-to-ready of an empty service (floor)', fresh.readyMs / 1000, 's'));
      rows.push(metric(`restart-to-ready ${scale} / empty service`, (rows.find((r) => r.metric.startsWith('restart-to-ready'))!.value) / (fresh.readyMs / 1000), 'ratio'));
    } finally {
      rmSync(dirname(empty), { recursive: true, force: true });
    }
    if (errors.length > 0) throw new Error(errors.join('\n'));
    return { rows, notes };
  } finally {
    if (temporary) rmSync(dirname(dir), { recursive: true, force: true });
  }
}

/** The review-queue query straight on the read store (a second connection to the service's file), one at a time. */
async function directQuery(dir: string, institutions: string[], seconds: number): Promise<{ perSecond: number; p50: number; p99: number }> {
  const reads = new SqliteReadStore(join(dir, 'read-models.sqlite'), { checkpointsWal: false });
  const times: number[] = [];
  const until = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  try {
    for (let i = 0; Date.now() < until; i++) {
      const t = process.hrtime.bigint();
      await reads.find(RECORDS, { status: 'dedupe-passed', institutionCode: institutions[i % institutions.length]! }, { sort: [['updatedAt', 'asc']], limit: 50 });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } finally {
    await reads.close();
  }
  return { perSecond: times.length / (Number(process.hrtime.bigint() - started) / 1e9), p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** Queries/s of the review queue's query through the service's own read store (`threads` reader threads, 0: none), 50 in flight. */
async function servedQuery(dir: string, institutions: string[], seconds: number, threads: number): Promise<number> {
  const config = loadConfig({ ...process.env, DATA_DIR: dir });
  const local = await openReadStore(config, { writer: false });
  const reads = threads === 0 ? local : new ReaderThreadsReadStore(local, pathToFileURL(join(DIST, 'src', 'shared', 'infrastructure', 'reader-thread.worker.js')), { config }, threads, quiet);
  if (reads instanceof ReaderThreadsReadStore) await reads.ready();
  // the collection's indexes and personal fields, as the service registers them at start (nothing to create)
  await reads.ensureCollection(RECORDS, recordsProjection.collections['records']!);
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  try {
    await Promise.all(Array.from({ length: CONNECTIONS }, async (_, client) => {
      for (let i = client; Date.now() < until; i += CONNECTIONS) {
        await reads.find(RECORDS, { status: 'dedupe-passed', institutionCode: institutions[i % institutions.length]! }, { sort: [['updatedAt', 'asc']], limit: 50 });
        done++;
      }
    }));
  } finally {
    await reads.close();
  }
  return done / (Number(process.hrtime.bigint() - started) / 1e9);
}

function summary(r: LoadResult) {
  return { requests: r.requests, seconds: r.seconds, perSecond: Math.round(r.perSecond), p50: r.p50, p90: r.p90, p99: r.p99, max: r.max, status: r.status, clientCpuSeconds: r.clientCpuSeconds };
}

function label(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(n % 1e6 === 0 ? 0 : 1)} M` : `${Math.round(n / 1000)} k`;
}
