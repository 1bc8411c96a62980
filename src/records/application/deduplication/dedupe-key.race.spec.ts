import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CommandPath } from '../../../shared/command/command-path.js';
import { SqliteEventStore } from '../../../shared/event-store/sqlite.event-store.js';
import { EventRegistry } from '../../../shared/events/event-registry.js';
import { testHasher } from '../../../shared/testing/test-hasher.js';
import { dedupeKeyDecider, dedupeKeyStream } from '../../domain/dedupe-key.decider.js';
import { dedupeKeyHash } from './key-hash.js';
import { RECORD_EVENTS } from '../../domain/record.events.js';

const registry = new EventRegistry().register(RECORD_EVENTS);
const at = '2026-09-05T02:00:00.000Z';
const hash = dedupeKeyHash(testHasher(), 'id:410102202203150018');
const claim = (recordId: string, institutionCode: string, newCaseId: string) => ({ type: 'ClaimKey' as const, keyHash: hash, recordId, institutionCode, newCaseId, at });

describe('de-duplication key on the real command path', () => {
  it('under concurrency, of many records claiming one key at once none passes alone (stream revision decides)', async () => {
    const store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'dedupe-')), 'events.sqlite'));
    // several command paths stand for several service instances racing on one store
    const paths = [0, 1, 2].map(() => new CommandPath(store, registry));
    const ids = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const outcomes = await Promise.all(
      ids.map((id, i) => paths[i % 3]!.run({ streamId: dedupeKeyStream(hash), decider: dedupeKeyDecider, command: claim(id, '1141010001', `11111111-1111-4111-8111-${String(i).padStart(12, '0')}`), context: { actor: { accountId: 'x', role: 'system', organisationId: 'x' }, correlationId: 'c', causationId: null } })),
    );
    const unique = outcomes.filter((o) => o.events.length === 1);
    expect(unique).toHaveLength(1); // exactly the first one in the log
    const cases = new Set(outcomes.flatMap((o) => o.events.filter((e) => e.type === 'DuplicateDetected').map((e) => e.data['caseId'])));
    expect(cases.size).toBe(1);
    const final = await paths[0]!.load(dedupeKeyStream(hash), dedupeKeyDecider);
    expect(final.state.claimants).toHaveLength(12);
    await store.close();
  });
});
