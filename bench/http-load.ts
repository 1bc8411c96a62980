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
  /** requests per second over all connections (unlimited when absent) */
  overallRate?: number;
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

async function run(spec: LoadSpec): Promise<LoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const samples: string[] = [];
  let mismatches = 0;
  const cpu = process.cpuUsage();
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    timeout: 30,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
    ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
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
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const used = process.cpuUsage(cpu);
  const sorted = Float64Array.from(latencies).sort();
  const total = Object.values(result.statusCodeStats).reduce((n, s) => n + Number(s.count), 0);
  const status = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, Number(s.count)]));
  return {
    requests: total,
    seconds: result.duration,
    perSecond: (sorted.length - mismatches) / result.duration,
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
