import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../src/shared/event-store/event-store.port.js';
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import { EventRegistry, defaultSchemaDir } from '../src/shared/events/event-registry.js';
import { ProjectionRunner } from '../src/shared/projections/projection-runner.js';
import { SqliteReadStore } from '../src/shared/read-store/sqlite.read-store.js';
import { fixtureSchemaDir, quietLogger } from '../test/fixtures/fixture-app.js';
import { LEDGER_EVENTS } from '../test/fixtures/ledger/ledger.decider.js';
import { ledgerAccountsProjection } from '../test/fixtures/ledger/ledger.projection.js';
import { type Metric, metric } from './report.js';

const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;

/** A realistic event: a child-record-sized payload (~450 bytes of JSON with metadata). */
function event(accountId: string, i: number): NewEvent {
  return {
    type: i === 0 ? 'AccountOpened' : 'MoneyDeposited',
    data: i === 0
      ? { accountId, owner: '王小明', openedAt: '2026-09-01T08:00:00.000Z' }
      : { accountId, depositId: `d-${i}`, amount: (i % 50) + 1, depositedAt: '2026-09-01T08:00:00.000Z' },
    metadata: {
      eventId: randomUUID(),
      actor: { accountId: 'acc-4101020001-business', role: 'business', organisationId: '1141010001' },
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: '2026-09-01T08:00:00.000Z',
      schemaVersion: i === 0 ? 2 : 1,
    },
  };
}

export async function benchEventStore(options: { rebuildEvents: number }): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-es-'));
  const rows: Metric[] = [];
  try {
    const store = new SqliteEventStore(join(dir, 'events.sqlite'));

    // 1. one event per commit, sequential: every append waits for its own fsync
    let n = 2000;
    let start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await store.append(`single-${i}`, [event(`single-${i}`, 0)], 'no_stream');
    rows.push(metric('append: 1 event per commit, sequential (fsync each)', n / seconds(start), 'events/s'));

    // 2. one event per append, 256 concurrent writers: group commit shares the fsync
    n = 100_000;
    start = process.hrtime.bigint();
    let next = 0;
    const writer = async (): Promise<void> => {
      while (next < n) {
        const i = next++;
        await store.append(`group-${i}`, [event(`group-${i}`, 0)], 'no_stream');
      }
    };
    await Promise.all(Array.from({ length: 256 }, writer));
    rows.push(metric('append: 1 event per append, 256 concurrent (group commit)', n / seconds(start), 'events/s'));

    // 3. batched: 1,000 events per append
    n = 200_000;
    start = process.hrtime.bigint();
    for (let b = 0; b < n / 1000; b++) {
      const id = `batch-${b}`;
      await store.append(id, Array.from({ length: 1000 }, (_, i) => event(id, i)), 'no_stream');
    }
    rows.push(metric('append: batched, 1,000 events per commit', n / seconds(start), 'events/s', { atLeast: 100_000 }));
    await store.close();

    // 4. rebuild: the ledger projection over N events, vs a bare sequential read of the same log
    const logFile = join(dir, 'rebuild.sqlite');
    const log = new SqliteEventStore(logFile);
    const perAccount = 100;
    for (let a = 0; a < options.rebuildEvents / perAccount; a += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, k) => {
        const id = `acct-${a + k}`;
        return log.append(`ledger-${id}`, Array.from({ length: perAccount }, (_, i) => event(id, i)), 'no_stream');
      }));
    }
    const total = await log.headPosition();
    start = process.hrtime.bigint();
    let after = 0;
    for (;;) {
      const batch = await log.readAll({ after, maxCount: 10_000 });
      if (batch.length === 0) break;
      after = batch[batch.length - 1]!.position;
    }
    const readRate = total / seconds(start);
    rows.push(metric(`log sequential read (${(total / 1e6).toFixed(1)} M events), the ceiling`, readRate, 'events/s'));

    const registry = new EventRegistry([defaultSchemaDir(), fixtureSchemaDir()]).register(LEDGER_EVENTS);
    const reads = new SqliteReadStore(join(dir, 'read.sqlite'));
    const runner = new ProjectionRunner(ledgerAccountsProjection, log, reads, registry, quietLogger);
    start = process.hrtime.bigint();
    const result = await runner.rebuild();
    const rebuildRate = result.events / seconds(start);
    rows.push(metric(`projection rebuild (${(result.events / 1e6).toFixed(1)} M events)`, rebuildRate, 'events/s', { atLeast: 50_000 }));
    rows.push(metric('projection rebuild / sequential read', rebuildRate / readRate, 'ratio'));
    await log.close();
    await reads.close();
    return { rows, notes: { eventStore: 'sqlite', synchronous: 'FULL', rebuildEvents: result.events } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
