import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { CommandPath, type PreparedStart } from '../../../shared/command/command-path.js';
import type { EventStore, RecordedEvent } from '../../../shared/event-store/event-store.port.js';
import { SqliteEventStore } from '../../../shared/event-store/sqlite.event-store.js';
import { EventRegistry } from '../../../shared/events/event-registry.js';
import { streamByStream } from '../../../shared/testing/stream-by-stream.store.js';
import { SettableClock } from '../../../shared/time/clock.js';
import { type ImportSummaryData, importStream } from '../../domain/record-import.decider.js';
import { recordDecider, recordStream } from '../../domain/record.decider.js';
import { EXAMPLE_CHILD, RECORD_EVENTS } from '../../domain/record.events.js';
import { ImportCommit } from './import-commit.js';
import { importRecoveryReactor } from './import-recovery.reactor.js';

const registry = new EventRegistry().register(RECORD_EVENTS);
const at = '2026-09-05T02:00:00.000Z';
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const context = { actor: { accountId: 'registrar', role: 'business', organisationId: '1141010001' }, correlationId: 'corr-import', causationId: null };
const ROWS = 40;

/** One "process": its own command path and import commit on the shared store. */
function service(store: EventStore) {
  const commands = new CommandPath(store, registry);
  const imports = new ImportCommit(commands, store, new SettableClock(at), quiet);
  const batchId = randomUUID();
  const records: Array<PreparedStart<unknown>> = Array.from({ length: ROWS }, (_, i) => {
    const recordId = randomUUID();
    return commands.prepareStart({
      streamId: recordStream(recordId), decider: recordDecider, context,
      command: { type: 'SaveRecord', recordId, institutionCode: '1141010001', divisionCode: '410102', child: EXAMPLE_CHILD, confirmOverAge: false, importRef: { batchId, row: i + 2 }, at },
    });
  });
  const summary: ImportSummaryData = { batchId, institutionCode: '1141010001', fileName: '小班.xlsx', fileSha256: 'c'.repeat(64), rows: ROWS, saved: ROWS, failed: 0, alreadyPresent: 0, issues: [], importedAt: at };
  return { commands, imports, batchId, records, summary };
}

const types = async (store: EventStore, streamId: string) => (await store.readStream(streamId)).map((e) => e.type);
const stored = async (store: EventStore, streams: string[]) => (await Promise.all(streams.map((s) => types(store, s)))).map((t) => t.join(','));

describe('an import batch is stored whole or not at all', () => {
  const stores: SqliteEventStore[] = [];
  const sqlite = () => {
    const store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'import-commit-')), 'events.sqlite'));
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('embedded store: records and batch in one transaction, the batch last', async () => {
    const store = sqlite();
    const { imports, batchId, records, summary } = service(store);
    const position = await imports.commit(summary, records, context);
    expect(position).toBe(await store.headPosition());
    expect(await types(store, importStream(batchId))).toEqual(['RecordsImported']);
    expect(new Set(await stored(store, records.map((r) => r.streamId)))).toEqual(new Set(['RecordSaved']));
  });

  it('embedded store: one record that cannot be written stores nothing of the batch', async () => {
    const store = sqlite();
    const { imports, batchId, records, summary } = service(store);
    await store.append(records[17]!.streamId, records[17]!.events, 'no_stream');
    await expect(imports.commit(summary, records, context)).rejects.toThrow(/expected revision/);
    expect(await store.readStream(importStream(batchId))).toEqual([]);
    expect((await store.readAll({ after: 0, maxCount: 1000 })).map((e) => e.streamId)).toEqual([records[17]!.streamId]);
  });

  it('stream by stream (EventStoreDB): started, records, completed; the recovery reactor then changes nothing', async () => {
    const store = streamByStream(sqlite());
    const { imports, batchId, records, summary } = service(store);
    const position = await imports.commit(summary, records, context);
    const batch = await store.readStream(importStream(batchId));
    expect(batch.map((e) => e.type)).toEqual(['RecordImportStarted', 'RecordsImported']);
    expect(batch[0]!.data).toMatchObject({ batchId, rows: ROWS, toSave: ROWS, fileSha256: 'c'.repeat(64) });
    expect(position).toBe(batch[1]!.position);
    await importRecoveryReactor(imports, quiet).react(batch[0]!);
    expect(await types(store, importStream(batchId))).toEqual(['RecordImportStarted', 'RecordsImported']);
  });

  it('stream by stream: a failure half-way withdraws every record written, then the batch, visibly', async () => {
    let appended = 0;
    const inner = sqlite();
    const store = streamByStream(inner, async (streamId) => {
      if (streamId.startsWith('record-') && !streamId.startsWith('record-import-') && ++appended === 25) throw new Error('connection lost');
    });
    const { imports, batchId, records, summary } = service(store);
    await expect(imports.commit(summary, records, context)).rejects.toThrow('connection lost');
    const batch = await store.readStream(importStream(batchId));
    expect(batch.map((e) => e.type)).toEqual(['RecordImportStarted', 'RecordImportWithdrawn']);
    const states = await stored(store, records.map((r) => r.streamId));
    const written = states.filter((s) => s !== '').length;
    expect(written).toBeGreaterThanOrEqual(24);
    expect(states.every((s) => s === '' || s === 'RecordSaved,RecordDeleted')).toBe(true);
    expect(batch[1]!.data).toMatchObject({ batchId, withdrawn: written, kept: 0 });
    expect(batch[1]!.metadata.reason).toMatch(/撤销/);
    const deletion = (await store.readStream(records.find((_, i) => states[i] !== '')!.streamId))[1]!;
    expect(deletion.metadata.actor.organisationId).toBe('record-import-recovery');
  });

  it('stream by stream: a batch a crash left started is withdrawn by the recovery reactor after the restart', async () => {
    const inner = sqlite();
    let appended = 0;
    // the first process dies after 30 records: its remaining appends never happen
    const dying = streamByStream(inner, (streamId) => (streamId.startsWith('record-import-') || ++appended <= 30 ? Promise.resolve() : new Promise<void>(() => undefined)));
    const first = service(dying);
    void first.imports.commit(first.summary, first.records, context);
    let started: RecordedEvent | undefined;
    // the start and 30 records are stored; the 31st and later hang
    while (appended < 31 || (await inner.headPosition()) < 31) await new Promise((r) => setTimeout(r, 5));
    started = (await inner.readStream(importStream(first.batchId)))[0];
    expect(started?.type).toBe('RecordImportStarted');
    // the restarted process: its own command path, nothing running
    const second = service(streamByStream(inner));
    await importRecoveryReactor(second.imports, quiet).react(started!);
    const states = await stored(inner, first.records.map((r) => r.streamId));
    expect(states.filter((s) => s === 'RecordSaved,RecordDeleted')).toHaveLength(30);
    expect(states.filter((s) => s === '')).toHaveLength(ROWS - 30);
    const batch = await inner.readStream(importStream(first.batchId));
    expect(batch.map((e) => e.type)).toEqual(['RecordImportStarted', 'RecordImportWithdrawn']);
    expect(batch[1]!.data).toMatchObject({ withdrawn: 30, kept: 0 });
    expect(batch[1]!.metadata.causationId).toBe(started!.metadata.eventId);
    // repeated after another crash: nothing more
    await importRecoveryReactor(service(streamByStream(inner)).imports, quiet).react(started!);
    expect(await types(inner, importStream(first.batchId))).toEqual(['RecordImportStarted', 'RecordImportWithdrawn']);
  });

  it('stream by stream: the reactor waits for a batch this process is still storing instead of withdrawing it', async () => {
    const inner = sqlite();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const store = streamByStream(inner, (streamId) => (streamId.startsWith('record-import-') ? Promise.resolve() : gate));
    const { imports, batchId, records, summary } = service(store);
    const committing = imports.commit(summary, records, context);
    let started: RecordedEvent | undefined;
    while (!(started = (await inner.readStream(importStream(batchId)))[0])) await new Promise((r) => setTimeout(r, 5));
    let settled = false;
    const reaction = importRecoveryReactor(imports, quiet).react(started).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    release();
    await committing;
    await reaction;
    expect(await types(inner, importStream(batchId))).toEqual(['RecordImportStarted', 'RecordsImported']);
    expect(new Set(await stored(inner, records.map((r) => r.streamId)))).toEqual(new Set(['RecordSaved']));
  });
});
