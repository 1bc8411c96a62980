import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InstitutionDirectory } from '../../../organisation/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { WritePlan } from '../../../shared/command/write-plan.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import type { NewEvent } from '../../../shared/event-store/event-store.port.js';
import { KEYED_HASHER, type KeyedHasher } from '../../../shared/personal-data/keyed-hash.js';
import { dedupeKeyHash } from '../deduplication/key-hash.js';
import { dedupeKeyDecider, dedupeKeyStream } from '../../domain/dedupe-key.decider.js';
import { type CaseEntry, type DuplicateCaseCommand, type DuplicateCaseState, type ResolvedHow, type WithdrawnHow, duplicateCaseDecider, duplicateCaseStream } from '../../domain/duplicate-case.decider.js';
import { type LeftCaseHow, type RecordState, recordDecider, recordStream } from '../../domain/record.decider.js';

const VOID_REASON: Record<ResolvedHow, string> = {
  'single-pass': '重复学籍处理：同一幼儿的另一条记录佐证审核通过，本记录未通过，学籍失效',
  arbitration: '重复学籍仲裁：仲裁确定同一幼儿的另一条记录有效，本记录学籍失效',
  'last-remaining': '重复学籍处理：本记录学籍失效',
};

/** a bound on chasing a key from case to case while others resolve them (each step is idempotent) */
const MAX_ROUNDS = 4;

/**
 * Carries a duplicate case's decisions to the streams it does not own: the problem records and the
 * key. Runs in the request that caused a change (so the caller sees the outcome at once) and again
 * from the durable log in the process managers; every step is an idempotent command, so the second
 * run changes nothing.
 */
@Injectable()
export class DuplicateCases {
  constructor(
    private readonly commands: CommandPath,
    private readonly directory: InstitutionDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KEYED_HASHER) private readonly hasher: KeyedHasher,
  ) {}

  /**
   * The key has more than one holder and `caseId` is its case: flag every holder and open or join
   * the case with those now in it. A case resolved meanwhile is closed on the key first (which
   * gives the key a new case when newcomers hold it). Returns the case the holders ended in.
   */
  async gather(hash: string, caseId: string, context: CommandContext): Promise<string | null> {
    let next: string | null = caseId;
    for (let round = 0; round < MAX_ROUNDS && next; round++) {
      const current: string = next;
      const existing = await this.commands.load(duplicateCaseStream(current), duplicateCaseDecider);
      if (existing.state.status === 'resolved') {
        next = await this.closeOnKey(hash, current, existing.state.resolution!.voidRecordIds, context);
        continue;
      }
      const key = await this.commands.load(dedupeKeyStream(hash), dedupeKeyDecider);
      if (key.state.caseId !== current) {
        next = key.state.caseId;
        continue;
      }
      const entries: CaseEntry[] = [];
      for (const holder of key.state.claimants) {
        // the record decides on its own key; it is read here because only this side holds the secret
        const { state: held } = await this.commands.load(recordStream(holder.recordId), recordDecider);
        const dedupeKey = held.dedupeKey && dedupeKeyHash(this.hasher, held.dedupeKey) === hash ? held.dedupeKey : null;
        if (!dedupeKey) continue;
        const flagged = await this.commands.run({
          streamId: recordStream(holder.recordId), decider: recordDecider, command: { type: 'FlagAsDuplicate', caseId: current, keyHash: hash, dedupeKey, at: this.now() }, context,
        });
        if (flagged.state.status === 'problem' && flagged.state.caseId === current) entries.push(await this.entryOf(flagged.state, flagged.revision));
      }
      const joined = await this.commands.run({
        streamId: duplicateCaseStream(current), decider: duplicateCaseDecider, command: { type: 'OpenOrJoin', caseId: current, keyHash: hash, entries, at: this.now() }, context,
      });
      await this.carryOut(joined, context);
      // resolved by someone else between our read and our join: close it on the key and go again
      if (joined.state.status !== 'resolved' || joined.events.length > 0) return current;
    }
    return next;
  }

  /** After a record command: if the problem record left its case with it, the key and the case follow at once. */
  async followRecord(outcome: CommandOutcome<RecordState>, context: CommandContext): Promise<void> {
    const left = leftEvent(outcome.events);
    // the If-Match pin was for the record's stream, not the key's or the case's
    const { expectedRevision: _pinned, ...unpinned } = context;
    if (left) await this.leave(leftData(left), outcome.revision, { ...unpinned, causationId: left.metadata.eventId });
  }

  /** A problem record left its case on its own (deleted, corrected, force-deleted): the key first, then the case. */
  async leave(left: { recordId: string; caseId: string; keyHash: string; how: LeftCaseHow }, recordRevision: number, context: CommandContext): Promise<void> {
    // released first: a case resolving on this withdrawal must not find the record still holding the key
    await this.release(left.keyHash, left.recordId, context);
    // a force deletion was decided by the case itself
    if (left.how === 'force-deleted') return;
    const withdrawn = await this.commands.run({
      streamId: duplicateCaseStream(left.caseId), decider: duplicateCaseDecider,
      command: { type: 'WithdrawEntry', recordId: left.recordId, how: left.how as WithdrawnHow, recordRevision, at: this.now() }, context,
    });
    await this.carryOut(withdrawn, context);
    // the de-duplication reactor follows the same record event and may have withdrawn the entry
    // first: then this decided nothing, but the request must not answer before what the case
    // decided is carried out (each step is idempotent, and serialised per stream with the reactor's)
    const { resolution } = withdrawn.state;
    if (withdrawn.events.length === 0 && withdrawn.state.status === 'resolved' && resolution) {
      await this.resolved({ caseId: left.caseId, keyHash: withdrawn.state.keyHash, validRecordId: resolution.validRecordId, voidRecordIds: resolution.voidRecordIds, how: resolution.how }, context);
    }
  }

  /** What a case command decided that other streams must follow: forced deletions and the resolution. */
  async carryOut(outcome: CommandOutcome<DuplicateCaseState>, context: CommandContext): Promise<void> {
    for (const event of outcome.events) {
      const caused = { ...context, causationId: event.metadata.eventId };
      if (event.type === 'DuplicateEntryForceDeleted') await this.forceDeleted(event.data as { caseId: string; recordId: string }, event.metadata.reason ?? '', caused);
      if (event.type === 'DuplicateCaseResolved') await this.resolved(event.data as ResolvedData, caused);
    }
  }

  /**
   * On a store with multi-stream transactions (ADR 0030): a case command and what it decides for
   * the records and the key in one write: a forced deletion deletes the record and releases its
   * key; a resolution voids the losers, returns the winner and closes the case on the key. A
   * concurrent change to the case, a record or the key makes the whole command be decided again
   * on fresh states (If-Match on the case: 412). Newcomers the key still holds after the
   * resolution are gathered into their new case afterwards, as a submission's duplicate is.
   */
  async decideInOneWrite(caseId: string, command: DuplicateCaseCommand, authorise: (state: DuplicateCaseState) => void, context: CommandContext): Promise<CommandOutcome<DuplicateCaseState>> {
    const { expectedRevision: _pinned, ...unpinned } = context;
    let gatherNext: { hash: string; caseId: string; context: CommandContext } | null = null;
    const outcome = await this.commands.runAll(async () => {
      gatherNext = null;
      const plan = new WritePlan(this.commands);
      const decided = await plan.decide({ streamId: duplicateCaseStream(caseId), decider: duplicateCaseDecider, command, context, authorise });
      for (const event of decided.events) {
        // the records' and the key's events name the case event that decided them, as the reactor's would
        const caused = { ...unpinned, causationId: event.metadata.eventId };
        if (event.type === 'DuplicateEntryForceDeleted') await this.planForceDeleted(plan, event.data as { caseId: string; recordId: string }, event.metadata.reason ?? '', caused);
        if (event.type === 'DuplicateCaseResolved') {
          const next = await this.planResolved(plan, event.data as ResolvedData, caused);
          gatherNext = next ? { ...next, context: caused } : null;
        }
      }
      return { prepared: plan.prepared, result: (outcomes) => outcomes.find((o) => o.streamId === duplicateCaseStream(caseId)) as CommandOutcome<DuplicateCaseState> };
    });
    const next = gatherNext as { hash: string; caseId: string; context: CommandContext } | null;
    if (next) await this.gather(next.hash, next.caseId, next.context);
    return outcome;
  }

  private async planForceDeleted(plan: WritePlan, { caseId, recordId }: { caseId: string; recordId: string }, reason: string, context: CommandContext): Promise<void> {
    const deleted = await plan.decide({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'ForceDeleteRecord', caseId, reason, at: this.now() }, context });
    const left = leftEvent(deleted.events);
    if (!left) return;
    const hash = leftData(left).keyHash;
    await plan.decide({ streamId: dedupeKeyStream(hash), decider: dedupeKeyDecider, command: { type: 'ReleaseKey', keyHash: hash, recordId, at: this.now() }, context });
  }

  /** The resolution's effects decided into `plan`; returns the key's new case when newcomers still share it. */
  private async planResolved(plan: WritePlan, { caseId, keyHash: hash, validRecordId, voidRecordIds, how }: ResolvedData, context: CommandContext): Promise<{ hash: string; caseId: string } | null> {
    for (const recordId of voidRecordIds) {
      await plan.decide({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'VoidRecord', caseId, reason: VOID_REASON[how], at: this.now() }, context });
    }
    if (validRecordId) {
      await plan.decide({ streamId: recordStream(validRecordId), decider: recordDecider, command: { type: 'KeepAfterDuplicateCase', caseId, at: this.now() }, context });
    }
    const closed = await plan.decide({
      streamId: dedupeKeyStream(hash), decider: dedupeKeyDecider, command: { type: 'CloseCase', keyHash: hash, caseId, voidRecordIds, newCaseId: randomUUID(), at: this.now() }, context,
    });
    const next = closed.state.caseId;
    return next && next !== caseId ? { hash, caseId: next } : null;
  }

  /** The county force-deleted an entry: the record is deleted and gives its key up. */
  async forceDeleted({ caseId, recordId }: { caseId: string; recordId: string }, reason: string, context: CommandContext): Promise<void> {
    const deleted = await this.commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'ForceDeleteRecord', caseId, reason, at: this.now() }, context });
    const left = leftEvent(deleted.events);
    if (left) await this.release(leftData(left).keyHash, recordId, context);
  }

  /** The case is settled: the losers are void, the winner returns where it was, the key is closed for the case. */
  async resolved(data: ResolvedData, context: CommandContext): Promise<void> {
    const { caseId, keyHash: hash, validRecordId, voidRecordIds, how } = data;
    for (const recordId of voidRecordIds) {
      await this.commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'VoidRecord', caseId, reason: VOID_REASON[how], at: this.now() }, context });
    }
    if (validRecordId) {
      await this.commands.run({ streamId: recordStream(validRecordId), decider: recordDecider, command: { type: 'KeepAfterDuplicateCase', caseId, at: this.now() }, context });
    }
    const next = await this.closeOnKey(hash, caseId, voidRecordIds, context);
    if (next) await this.gather(hash, next, context);
  }

  /** Releases a key a record held (nothing when it did not). */
  async release(hash: string, recordId: string, context: CommandContext): Promise<void> {
    await this.commands.run({ streamId: dedupeKeyStream(hash), decider: dedupeKeyDecider, command: { type: 'ReleaseKey', keyHash: hash, recordId, at: this.now() }, context });
  }

  /** Closes a resolved case on its key; returns the key's new case when newcomers still share it. */
  private async closeOnKey(hash: string, caseId: string, voidRecordIds: string[], context: CommandContext): Promise<string | null> {
    const closed = await this.commands.run({
      streamId: dedupeKeyStream(hash), decider: dedupeKeyDecider, command: { type: 'CloseCase', keyHash: hash, caseId, voidRecordIds, newCaseId: randomUUID(), at: this.now() }, context,
    });
    const next = closed.state.caseId;
    return next && next !== caseId ? next : null;
  }

  /** each step's instant: these flows run several commands, each decided when it runs */
  private now(): string {
    return isoNow(this.clock);
  }

  private async entryOf(record: RecordState, revision: number): Promise<CaseEntry> {
    const superiors = await this.directory.superiors(record.divisionCode);
    return {
      recordId: record.recordId,
      institutionCode: record.institutionCode,
      divisionCode: record.divisionCode,
      prefectureCode: superiors.prefecture,
      provinceCode: superiors.province,
      name: record.child?.name ?? '',
      enteredAt: record.savedAt ?? this.now(),
      recordRevision: revision,
    };
  }
}

type ResolvedData = { caseId: string; keyHash: string; validRecordId: string | null; voidRecordIds: string[]; how: ResolvedHow };

/** The RecordLeftDuplicateCase among a record command's events, if it left a case. */
export function leftEvent(events: readonly NewEvent[]): NewEvent | undefined {
  return events.find((e) => e.type === 'RecordLeftDuplicateCase');
}

export function leftData(event: Pick<NewEvent, 'data'>): { recordId: string; caseId: string; keyHash: string; how: LeftCaseHow } {
  const d = event.data;
  return { recordId: String(d['recordId']), caseId: String(d['caseId']), keyHash: String(d['keyHash']), how: d['how'] as LeftCaseHow };
}
