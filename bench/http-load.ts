// The load generator: a second process that sends prepared HTTP requests on loopback with
// autocannon and prints one JSON line of results. Started by bench/province.bench.ts as
//   node dist/bench/http-load.js <spec.json>
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** requests in the list, each sent once (bounded count), or ... */
  amount?: number;
  /** ... seconds of cycling through the list (bounded duration) */
  duration?: number;
  /**
   * Requests per second, evenly spaced (an open model: each request leaves on its schedule,
   * whether or not earlier ones were answered). Sent with fetch, not autocannon, whose rate
   * limit sends each connection's share of a second in one burst.
   */
  pacedRate?: number;
  requests: LoadRequest[];
  /** a 2xx answer whose body lacks this text counts as a mismatch (e.g. a submission the service refused) */
  expect?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  /** 2xx answers (without mismatches) per second */
  perSecond: number;
  /** latency of 2xx answers in ms, from the client's own clock */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  status: Record<string, number>;
  mismatches: number;
  errors: number;
  timeouts: number;
  /** bodies of the first few failures */
  samples: string[];
  /** CPU this load process spent (it shares the machine with the service) */
  clientCpuSeconds: number;
}

const percentile = (sorted: Float64Array, p: number): number => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!);

/** Requests at evenly spaced instants (see LoadSpec.pacedRate). */
async function paced(spec: LoadSpec & { pacedRate: number }): Promise<LoadResult> {
  const count = spec.amount ?? Math.round((spec.duration ?? 10) * spec.pacedRate);
  const latencies: number[] = [];
  const status: Record<string, number> = {};
  const samples: string[] = [];
  let mismatches = 0;
  let errors = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / spec.pacedRate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const r = spec.requests[i % spec.requests.length]!;
    const sent = performance.now();
    inFlight.push(
      fetch(`${spec.url}${r.path}`, { method: r.method, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) }).then(
        async (res) => {
          const body = await res.text();
          const ms = performance.now() - sent;
          status[res.status] = (status[res.status] ?? 0) + 1;
          const ok = res.ok && (!spec.expect || body.includes(spec.expect));
          if (res.ok) latencies.push(ms);
          if (res.ok && !ok) mismatches++;
          if (!ok && samples.length < 5) samples.push(`${res.status} ${body.slice(0, 400)}`);
        },
        (error: unknown) => {
          errors++;
          if (samples.length < 5) samples.push(String(error));
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: count, seconds, perSecond: (sorted.length - mismatches) / seconds,
    p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1]! : 0,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0,
    status, mismatches, errors, timeouts: 0, samples, clientCpuSeconds: (used.user + used.system) / 1e6,
  };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  if (spec.pacedRate !== undefined) return paced({ ...spec, pacedRate: spec.pacedRate });
  let next = 0;
  const latencies: number[] = [];
  const samples: string[] = [];
  let mismatches = 0;
  const cpu = process.cpuUsage();
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    timeout: 120,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
    requests: [
      {
        setupRequest: (request) => {
          const r = spec.requests[next++ % spec.requests.length]!;
          return { ...request, method: r.method, path: r.path, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) };
        },
        onResponse: (status, body) => {
          const ok = status >= 200 && status < 300;
          if (ok && spec.expect && !body.includes(spec.expect)) mismatches++;
          if ((!ok || (spec.expect && !body.includes(spec.expect))) && samples.length < 5) samples.push(`${status} ${body.slice(0, 400)}`);
        },
      },
    ],
  });
  // autocannon ends a run bounded by an amount at its next one-second tick, and reports that as the
  // duration: a 13.1 s run counted as 14 s (7 % low). Such a run is timed to its last answer here.
  const started = process.hrtime.bigint();
  let lastAnswer = started;
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    lastAnswer = process.hrtime.bigint();
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const seconds = spec.amount !== undefined && lastAnswer > started ? Number(lastAnswer - started) / 1e9 : result.duration;
  const used = process.cpuUsage(cpu);
  const sorted = Float64Array.from(latencies).sort();
  const total = Object.values(result.statusCodeStats).reduce((n, s) => n + Number(s.count), 0);
  const status = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, Number(s.count)]));
  return {
    requests: total,
    seconds,
    perSecond: (sorted.length - mismatches) / seconds,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0,
    status,
    mismatches,
    errors: result.errors,
    timeouts: result.timeouts,
    samples,
    clientCpuSeconds: (used.user + used.system) / 1e6,
  };
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node dist/bench/http-load.js <spec.json>\n');
  process.exit(2);
}
const result = await run(JSON.parse(readFileSync(file, 'utf8')) as LoadSpec);
process.stdout.write(`${JSON.stringify(result)}\n`);
