import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { CommandPath } from '../../shared/command/command-path.js';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { SqliteEventStore } from '../../shared/event-store/sqlite.event-store.js';
import type { PersonalDataReadEntry } from '../../shared/personal-data/read-audit.js';
import { SettableClock } from '../../shared/time/clock.js';
import { AUDIT_EVENTS } from '../domain/audit.events.js';
import { ReadLog } from './read-log.js';

const subject = (n: number) => ({ recordId: `6a1f0c1e-7b2d-4c3e-9f10-${String(n).padStart(12, '0')}`, institutionCode: '1141010001', divisionCode: '410102' });
const entry = (accountId: string, n: number): PersonalDataReadEntry => ({
  reader: { accountId, role: 'business', organisationId: '1141010001' },
  route: 'GET /api/v1/classes/:id', clientAddress: '203.0.113.7', correlationId: `req-${n}`, subjects: [subject(n), subject(n + 1000)],
});
const ACCOUNT = '5b1b0e4e-2f59-4f3c-8d0c-0c7e0d8e9a11';
const OTHER = '7d2e1f3a-0000-4000-8000-000000000003';

describe('ReadLog: the grouped, durable read-audit writer', () => {
  let store: SqliteEventStore;
  let commands: CommandPath;
  let log: ReadLog;
  beforeEach(() => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'read-log-')), 'events.sqlite'));
    commands = new CommandPath(store, new EventRegistry().register(AUDIT_EVENTS));
    // 16:30 UTC is the next Beijing day
    log = new ReadLog(commands, new SettableClock('2026-09-05T16:30:00.000Z'));
  });
  afterEach(() => store.close());

  const reads = async () => (await store.readAll({ after: 0, maxCount: 10_000 })).filter((e) => e.type === 'PersonalDataRead');

  it('answers only once the read is stored; concurrent reads share one write, one append per stream', async () => {
    const appendMany = jest.spyOn(store, 'appendMany');
    const append = jest.spyOn(store, 'append');
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.record(entry(i % 5 === 0 ? OTHER : ACCOUNT, i))));
    // the first entry starts a write at once; the 49 that queued meanwhile are the next one
    expect(appendMany.mock.calls.length).toBeLessThanOrEqual(2);
    expect(append).not.toHaveBeenCalled();
    for (const [appends] of appendMany.mock.calls) {
      expect(new Set(appends.map((a) => a.streamId)).size).toBe(appends.length);
      for (const a of appends) expect(a.expected).toBe('any');
    }
    const stored = await reads();
    expect(stored).toHaveLength(50);
    expect(new Set(stored.map((e) => e.streamId))).toEqual(new Set([`personal-data-reads-${ACCOUNT}-20260906`, `personal-data-reads-${OTHER}-20260906`]));
    expect(new Set(stored.map((e) => e.metadata.correlationId)).size).toBe(50);
    expect(stored[0]!.data).toMatchObject({ route: 'GET /api/v1/classes/:id', clientAddress: '203.0.113.7', readAt: '2026-09-05T16:30:00.000Z', subjects: [subject(0), subject(1000)] });
    expect(stored[0]!.metadata).toMatchObject({ actor: { accountId: OTHER, role: 'business', organisationId: '1141010001' }, clientAddress: '203.0.113.7', schemaVersion: 1 });
  });

  it('an answer that showed nobody writes nothing', async () => {
    await log.record({ ...entry(ACCOUNT, 1), subjects: [] });
    expect(await reads()).toEqual([]);
  });

  it('a read that could not be stored fails its answer, and every answer of its group', async () => {
    await store.close();
    const results = await Promise.allSettled([log.record(entry(ACCOUNT, 1)), log.record(entry(ACCOUNT, 2)), log.record(entry(OTHER, 3))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });

  it('shutdown waits for reads still queued behind the write in flight', async () => {
    const recorded = Array.from({ length: 20 }, (_, i) => log.record(entry(ACCOUNT, i)));
    await commands.drain();
    expect(await reads()).toHaveLength(20);
    await Promise.all(recorded);
  });
});
