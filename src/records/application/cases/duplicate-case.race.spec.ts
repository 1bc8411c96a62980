import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { residentId } from '../../../../test/fixtures/children.js';
import { DivisionService, InstitutionDirectory } from '../../../organisation/contracts/index.js';
import { type CommandContext, CommandPath } from '../../../shared/command/command-path.js';
import { SqliteEventStore } from '../../../shared/event-store/sqlite.event-store.js';
import { EventRegistry } from '../../../shared/events/event-registry.js';
import { systemClock } from '../../../shared/time/clock.js';
import { testHasher } from '../../../shared/testing/test-hasher.js';
import { dedupeKeyDecider, dedupeKeyStream } from '../../domain/dedupe-key.decider.js';
import { dedupeKeyHash } from '../deduplication/key-hash.js';
import { duplicateCaseDecider, duplicateCaseStream } from '../../domain/duplicate-case.decider.js';
import { DUPLICATE_CASE_EVENTS } from '../../domain/duplicate-case.events.js';
import { recordDecider, recordStream } from '../../domain/record.decider.js';
import { EXAMPLE_CHILD, RECORD_EVENTS } from '../../domain/record.events.js';
import { Deduplication } from '../deduplication/deduplication.js';
import { DuplicateCases } from './duplicate-cases.js';

const registry = new EventRegistry().register([...RECORD_EVENTS, ...DUPLICATE_CASE_EVENTS]);
const context: CommandContext = { actor: { accountId: 'test', role: 'system', organisationId: 'test' }, correlationId: 'race', causationId: null };
const at = () => new Date().toISOString();
const file = { sha256: 'c'.repeat(64), size: 10, contentType: 'application/pdf', fileName: '证明.pdf' };

/** One service instance: its own command path (its own per-stream queues) on the shared store. */
function instance(store: SqliteEventStore) {
  const commands = new CommandPath(store, registry);
  const cases = new DuplicateCases(commands, new InstitutionDirectory(commands, new DivisionService(commands)), systemClock, testHasher());
  return { commands, cases, dedupe: new Deduplication(commands, cases, systemClock, testHasher()) };
}

describe('duplicate case closing while a newcomer claims the key (real command path, two instances)', () => {
  // 'one write': the case command and its records and key in one runAll (ADR 0030); 'stream by stream': KurrentDB's sequence
  it.each(['one write', 'stream by stream'] as const)('%s: ends with the newcomer and the valid entry in one open case, the loser void and off the key, exactly one valid entry per case', async (how) => {
    const store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'case-race-')), 'events.sqlite'));
    const [one, two] = [instance(store), instance(store)];
    const outcomes = { joinedOldCase: 0, newCase: 0 };
    for (let round = 0; round < 25; round++) {
      const idNumber = residentId('2022-03-15', 500 + round);
      const child = { ...EXAMPLE_CHILD, idNumber, gender: round % 2 === 0 ? '2' : '1' };
      const enter = async (path: ReturnType<typeof instance>, institutionCode: string, divisionCode: string) => {
        const recordId = randomUUID();
        await path.commands.start({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'SaveRecord', recordId, institutionCode, divisionCode, child, confirmOverAge: true, importRef: null, at: at() }, context });
        const submitted = await path.commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'SubmitRecord', at: at() }, context });
        return { recordId, check: () => path.dedupe.check(recordId, context, null, submitted.state) };
      };
      const a = await enter(one, '1141010001', '410102');
      await a.check();
      const b = await enter(one, '1141010004', '410103');
      expect(await b.check()).toBe('problem');
      const caseId = (await one.commands.load(recordStream(a.recordId), recordDecider)).state.caseId!;
      const onCase = (path: ReturnType<typeof instance>, command: Parameters<typeof duplicateCaseDecider.decide>[0]): Promise<unknown> =>
        how === 'one write'
          ? path.cases.decideInOneWrite(caseId, command, () => undefined, context)
          : path.commands.run({ streamId: duplicateCaseStream(caseId), decider: duplicateCaseDecider, command, context }).then((o) => path.cases.carryOut(o, context));
      for (const [entry, institutionCode] of [[a, '1141010001'], [b, '1141010004']] as const) {
        await onCase(one, { type: 'FileEvidence', recordId: entry.recordId, institutionCode, files: [file], reason: '在园证明', at: at() });
      }
      await onCase(one, { type: 'ReviewEvidence', recordId: a.recordId, passed: true, reason: '', office: { level: 'county', divisionCode: '410102' }, at: at() });

      // the county fails B (the case resolves: A valid, B void) while a third kindergarten submits the child
      const c = await enter(two, '1141020001', '410202');
      const failB = () => onCase(one, { type: 'ReviewEvidence', recordId: b.recordId, passed: false, reason: '材料不足', office: { level: 'county', divisionCode: '410103' }, at: at() });
      const jitter = () => new Promise((r) => setTimeout(r, Math.random() * 3));
      // each order once in three rounds, and the two at once (with jitter) in the third
      if (round % 3 === 0) await c.check().then(failB);
      else if (round % 3 === 1) await failB().then(c.check);
      else await Promise.all([jitter().then(failB), jitter().then(c.check)]);
      // the process managers run every step again from the log (here: once more, on the other instance)
      const hash = dedupeKeyHash(testHasher(), `id:${idNumber}`);
      const key = await two.commands.load(dedupeKeyStream(hash), dedupeKeyDecider);
      if (key.state.caseId) await two.cases.gather(hash, key.state.caseId, context);
      const old = await two.commands.load(duplicateCaseStream(caseId), duplicateCaseDecider);
      if (old.state.resolution) await two.cases.resolved({ caseId, keyHash: hash, ...old.state.resolution }, context);

      const record = async (id: string) => (await one.commands.load(recordStream(id), recordDecider)).state;
      const [ra, rb, rc] = [await record(a.recordId), await record(b.recordId), await record(c.recordId)];
      const finalKey = (await one.commands.load(dedupeKeyStream(hash), dedupeKeyDecider)).state;
      // the newcomer is a problem record of the key's open case, with the entry that stayed valid
      expect(rc.status).toBe('problem');
      expect(finalKey.caseId).toBe(rc.caseId);
      expect(finalKey.claimants.map((h) => h.recordId).sort()).toEqual(rb.status === 'void' ? [a.recordId, c.recordId].sort() : [a.recordId, b.recordId, c.recordId].sort());
      const open = (await one.commands.load(duplicateCaseStream(rc.caseId!), duplicateCaseDecider)).state;
      expect(open.status).toBe('open');
      if (rc.caseId === caseId) {
        // C joined before the failure could resolve: the case waits for C; nobody is void yet
        outcomes.joinedOldCase++;
        expect(rb.status).toBe('problem');
        expect(open.entries.map((e) => e.status)).toEqual(['evidence-passed', 'evidence-failed', 'unhandled']);
      } else {
        // the case resolved first: B void, A moved with C into a new case and still returns to where it was
        outcomes.newCase++;
        expect(rb.status).toBe('void');
        expect(old.state.entries.filter((e) => e.status === 'valid').map((e) => e.entry.recordId)).toEqual([a.recordId]);
        expect(ra).toMatchObject({ status: 'problem', caseId: rc.caseId });
        expect(open.entries.map((e) => e.entry.recordId).sort()).toEqual([a.recordId, c.recordId].sort());
      }
      for (const state of [old.state, open]) expect(state.entries.filter((e) => e.status === 'valid').length).toBeLessThanOrEqual(1);
    }
    // both orders happened; whichever won a race, the invariants held
    expect(outcomes.joinedOldCase).toBeGreaterThanOrEqual(9);
    expect(outcomes.newCase).toBeGreaterThanOrEqual(8);
    expect(outcomes.joinedOldCase + outcomes.newCase).toBe(25);
    await store.close();
    // 25 rounds of durable appends: about 4 s on a busy machine, past jest's default 5 s under load
  }, 30_000);

  it('one write: a resolution stores the case, the void and kept records and the key in one store call', async () => {
    const store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'case-one-')), 'events.sqlite'));
    const one = instance(store);
    const child = { ...EXAMPLE_CHILD, idNumber: residentId('2022-03-15', 700), gender: '2' };
    const enter = async (institutionCode: string, divisionCode: string) => {
      const recordId = randomUUID();
      await one.commands.start({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'SaveRecord', recordId, institutionCode, divisionCode, child, confirmOverAge: true, importRef: null, at: at() }, context });
      const submitted = await one.commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'SubmitRecord', at: at() }, context });
      await one.dedupe.check(recordId, context, null, submitted.state);
      return recordId;
    };
    const [a, b] = [await enter('1141010001', '410102'), await enter('1141010004', '410103')];
    const caseId = (await one.commands.load(recordStream(a), recordDecider)).state.caseId!;
    for (const [recordId, institutionCode] of [[a, '1141010001'], [b, '1141010004']] as const) {
      await one.cases.decideInOneWrite(caseId, { type: 'FileEvidence', recordId, institutionCode, files: [file], reason: '在园证明', at: at() }, () => undefined, context);
    }
    await one.cases.decideInOneWrite(caseId, { type: 'ReviewEvidence', recordId: a, passed: true, reason: '', office: { level: 'county', divisionCode: '410102' }, at: at() }, () => undefined, context);
    const writes: string[][] = [];
    const [append, appendMany] = [store.append.bind(store), store.appendMany.bind(store)];
    store.append = (streamId, events, expected) => (writes.push([streamId]), append(streamId, events, expected));
    store.appendMany = (appends) => (writes.push(appends.map((x) => x.streamId)), appendMany(appends));
    const resolved = await one.cases.decideInOneWrite(caseId, { type: 'ReviewEvidence', recordId: b, passed: false, reason: '材料不足', office: { level: 'county', divisionCode: '410103' }, at: at() }, () => undefined, context);
    const hash = dedupeKeyHash(testHasher(), `id:${child.idNumber}`);
    expect(writes).toEqual([[duplicateCaseStream(caseId), recordStream(b), recordStream(a), dedupeKeyStream(hash)]]);
    expect(resolved.state.status).toBe('resolved');
    const [ra, rb] = [(await one.commands.load(recordStream(a), recordDecider)).state, (await one.commands.load(recordStream(b), recordDecider)).state];
    expect([ra.status, rb.status]).toEqual(['dedupe-passed', 'void']);
    expect((await one.commands.load(dedupeKeyStream(hash), dedupeKeyDecider)).state).toMatchObject({ claimants: [{ recordId: a }], caseId: null });
    // the records' events name the case's resolution as their cause
    const resolution = (await store.readStream(duplicateCaseStream(caseId))).find((e) => e.type === 'DuplicateCaseResolved')!;
    expect((await store.readStream(recordStream(b))).at(-1)?.metadata.causationId).toBe(resolution.metadata.eventId);
    await store.close();
  }, 30_000);
});
