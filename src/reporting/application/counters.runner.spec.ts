import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ALL_EVENT_DEFINITIONS } from '../../event-catalog.js';
import { SqliteEventStore } from '../../shared/event-store/sqlite.event-store.js';
import { EventRegistry, defaultSchemaDir } from '../../shared/events/event-registry.js';
import { SqliteReadStore } from '../../shared/read-store/sqlite.read-store.js';
import { CountersRunner } from './counters.runner.js';
import { cutoffPosition, replayCounters } from './replay.js';

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

afterAll(async () => {
  await events.close();
  await reads.close();
});

describe('CountersRunner (the live summary counters)', () => {
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
    const runner = new CountersRunner(events, reads, registry, quiet);
    await runner.ensureCollections();
    const held = runner.countersAt(cutoff, 10_000);
    runner.start();
    const units = await held;
    expect(units).not.toBeNull();
    const at = Object.fromEntries(units!.map((u) => [u.id, u.counters]));
    expect(at['i:1141010001']).toMatchObject({ children: 1, counted: 1, 'st:numbered': 1 });
    expect(at).toEqual((await replayCounters(events, registry, cutoff)).counters());

    expect(await runner.waitFor(9, 10_000)).toBe(true);
    // past the position now: a snapshot for it must be recomputed from the log
    expect(await runner.countersAt(cutoff)).toBeNull();
    const now = await runner.countersAt(9);
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
    const runner = new CountersRunner(events, reads, registry, quiet);
    runner.start();
    // stopped whatever happens: a failed expectation must not leave the runner's loop holding jest open
    try {
      expect(await runner.waitFor(10, 10_000)).toBe(true);
      const head = await events.append(`record-${r2}`, [{ type: 'RecordTransferred', data: { recordId: r2, transferId: 't1', fromInstitutionCode: '1141010001', fromDivisionCode: '410102', toInstitutionCode: '1141020001', toDivisionCode: '410202', status: 'numbered', transferredAt: '2026-12-02T02:00:00.000Z' }, metadata: december(2) }], 'any');
      expect(await runner.waitFor(head.position, 10_000)).toBe(true);
      const now = await runner.countersAt(head.position);
      const byUnit = Object.fromEntries(now!.map((u) => [u.id, u.counters]));
      expect(byUnit).toEqual((await replayCounters(events, registry, head.position)).counters());
      expect(byUnit['i:1141020001']).toMatchObject({ children: 1, counted: 1 });
      expect(byUnit['i:1141010001']).toMatchObject({ children: 1, counted: 1, 'left:2026-12:transfer-out': 1 });
      expect(now!.find((u) => u.id === 'i:1141020001')!.parent).toBe('d:410202');
    } finally {
      await runner.stop();
    }
  });
});
