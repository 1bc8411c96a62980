import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Metric {
  metric: string;
  value: number;
  unit: string;
  /** e.g. ">= 100000"; empty when the row is a ceiling or context figure */
  target: string;
  /** 'n/a': the target is set at a scale this run did not reach (e.g. 5 M children in quick mode) */
  verdict: 'pass' | 'FAIL' | '' | 'n/a';
  /** the machine's 1-minute load average when the figure was taken (other jobs share its 2 cores) */
  load: number;
}

export interface TargetOptions {
  atLeast?: number;
  atMost?: number;
  /** the target holds at a scale this run is below: shown, not judged */
  belowScale?: boolean;
  /** what the target is conditioned on, appended to its text (e.g. "at 5 M") */
  note?: string;
}

export const load1 = (): number => Math.round(loadavg()[0]! * 100) / 100;

export function metric(name: string, value: number, unit: string, target?: TargetOptions): Metric {
  // whole numbers from 100 up, two decimals from 1, two significant digits below (ratios like 0.0042)
  const round = value >= 100 ? Math.round(value) : value >= 1 || value === 0 ? Math.round(value * 100) / 100 : Number(value.toPrecision(2));
  if (!target || (target.atLeast === undefined && target.atMost === undefined)) return { metric: name, value: round, unit, target: '', verdict: '', load: load1() };
  const ok = (target.atLeast === undefined || value >= target.atLeast) && (target.atMost === undefined || value <= target.atMost);
  const text = `${target.atLeast !== undefined ? `>= ${target.atLeast}` : `<= ${target.atMost}`}${target.note ? ` ${target.note}` : ''}`;
  return { metric: name, value: round, unit, target: text, verdict: target.belowScale ? 'n/a' : ok ? 'pass' : 'FAIL', load: load1() };
}

export function printTable(rows: Metric[]): void {
  const header = ['metric', 'value', 'unit', 'target', 'verdict', 'load'];
  const cells = rows.map((r) => [r.metric, String(r.value), r.unit, r.target, r.verdict, r.load.toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells.map(line).join('\n')}\n`);
}

export function writeResults(name: string, rows: Metric[], extra: Record<string, unknown>): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const body = { at: new Date().toISOString(), machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, memoryGb: Math.round(totalmem() / 1e9) }, ...extra, metrics: rows };
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}
