import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandPath } from '../src/shared/command/command-path.js';
import type { NewEvent } from '../src/shared/event-store/event-store.port.js';
import { SqliteEventStore } from '../src/shared/event-store/sqlite.event-store.js';
import { EventRegistry } from '../src/shared/events/event-registry.js';
import { systemClock } from '../src/shared/time/clock.js';
import { Deduplication } from '../src/records/application/deduplication/deduplication.js';
import { DuplicateCases } from '../src/records/application/cases/duplicate-cases.js';
import { DivisionService } from '../src/organisation/application/division.service.js';
import { InstitutionDirectory } from '../src/organisation/application/institution-directory.service.js';
import { DUPLICATE_CASE_EVENTS } from '../src/records/domain/duplicate-case.events.js';
import { dedupeKeyDecider, dedupeKeyStream } from '../src/records/domain/dedupe-key.decider.js';
import { dedupeKeyHash } from '../src/records/application/deduplication/key-hash.js';
import { testHasher } from '../src/shared/testing/test-hasher.js';
import { EXAMPLE_CHILD, RECORD_EVENTS } from '../src/records/domain/record.events.js';
import { recordDecider, recordStream } from '../src/records/domain/record.decider.js';
import { benchIdNumber, fromIdNumber } from './children.js';
import { type Metric, metric } from './report.js';

const context = { actor: { accountId: 'bench', role: 'business', organisationId: '1141010001' }, correlationId: 'bench', causationId: null };
const at = '2026-09-05T02:00:00.000Z';

function claimEvent(n: number): { stream: string; event: NewEvent } {
  const hash = dedupeKeyHash(testHasher(), `id:${benchIdNumber(n)}`);
  return {
    stream: dedupeKeyStream(hash),
    event: {
      type: 'DedupeKeyClaimed',
      data: { keyHash: hash, recordId: randomUUID(), institutionCode: '1141010001', claimedAt: at },
      metadata: { eventId: randomUUID(), actor: context.actor, correlationId: 'seed', causationId: null, occurredAt: at, schemaVersion: 1 },
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * Province de-duplication check latency with N records already holding their keys: each sample
 * is a submitted record whose check claims its key (a stream lookup among N key streams), then
 * passes the record, or (every other sample) meets an earlier entry and flags both. Measured one
 * at a time, each with its durable appends.
 */
export async function benchDeduplication(options: { records: number; samples: number }): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dedupe-'));
  const file = join(dir, 'events.sqlite');
  try {
    const store = new SqliteEventStore(file);
    const started = process.hrtime.bigint();
    let next = 0;
    const writer = async () => {
      while (next < options.records) {
        const { stream, event } = claimEvent(next++);
        await store.append(stream, [event], 'no_stream');
      }
    };
    await Promise.all(Array.from({ length: 256 }, writer));
    const seedSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const commands = new CommandPath(store, new EventRegistry().register([...RECORD_EVENTS, ...DUPLICATE_CASE_EVENTS]));
    const dedupe = new Deduplication(commands, new DuplicateCases(commands, new InstitutionDirectory(commands, new DivisionService(commands)), systemClock, testHasher()), systemClock, testHasher());
    const saveSubmitted = async (id: string, institutionCode: string) => {
      const recordId = randomUUID();
      const child = { ...EXAMPLE_CHILD, idNumber: id, ...fromIdNumber(id) };
      await commands.start({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'SaveRecord', recordId, institutionCode, divisionCode: '410102', child, confirmOverAge: true, importRef: null, at }, context });
      await commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'SubmitRecord', at }, context });
      return recordId;
    };

    // the check itself: is this ID number held anywhere in the province? (key stream lookup + decision)
    const lookups: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      const n = i % 2 === 0 ? Math.floor(Math.random() * options.records) : options.records + options.samples + i;
      const hash = dedupeKeyHash(testHasher(), `id:${benchIdNumber(n)}`);
      const t = process.hrtime.bigint();
      const { state } = await commands.load(dedupeKeyStream(hash), dedupeKeyDecider);
      const decided = dedupeKeyDecider.decide({ type: 'ClaimKey', keyHash: hash, recordId: randomUUID(), institutionCode: '1141010001', newCaseId: randomUUID(), at }, state);
      lookups.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (decided.length !== (i % 2 === 0 ? 2 : 1)) throw new Error('unexpected decision');
    }
    lookups.sort((a, b) => a - b);

    const unique: number[] = [];
    const duplicate: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      const id = benchIdNumber(options.records + i);
      const isPair = i % 2 === 1;
      // a pair: an earlier entry in another kindergarten already holds the key
      if (isPair) await dedupe.check(await saveSubmitted(id, '1141010004'), context);
      const recordId = await saveSubmitted(id, '1141010001');
      const t = process.hrtime.bigint();
      const outcome = await dedupe.check(recordId, context);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (outcome !== (isPair ? 'problem' : 'dedupe-passed')) throw new Error(`unexpected outcome ${outcome}`);
      (isPair ? duplicate : unique).push(ms);
    }
    unique.sort((a, b) => a - b);
    duplicate.sort((a, b) => a - b);
    const sizeGb = statSync(file).size / 1024 ** 3;
    await store.close();
    const label = `${(options.records / 1e6).toFixed(1)} M keys`;
    return {
      rows: [
        metric(`de-duplication seed: key claims written (${label})`, options.records / seedSeconds, 'claims/s'),
        metric(`de-duplication check (key lookup + decision), p50 (${label})`, percentile(lookups, 0.5), 'ms'),
        metric(`de-duplication check (key lookup + decision), p99 (${label})`, percentile(lookups, 0.99), 'ms', { atMost: 2 }),
        metric(`submission outcome, unique (claim + pass, 2 durable appends), p50`, percentile(unique, 0.5), 'ms'),
        metric(`submission outcome, unique (claim + pass, 2 durable appends), p99`, percentile(unique, 0.99), 'ms'),
        metric(`submission outcome, duplicate (claim + flag both, 3 appends), p99`, percentile(duplicate, 0.99), 'ms'),
      ],
      notes: { deduplication: { records: options.records, samples: options.samples, eventLogGb: Math.round(sizeGb * 100) / 100 } },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
