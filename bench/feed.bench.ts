import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap.js';
import { loadConfig } from '../src/config/app-config.js';
import { recordStream } from '../src/records/contracts/index.js';
import { EXAMPLE_CHILD } from '../src/records/domain/record.events.js';
import { EVENT_STORE, type EventStore, type NewEvent, type StreamAppend } from '../src/shared/event-store/event-store.port.js';
import { ProjectionManager } from '../src/shared/projections/projection-manager.js';
import { apiClientStream } from '../src/sharing/domain/api-client.decider.js';
import { hashSecret } from '../src/sharing/application/client-tokens.js';
import { benchIdNumber, fromIdNumber } from './children.js';
import { type Metric, metric } from './report.js';
import { sleep } from './service.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const actor = { accountId: 'bench', role: 'business', organisationId: '1141010001' };
const meta = (at: string): NewEvent['metadata'] => ({ eventId: randomUUID(), actor, correlationId: 'bench', causationId: null, occurredAt: at, schemaVersion: 1 });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

function saved(n: number, at: string): StreamAppend {
  const recordId = randomUUID();
  const idNumber = benchIdNumber(n);
  const data = { recordId, institutionCode: '1141010001', divisionCode: '410102', child: { ...EXAMPLE_CHILD, ...fromIdNumber(idNumber), idNumber }, overAgeConfirmed: false, importRef: null, savedAt: at };
  return { streamId: recordStream(recordId), events: [{ type: 'RecordSaved', data, metadata: meta(at) }], expected: 'no_stream' };
}

/**
 * The change feed (issue 18): one consumer reading `changes` record changes page by page over
 * HTTP (entries/s), then the SSE live tail's delivery lag with `consumers` streams open while
 * records are appended at `rate` per second for `seconds`. The service runs in this process on
 * a fresh embedded store; the changes are appended straight to the log (the write path has its
 * own benchmarks), the projections build the feed as in production.
 */
export async function benchFeed(options: { changes: number; consumers: number; readers: number; rate: number; seconds: number }): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-feed-'));
  const app = await createApp({ config: { ...loadConfig({ ...process.env, PASSWORD_HASH_COST: '12', RATE_LIMIT_PUBLIC_MAX: '1000000' }), dataDir }, logger: quiet });
  try {
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const store = app.get<EventStore>(EVENT_STORE);
    const at = new Date().toISOString();
    let written = 0;
    // the next change after the seeded ones, appended as a kindergarten's save would be
    const writeNext = () => {
      const next = saved(options.changes + written++, new Date().toISOString());
      return store.append(next.streamId, next.events, next.expected);
    };
    const clientId = 'cl_00000000000000be';
    const secret = 'bench-secret-with-enough-entropy-for-a-benchmark';
    await store.append(apiClientStream(clientId), [{ type: 'ApiClientRegistered', data: { clientId, name: '基准测试门户', level: 'province', divisionCode: '410000', profile: 'masked', secretHash: hashSecret(secret), registeredAt: at }, metadata: meta(at) }], 'no_stream');
    for (let i = 0; i < options.changes; i += 5000) await store.appendMany(Array.from({ length: Math.min(5000, options.changes - i) }, (_, k) => saved(i + k, at)));
    const head = await store.headPosition();
    const projections = app.get(ProjectionManager);
    if (!(await projections.waitFor(head, 600_000, ['feed-entities']))) throw new Error('feed projection did not catch up');
    const tokenRes = await fetch(`${url}/api/v1/oauth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }) });
    const token = ((await tokenRes.json()) as { access_token: string }).access_token;
    const auth = { Authorization: `Bearer ${token}` };

    // one consumer, pages of 1,000 from the start
    let cursor = '0';
    let entries = 0;
    const readStarted = process.hrtime.bigint();
    for (;;) {
      const page = (await (await fetch(`${url}/api/v1/feed?after=${cursor}&limit=1000`, { headers: auth })).json()) as { entries: unknown[]; next: string; caughtUp: boolean };
      entries += page.entries.length;
      cursor = page.next;
      if (page.caughtUp) break;
    }
    const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9;

    // the ceiling of a page read: the bare log read of the same range, pages of 1,000, in this process
    let logEvents = 0;
    const logStarted = performance.now();
    for (let after = 0; ; ) {
      const batch = await store.readAll({ after, maxCount: 1000 });
      if (batch.length === 0) break;
      logEvents += batch.length;
      after = batch[batch.length - 1]!.position;
    }
    const logSeconds = (performance.now() - logStarted) / 1000;

    // feed reads (issue 23 item 5): `readers` API clients page through the whole feed at once while
    // records are written at `rate` per second; every page is read-audited as in production
    const reading = await feedReads(url, auth, options.readers, options.changes, writeNext, options.rate);

    // the live tail: consumers follow from the head while records are appended at a steady rate
    const sentAt = new Map<number, number>();
    const lags: number[] = [];
    const stop = new AbortController();
    const followers = Array.from({ length: options.consumers }, async () => {
      const res = await fetch(`${url}/api/v1/feed/stream?after=${cursor}`, { headers: auth, signal: stop.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const id = /^id: (\d+)$/m.exec(buffer.slice(0, cut))?.[1];
            buffer = buffer.slice(cut + 2);
            const sent = id ? sentAt.get(Number(id)) : undefined;
            if (sent !== undefined) lags.push(performance.now() - sent);
          }
        }
      } catch {
        // aborted at the end
      }
    });
    const total = options.rate * options.seconds;
    const liveStarted = performance.now();
    for (let n = 0; n < total; n++) {
      await due(liveStarted, n, options.rate);
      const t = performance.now();
      const { position } = await writeNext();
      sentAt.set(position, t);
    }
    const deadline = performance.now() + 5000;
    while (lags.length < total * options.consumers && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    await Promise.allSettled(followers);
    const sorted = [...lags].sort((a, b) => a - b);
    const delivered = lags.length / (total * options.consumers);
    return {
      rows: [
        metric(`feed: read ${options.changes.toLocaleString('en')} changes, one consumer`, entries / readSeconds, 'entries/s', { atLeast: 20_000 }),
        metric(`feed reads: ${options.readers} API clients paging the whole feed (pages of 1,000) while ${options.rate} records/s are written`, reading.entries / reading.seconds, 'entries/s'),
        metric('feed reads: page latency p99', reading.p99, 'ms'),
        metric('feed reads: page latency p50', reading.p50, 'ms'),
        metric(`log read of the same range, pages of 1,000, no HTTP (ceiling)`, logEvents / logSeconds, 'events/s'),
        metric(`feed SSE: delivery lag p99, ${options.consumers} consumers at ${options.rate} events/s`, sorted.length ? percentile(sorted, 0.99) : Infinity, 'ms', { atMost: 1000 }),
        metric('feed SSE: delivery lag p50', sorted.length ? percentile(sorted, 0.5) : Infinity, 'ms'),
        metric('feed SSE: share of entries delivered within 5 s of the last append', delivered, 'ratio', { atLeast: 1 }),
      ],
      notes: { feed: { changes: options.changes, entriesRead: entries, readSeconds, logEvents, logSeconds, reads: reading, consumers: options.consumers, rate: options.rate, seconds: options.seconds } },
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits until the n-th write of a steady `rate` per second, begun at `started`, is due. */
async function due(started: number, n: number, rate: number): Promise<void> {
  const wait = started + (n * 1000) / rate - performance.now();
  if (wait > 0) await sleep(wait);
}

/**
 * `readers` clients, each paging from the start until the feed says it is caught up, while
 * `write` is called `rate` times a second; page latency from the client's clock.
 */
async function feedReads(url: string, auth: Record<string, string>, readers: number, changes: number, write: () => Promise<unknown>, rate: number) {
  const latencies: number[] = [];
  let entries = 0;
  let pages = 0;
  let writes = 0;
  let reading = true;
  const started = performance.now();
  const writer = (async () => {
    while (reading) {
      await due(started, writes, rate);
      if (!reading) break;
      await write();
      writes++;
    }
  })();
  await Promise.all(
    Array.from({ length: readers }, async () => {
      for (let cursor = '0'; ; ) {
        const sent = performance.now();
        const res = await fetch(`${url}/api/v1/feed?after=${cursor}&limit=1000`, { headers: auth });
        if (!res.ok) throw new Error(`feed page: ${res.status} ${await res.text()}`);
        const page = (await res.json()) as { entries: unknown[]; next: string; caughtUp: boolean };
        latencies.push(performance.now() - sent);
        entries += page.entries.length;
        pages++;
        cursor = page.next;
        if (page.caughtUp) break;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  reading = false;
  await writer;
  const sorted = [...latencies].sort((a, b) => a - b);
  return { readers, changes, entries, pages, writes, seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}
