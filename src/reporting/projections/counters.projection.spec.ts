import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ALL_EVENT_DEFINITIONS } from '../../event-catalog.js';
import { SqliteEventStore } from '../../shared/event-store/sqlite.event-store.js';
import { EventRegistry, defaultSchemaDir } from '../../shared/events/event-registry.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import { ProjectionRunner } from '../../shared/projections/projection-runner.js';
import { type Doc, findAll } from '../../shared/read-store/read-store.port.js';
import { SqliteReadStore } from '../../shared/read-store/sqlite.read-store.js';
import { cutoffPosition, replayCounters } from '../application/replay.js';
import { COUNTERS, type UnitDoc, countersProjection } from './counters.projection.js';

const dir = mkdtempSync(join(tmpdir(), 'counters-runner-'));
const events = new SqliteEventStore(join(dir, 'events.sqlite'));
const reads = new SqliteReadStore(join(dir, 'reads.sqlite'));
const registry = new EventRegistry([defaultSchemaDir()]);
registry.register(ALL_EVENT_DEFINITIONS);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const metadata = (n: number) => ({ eventId: `e${n}`, actor: { accountId: 'a', role: 'business', organisationId: '1141010001' }, correlationId: 'c', causationId: null, occurredAt: `2026-11-2${n}T02:00:00.000Z`, schemaVersion: 1 });
const child = { name: '王小明', gender: '1', birthDate: '2022-03-15', idType: 'Z', idNumber: null, ethnicity: '01', nationality: 'CHN', hkMacaoTaiwan: null, birthplaceCode: null, householdCode: null, householdType: null, address: null, healthStatus: null, disabilityType: null, bloodType: null, onlyChild: null, leftBehind: null, migrantWorkerChild: null, orphan: null, guardians: [] };
const r1 = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const r2 = '7b2f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const units = (store: SqliteReadStore = reads) => findAll<UnitDoc>(store, COUNTERS.units, {});
const runnerOn = (store: SqliteReadStore = reads) => new ProjectionRunner(countersProjection, events, store, registry, quiet);
const readAt = (runner: ProjectionRunner, position: number) => runner.readAt(position, () => units(), 10_000);

afterAll(async () => {
  await events.close();
  await reads.close();
});

describe('the live summary counters (a projection of the framework)', () => {
  it('holds exactly at a cut-off position for the snapshot, then goes on; each state equals the log replayed to it', async () => {
    await events.append('institution-1141010001', [{ type: 'InstitutionRegistered', data: { code: '1141010001', name: '中原区第一幼儿园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: null, batchId: 'b' }, metadata: metadata(1) }], 'no_stream');
    for (const [i, id] of [r1, r2].entries()) {
      await events.append(`record-${id}`, [
        { type: 'RecordSaved', data: { recordId: id, institutionCode: '1141010001', divisionCode: '410102', child, overAgeConfirmed: false, importRef: null, savedAt: 'x' }, metadata: metadata(2 + i) },
        { type: 'RecordSubmitted', data: { recordId: id, dedupeKey: `nid:${i}`, submittedAt: 'x' }, metadata: metadata(2 + i) },
        { type: 'RecordPassedDeduplication', data: { recordId: id, passedAt: 'x' }, metadata: metadata(2 + i) },
        { type: 'RecordApproved', data: { recordId: id, approvedAt: 'x' }, metadata: metadata(2 + i) },
      ], 'no_stream');
    }
    const cutoff = 5; // the institution and the first child numbered
    const runner = runnerOn();
    await runner.prepare();
    const held = readAt(runner, cutoff);
    runner.start();
    const atCutoff = await held;
    expect(atCutoff).not.toBeNull();
    const at = Object.fromEntries(atCutoff!.map((u) => [u.id, u.counters]));
    expect(at['i:1141010001']).toMatchObject({ children: 1, counted: 1, 'st:numbered': 1 });
    expect(at).toEqual((await replayCounters(events, registry, cutoff)).counters());

    expect(await runner.waitFor(9, 10_000)).toBe(true);
    // past the position now: a snapshot for it must be recomputed from the log
    expect(await readAt(runner, cutoff)).toBeNull();
    const now = await readAt(runner, 9);
    expect(Object.fromEntries(now!.map((u) => [u.id, u.counters]))).toEqual((await replayCounters(events, registry, 9)).counters());
    expect(now!.find((u) => u.id === 'd:410102')!.counters['children']).toBe(2);
    await runner.stop();
  });

  it('the cut-off position: the last event that occurred before the cut-off (a binary search over positions)', async () => {
    expect(await cutoffPosition(events, new Date('2026-11-23T00:00:00.000Z'))).toBe(5);
    expect(await cutoffPosition(events, new Date('2026-11-23T00:00:00.000Z'), 2)).toBe(5);
    expect(await cutoffPosition(events, new Date('2026-11-21T00:00:00.000Z'))).toBe(0);
    expect(await cutoffPosition(events, new Date('2026-12-01T00:00:00.000Z'))).toBe(9);
    expect(await cutoffPosition(events, new Date('2026-11-22T02:00:00.000Z'))).toBe(1);
  });

  // after the cut-off test: these events occur in December
  it('a move in a batch of its own loads the receiving kindergarten: its children and counts in statistics follow, as the log replayed has them', async () => {
    const december = (n: number) => ({ ...metadata(n), eventId: `m${n}`, occurredAt: `2026-12-0${n}T02:00:00.000Z` });
    await events.append('institution-1141020001', [{ type: 'InstitutionRegistered', data: { code: '1141020001', name: '龙亭区第一幼儿园', type: 'kindergarten', divisionCode: '410202', ownership: 'public', licence: null, batchId: 'b' }, metadata: december(1) }], 'no_stream');
    const runner = runnerOn();
    runner.start();
    // stopped whatever happens: a failed expectation must not leave the runner's loop holding jest open
    try {
      expect(await runner.waitFor(10, 10_000)).toBe(true);
      const head = await events.append(`record-${r2}`, [{ type: 'RecordTransferred', data: { recordId: r2, transferId: 't1', fromInstitutionCode: '1141010001', fromDivisionCode: '410102', toInstitutionCode: '1141020001', toDivisionCode: '410202', status: 'numbered', transferredAt: '2026-12-02T02:00:00.000Z' }, metadata: december(2) }], 'any');
      expect(await runner.waitFor(head.position, 10_000)).toBe(true);
      const now = await readAt(runner, head.position);
      const byUnit = Object.fromEntries(now!.map((u) => [u.id, u.counters]));
      expect(byUnit).toEqual((await replayCounters(events, registry, head.position)).counters());
      expect(byUnit['i:1141020001']).toMatchObject({ children: 1, counted: 1 });
      expect(byUnit['i:1141010001']).toMatchObject({ children: 1, counted: 1, 'left:2026-12:transfer-out': 1 });
      expect(now!.find((u) => u.id === 'i:1141020001')!.parent).toBe('d:410202');
    } finally {
      await runner.stop();
    }
  });

  it('is position-guarded: a batch partly written (MongoDB has no transaction) and replayed, whole or in other batches, counts nothing twice', async () => {
    const december = (n: number) => ({ ...metadata(n), eventId: `k${n}`, occurredAt: `2026-12-1${n}T02:00:00.000Z` });
    const classId = '9c1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
    const r3 = '8c2f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
    const before = await events.headPosition();
    await events.append(`class-${classId}`, [{ type: 'ClassCreated', data: { classId, institutionCode: '1141010001', divisionCode: '410102', name: '大一班', grade: '大班', schoolYear: '2026-2027', teachers: [], createdAt: 'x' }, metadata: december(1) }], 'no_stream');
    await events.append(`record-${r3}`, [
      { type: 'RecordSaved', data: { recordId: r3, institutionCode: '1141010001', divisionCode: '410102', child: { ...child, gender: '2' }, overAgeConfirmed: false, importRef: null, savedAt: 'x' }, metadata: december(2) },
      { type: 'RecordSubmitted', data: { recordId: r3, dedupeKey: 'nid:3', submittedAt: 'x' }, metadata: december(2) },
      { type: 'RecordPassedDeduplication', data: { recordId: r3, passedAt: 'x' }, metadata: december(2) },
      { type: 'RecordApproved', data: { recordId: r3, approvedAt: 'x' }, metadata: december(2) },
      { type: 'ChildPlaced', data: { recordId: r3, institutionCode: '1141010001', classId, fromClassId: null, placedAt: 'x' }, metadata: december(3) },
      { type: 'RecordEdited', data: { recordId: r3, child: { ...child, gender: '2', ethnicity: '02' }, overAgeConfirmed: false, editedAt: 'x' }, metadata: december(3) },
    ], 'no_stream');
    await events.append(`record-${r1}`, [{ type: 'ChildPlaced', data: { recordId: r1, institutionCode: '1141010001', classId, fromClassId: null, placedAt: 'x' }, metadata: december(4) }], 'any');
    const head = await events.headPosition();
    const expected = (await replayCounters(events, registry, head)).counters();
    const tail = (await events.readAll({ after: before, maxCount: 100 })).map((e) => registry.upcast(e));
    // the writes of the tail as one batch, on a store that holds the log up to `before`
    let partial = 0;
    for (;;) {
      const store = new SqliteReadStore(join(dir, `partial-${partial}.sqlite`));
      try {
        const runner = runnerOn(store);
        await runner.prepare();
        await runner.processBatch(await events.readAll({ after: 0, maxCount: before }));
        const load = async (collection: string, ids: readonly string[]) => store.getStates(physicalCollection(countersProjection, collection), [...ids]);
        const writes = (await countersProjection.applyBatch!(tail, load)).map((w) => ({ ...w, collection: physicalCollection(countersProjection, w.collection) }));
        expect(writes[0]!.collection).toBe(COUNTERS.units); // the counters first, the facts after them
        // a crash after `partial` of the batch's writes: the checkpoint stays where it was
        await store.applyBatch('crashed', writes.slice(0, partial), 0);
        expect(await store.getCheckpoint(COUNTERS.checkpoint)).toBe(before);
        // the restart replays from the checkpoint: the whole tail at once, or one event at a time
        if (partial % 2 === 0) await runner.processBatch(await events.readAll({ after: before, maxCount: 100 }));
        else for (const event of await events.readAll({ after: before, maxCount: 100 })) await runner.processBatch([event]);
        const byUnit = Object.fromEntries((await units(store)).map((u: Doc & UnitDoc) => [u.id, u.counters]));
        expect({ partial, byUnit }).toEqual({ partial, byUnit: expected });
        if (partial === writes.length) break;
        partial++;
      } finally {
        await store.close();
      }
    }
    expect(partial).toBeGreaterThan(5);
    expect(expected['i:1141010001']).toMatchObject({ 'grade:大班': 2, 'g:2': 1, 'eth:02': 1, 'classes:2026:大班': 1 });
  });

  it('is rebuilt by the rebuild CLI’s runner: dropped, replayed from the log, the same counters as the log replayed', async () => {
    const store = new SqliteReadStore(join(dir, 'rebuilt.sqlite'));
    try {
      const runner = runnerOn(store);
      const { position } = await runner.rebuild();
      expect(position).toBe(await events.headPosition());
      const byUnit = Object.fromEntries((await units(store)).map((u) => [u.id, u.counters]));
      expect(byUnit).toEqual((await replayCounters(events, registry, position)).counters());
      expect(await store.getCheckpoint(COUNTERS.checkpoint)).toBe(position);
    } finally {
      await store.close();
    }
  });
});
