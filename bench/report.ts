import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Metric {
  metric: string;
  value: number;
  unit: string;
  /** e.g. ">= 100000"; empty when the row is a ceiling or context figure */
  target: string;
  verdict: 'pass' | 'FAIL' | '';
}

export function metric(name: string, value: number, unit: string, target?: { atLeast?: number; atMost?: number }): Metric {
  const round = value >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
  if (!target) return { metric: name, value: round, unit, target: '', verdict: '' };
  const ok = (target.atLeast === undefined || value >= target.atLeast) && (target.atMost === undefined || value <= target.atMost);
  const text = target.atLeast !== undefined ? `>= ${target.atLeast}` : `<= ${target.atMost}`;
  return { metric: name, value: round, unit, target: text, verdict: ok ? 'pass' : 'FAIL' };
}

export function printTable(rows: Metric[]): void {
  const header = ['metric', 'value', 'unit', 'target', 'verdict'];
  const cells = rows.map((r) => [r.metric, String(r.value), r.unit, r.target, r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${cells.map(line).join('\n')}\n`);
}

export function writeResults(name: string, rows: Metric[], extra: Record<string, unknown>): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const body = { at: new Date().toISOString(), machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version }, ...extra, metrics: rows };
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}
