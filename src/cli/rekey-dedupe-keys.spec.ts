import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { residentId } from '../../test/fixtures/children.js';
import { DivisionService, InstitutionDirectory } from '../organisation/contracts/index.js';
import { DuplicateCases } from '../records/application/cases/duplicate-cases.js';
import { Deduplication } from '../records/application/deduplication/deduplication.js';
import { dedupeKeyHash } from '../records/application/deduplication/key-hash.js';
import { dedupeKeyDecider, dedupeKeyStream, legacyKeyHash } from '../records/domain/dedupe-key.decider.js';
import { duplicateCaseDecider, duplicateCaseStream } from '../records/domain/duplicate-case.decider.js';
import { DUPLICATE_CASE_EVENTS } from '../records/domain/duplicate-case.events.js';
import { recordDecider, recordStream } from '../records/domain/record.decider.js';
import { EXAMPLE_CHILD, RECORD_EVENTS } from '../records/domain/record.events.js';
import { type CommandContext, CommandPath } from '../shared/command/command-path.js';
import { SqliteEventStore } from '../shared/event-store/sqlite.event-store.js';
import { EventRegistry } from '../shared/events/event-registry.js';
import type { KeyedHasher } from '../shared/personal-data/keyed-hash.js';
import { testHasher } from '../shared/testing/test-hasher.js';
import { systemClock } from '../shared/time/clock.js';
import { rekeyDedupeKeys } from './rekey-dedupe-keys.js';

const registry = new EventRegistry().register([...RECORD_EVENTS, ...DUPLICATE_CASE_EVENTS]);
const context: CommandContext = { actor: { accountId: 'test', role: 'system', organisationId: 'test' }, correlationId: 'rekey', causationId: null };
const at = () => new Date().toISOString();
/** the service before ADR 22: key streams named by the unkeyed SHA-256 */
const legacy = { hash: (_purpose: string, value: string) => legacyKeyHash(value) } as KeyedHasher;

function service(store: SqliteEventStore, hasher: KeyedHasher) {
  const commands = new CommandPath(store, registry);
  const cases = new DuplicateCases(commands, new InstitutionDirectory(commands, new DivisionService(commands)), systemClock, hasher);
  const dedupe = new Deduplication(commands, cases, systemClock, hasher);
  const enter = async (idNumber: string, institutionCode: string) => {
    const recordId = randomUUID();
    const child = { ...EXAMPLE_CHILD, idNumber, gender: '2' };
    await commands.start({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'SaveRecord', recordId, institutionCode, divisionCode: '410102', child, confirmOverAge: true, importRef: null, at: at() }, context });
    const submitted = await commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'SubmitRecord', at: at() }, context });
    return { recordId, outcome: await dedupe.check(recordId, context, null, submitted.state) };
  };
  const record = async (id: string) => (await commands.load(recordStream(id), recordDecider)).state;
  const key = async (hash: string) => (await commands.load(dedupeKeyStream(hash), dedupeKeyDecider)).state;
  return { commands, cases, dedupe, enter, record, key };
}

describe('re-keying de-duplication keys (unkeyed SHA-256 -> keyed hash, ADR 22)', () => {
  it('moves every key, open cases and their problem records with it; a second run writes nothing; de-duplication goes on on the new streams', async () => {
    const store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'rekey-')), 'events.sqlite'));
    const before = service(store, legacy);
    const [twice, once] = [residentId('2022-03-15', 640), residentId('2022-03-15', 652)];
    const a = await before.enter(twice, '1141010001');
    const b = await before.enter(twice, '1141010002');
    const c = await before.enter(once, '1141010001');
    expect([a.outcome, b.outcome, c.outcome]).toEqual(['dedupe-passed', 'problem', 'dedupe-passed']); // a was alone when it was entered
    const caseId = (await before.record(a.recordId)).caseId!;

    const hasher = testHasher();
    const report = await rekeyDedupeKeys(store, registry, hasher);
    expect(report).toEqual({ keys: 2, claimed: 3, released: 3, casesRekeyed: 1 });

    const after = service(store, hasher);
    const [newTwice, newOnce] = [dedupeKeyHash(hasher, `id:${twice}`), dedupeKeyHash(hasher, `id:${once}`)];
    // the new streams hold the same records in the same order, the open case keeps its id
    expect(await after.key(newTwice)).toEqual({ claimants: [{ recordId: a.recordId, institutionCode: '1141010001' }, { recordId: b.recordId, institutionCode: '1141010002' }], caseId });
    expect((await after.key(newOnce)).claimants.map((h) => h.recordId)).toEqual([c.recordId]);
    // the old streams are given up
    expect((await after.key(legacyKeyHash(`id:${twice}`))).claimants).toEqual([]);
    expect((await after.key(legacyKeyHash(`id:${once}`))).claimants).toEqual([]);
    const theCase = (await after.commands.load(duplicateCaseStream(caseId), duplicateCaseDecider)).state;
    expect(theCase).toMatchObject({ status: 'open', keyHash: newTwice });
    expect(await after.record(a.recordId)).toMatchObject({ status: 'problem', caseId, caseKeyHash: newTwice });

    // repeated (a run stopped half-way is completed so): nothing more
    expect(await rekeyDedupeKeys(store, registry, hasher)).toEqual({ keys: 2, claimed: 0, released: 0, casesRekeyed: 0 });

    // de-duplication after the move: the same child again is found; a problem record deleted gives the new stream up
    const d = await after.enter(once, '1141010002');
    expect(d.outcome).toBe('problem');
    const deleted = await after.commands.run({ streamId: recordStream(b.recordId), decider: recordDecider, command: { type: 'DeleteRecord', reason: '重复录入', at: at() }, context });
    await after.cases.followRecord(deleted, context);
    expect((await after.key(newTwice)).claimants.map((h) => h.recordId)).toEqual([a.recordId]);
    expect(await after.record(a.recordId)).toMatchObject({ status: 'dedupe-passed', caseId: null });
  });
});
