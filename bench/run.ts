// npm run bench [-- --full]: every benchmark, one table, results in bench/results/latest.json.
import { benchDeduplication } from './deduplication.bench.js';
import { benchEventStore } from './event-store.bench.js';
import { benchImport } from './import.bench.js';
import { type Metric, printTable, writeResults } from './report.js';

const full = process.argv.includes('--full');
const rows: Metric[] = [];
const notes: Record<string, unknown> = { mode: full ? 'full' : 'quick' };

process.stdout.write(`bench (${full ? 'full' : 'quick'} mode)\n`);
const es = await benchEventStore({ rebuildEvents: full ? 15_000_000 : 1_000_000 });
rows.push(...es.rows);
Object.assign(notes, es.notes);
const imports = await benchImport({ bigRows: 50_000 });
rows.push(...imports.rows);
Object.assign(notes, imports.notes);
const dedupe = await benchDeduplication({ records: full ? 5_000_000 : 1_000_000, samples: 4000 });
rows.push(...dedupe.rows);
Object.assign(notes, dedupe.notes);

printTable(rows);
const file = writeResults('latest', rows, notes);
process.stdout.write(`\nwritten to ${file}\n`);
if (rows.some((r) => r.verdict === 'FAIL')) process.stdout.write('some targets were missed (verdict FAIL)\n');
