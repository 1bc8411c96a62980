// The service under test as a child process (node dist/src/main.js), and the load process beside it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './http-load.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The p-quantile (0..1) of unsorted timings; 0 for none. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

/** The result of `work` and how long it took, in milliseconds. */
export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e6];
}

/**
 * CPU time (user + system, ms) a process has used so far, all its threads, from /proc (Linux; null
 * elsewhere). Divided by the requests of a load it gives a cost per request that the other work on
 * a shared machine changes far less than it changes the rate.
 */
export function processCpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 10 ms (USER_HZ = 100 on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** A fresh data folder holding the demo province (npm run demo), with cheap password hashes. */
export function demoDataFolder(prefix: string): string {
  const dataDir = join(mkdtempSync(join(tmpdir(), prefix)), 'data');
  const demo = spawnSync(process.execPath, [join(DIST, 'src', 'cli', 'demo.js')], { env: { ...process.env, DATA_DIR: dataDir, PASSWORD_HASH_COST: '12', NODE_OPTIONS: '' }, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  return dataDir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  url: string;
  process: ChildProcess;
  /** spawn -> first 200 of GET /ready */
  readyMs: number;
  stop(): Promise<void>;
  /** the service's stderr and warnings (the last lines), for failures */
  log(): string;
}

/** Starts the built service on a data folder and waits until /ready answers 200 (projections caught up). */
export async function startService(dataDir: string, env: Record<string, string> = {}, timeoutMs = 600_000): Promise<RunningService> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  // BENCH_SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": profile the service under load
  const nodeArgs = (process.env['BENCH_SERVICE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(DIST, 'src', 'main.js')], {
    // the bench logs in its hundred registrars and polls /ready from one address: the per-address limits would refuse it
    env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_LOGIN_MAX: '1000000', RATE_LIMIT_PUBLIC_MAX: '1000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 50) lines.splice(0, lines.length - 50);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code ?? -1), resolve())));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited !== null) throw new Error(`service exited (${exited}) before it was ready:\n${lines.join('\n')}`);
    if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`service not ready after ${timeoutMs} ms:\n${lines.join('\n')}`);
    }
    const ready = await fetch(`${url}/ready`).then((r) => r.status === 200, () => false);
    if (ready) break;
    await sleep(20);
  }
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    url,
    process: child,
    readyMs,
    log: () => lines.join('\n'),
    async stop() {
      if (exited === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Runs one bounded load from a second process (autocannon on loopback) and answers its figures. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  try {
    const child = spawn(process.execPath, [join(DIST, 'bench', 'http-load.js'), file], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await new Promise<number>((resolve) => child.once('exit', (c) => resolve(c ?? -1)));
    if (code !== 0) throw new Error(`load process failed (${code}): ${err}`);
    return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The HTTP floor beside a capability's figures (issue 23 item 5): the cheapest route (GET /health)
 * on the same service, with the same connections and load process, so the ceiling is printed in
 * every group, not only in the province group.
 */
export function httpFloor(url: string, connections: number, seconds: number): Promise<LoadResult> {
  return runLoad({ url, connections, duration: seconds, requests: [{ method: 'GET', path: '/health', headers: {} }] });
}

/** JSON over HTTP with a bearer token; throws with the problem details on an error status. */
/**
 * Keep-alive connections for the bench's own clients. node:http rather than fetch: fetch cost the
 * bench process about 0.9 ms of CPU per request (measured in the transfers group), more than half
 * of what the service spent, and on two cores that is CPU taken from the service under test.
 */
const clientAgent = new Agent({ keepAlive: true, maxSockets: 256 });

export function api<T = Record<string, unknown>>(url: string, method: 'GET' | 'POST', path: string, token?: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {}) };
  return new Promise<T>((resolve, reject) => {
    const req = httpRequest(`${url}/api/v1${path}`, { method, headers, agent: clientAgent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) return reject(new Error(`${method} ${path}: ${status} ${text.slice(0, 300)}`));
        try {
          resolve(JSON.parse(text) as T);
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
