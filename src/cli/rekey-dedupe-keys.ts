import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { dedupeKeyHash } from '../records/application/deduplication/key-hash.js';
import { dedupeKeyDecider, dedupeKeyStream, legacyKeyHash } from '../records/domain/dedupe-key.decider.js';
import { duplicateCaseDecider, duplicateCaseStream } from '../records/domain/duplicate-case.decider.js';
import { type RecordState, recordDecider, recordStream } from '../records/domain/record.decider.js';
import { type CommandContext, CommandPath } from '../shared/command/command-path.js';
import type { EventStore } from '../shared/event-store/event-store.port.js';
import type { EventDefinition } from '../shared/events/event-definition.js';
import { EventRegistry, defaultSchemaDir } from '../shared/events/event-registry.js';
import { SERVICE_LOCK_FILE, liveServiceLock } from '../shared/infrastructure/service-lock.js';
import { openEventStore } from '../shared/infrastructure/store-factory.js';
import type { KeyedHasher } from '../shared/personal-data/keyed-hash.js';
import { openKeyedHasher } from '../shared/personal-data/hash-secret.js';
import { type Clock, isoNow, systemClock } from '../shared/time/clock.js';

export interface RekeyReport {
  /** distinct keys held by records */
  keys: number;
  /** claims written on keyed-hash streams (0 on a repeated run) */
  claimed: number;
  /** records released from unkeyed streams */
  released: number;
  /** open duplicate cases moved to their key's new stream */
  casesRekeyed: number;
}

export class RekeyRefused extends Error {
  override readonly name = 'RekeyRefused';
}

const HOLDING = new Set(['submitted', 'dedupe-passed', 'numbered', 'problem']);
const CONTEXT: CommandContext = { actor: { accountId: 'system', role: 'system', organisationId: 'dedupe-rekey' }, correlationId: `dedupe-rekey-${randomUUID()}`, causationId: null };

/**
 * Moves every de-duplication key from the stream of its unkeyed SHA-256 (before ADR 22) to the
 * stream of its keyed hash, by events: each holding record claims the new stream (oldest holder
 * first, an open case keeping its id), the case and its problem records follow the key
 * (DuplicateCaseRekeyed, RecordFlaggedAsDuplicate with the new hash), and the old stream gives
 * every holder up (DedupeKeyReleased). Every step is an idempotent command, so a run stopped
 * half-way is completed by running it again, and a second run writes nothing.
 */
export async function rekeyDedupeKeys(store: EventStore, registry: EventRegistry, hasher: KeyedHasher, clock: Clock = systemClock): Promise<RekeyReport> {
  const commands = new CommandPath(store, registry, clock);
  const report: RekeyReport = { keys: 0, claimed: 0, released: 0, casesRekeyed: 0 };
  const at = () => isoNow(clock);
  const byKey = new Map<string, RecordState[]>();
  for (const recordId of await recordsWithKeys(store)) {
    const { state } = await commands.load(recordStream(recordId), recordDecider);
    if (!state.dedupeKey || !HOLDING.has(state.status)) continue;
    byKey.set(state.dedupeKey, [...(byKey.get(state.dedupeKey) ?? []), state]);
  }
  for (const [key, holders] of byKey) {
    report.keys++;
    const oldHash = legacyKeyHash(key);
    const newHash = dedupeKeyHash(hasher, key);
    const old = (await commands.load(dedupeKeyStream(oldHash), dedupeKeyDecider)).state;
    // the old stream's order decides who was first (arbitration proposes the first entry)
    const order = new Map(old.claimants.map((c, i) => [c.recordId, i]));
    holders.sort((x, y) => (order.get(x.recordId) ?? Infinity) - (order.get(y.recordId) ?? Infinity));
    const caseId = old.caseId ?? holders.find((h) => h.caseId)?.caseId ?? randomUUID();
    for (const holder of holders) {
      const claim = await commands.run({
        streamId: dedupeKeyStream(newHash), decider: dedupeKeyDecider,
        command: { type: 'ClaimKey', keyHash: newHash, recordId: holder.recordId, institutionCode: holder.institutionCode, newCaseId: caseId, at: at() }, context: CONTEXT,
      });
      if (claim.events.length > 0) report.claimed++;
    }
    const cases = new Set(holders.map((h) => h.caseId).filter((c): c is string => c !== null));
    for (const id of cases) {
      const rekeyed = await commands.run({ streamId: duplicateCaseStream(id), decider: duplicateCaseDecider, command: { type: 'RekeyCase', keyHash: newHash, at: at() }, context: CONTEXT });
      if (rekeyed.events.length > 0) report.casesRekeyed++;
    }
    for (const holder of holders.filter((h) => h.status === 'problem' && h.caseId)) {
      await commands.run({ streamId: recordStream(holder.recordId), decider: recordDecider, command: { type: 'FlagAsDuplicate', caseId: holder.caseId!, keyHash: newHash, dedupeKey: key, at: at() }, context: CONTEXT });
    }
    for (const claimant of old.claimants) {
      const released = await commands.run({ streamId: dedupeKeyStream(oldHash), decider: dedupeKeyDecider, command: { type: 'ReleaseKey', keyHash: oldHash, recordId: claimant.recordId, at: at() }, context: CONTEXT });
      if (released.events.length > 0) report.released++;
    }
  }
  return report;
}

/** The records that were ever submitted (only they hold a key), from the log. */
async function recordsWithKeys(store: EventStore): Promise<string[]> {
  const ids = new Set<string>();
  const types = ['RecordSubmitted', 'KeyInformationChanged'];
  for (let after = 0; ; ) {
    const batch = await store.readAll({ after, maxCount: 2000, types });
    if (batch.length === 0) return [...ids];
    for (const event of batch) if (types.includes(event.type)) ids.add(String(event.data['recordId']));
    after = batch[batch.length - 1]!.position;
  }
}

/** The command's offline run on the configured stores: refused while a service runs on the embedded folder. */
export async function rekeyConfigured(config: AppConfig, events: readonly EventDefinition[]): Promise<RekeyReport> {
  if (!config.eventStoreUrl) {
    if (!existsSync(join(config.dataDir, 'events.sqlite'))) throw new RekeyRefused(`DATA_DIR=${config.dataDir} holds no event store (events.sqlite): nothing to re-key.`);
    const lock = liveServiceLock(config.dataDir);
    if (lock) throw new RekeyRefused(`a service is running on DATA_DIR=${config.dataDir} (process ${lock.pid} on ${lock.host}, ${join(config.dataDir, SERVICE_LOCK_FILE)}): stop it first.`);
  }
  const registry = new EventRegistry([defaultSchemaDir()]).register(events);
  const store = await openEventStore(config);
  try {
    return await rekeyDedupeKeys(store, registry, openKeyedHasher(config));
  } finally {
    await store.close();
  }
}
