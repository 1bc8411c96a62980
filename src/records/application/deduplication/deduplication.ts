import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type CommandContext, CommandPath } from '../../../shared/command/command-path.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import type { RecordedEvent } from '../../../shared/event-store/event-store.port.js';
import { type KeyInformation, dedupeKey } from '../../domain/child.js';
import { KEYED_HASHER, type KeyedHasher } from '../../../shared/personal-data/keyed-hash.js';
import { dedupeKeyDecider, dedupeKeyStream } from '../../domain/dedupe-key.decider.js';
import { type RecordState, recordDecider, recordStream } from '../../domain/record.decider.js';
import { DuplicateCases } from '../cases/duplicate-cases.js';
import { dedupeKeyHash } from './key-hash.js';

export type DedupeOutcome = 'dedupe-passed' | 'problem' | 'moved-on';

const PROVINCE_DEDUPE = { accountId: 'system', role: 'system', organisationId: 'province-deduplication' };

/**
 * Province de-duplication (domain.md section 5, architecture rule 4). A submitted record claims
 * its key on the key's own stream; the claim is decided on the stream's current state, so of
 * two concurrent claims the second sees the first. Sole holder -> dedupe-passed; more than one ->
 * every holder becomes a problem record of the key's case.
 *
 * It runs twice for every submission: in the request (so the registrar sees the outcome at once)
 * and in the reactor from the durable log (so a crash in between loses nothing). Every step is
 * an idempotent command, so the second run changes nothing.
 */
@Injectable()
export class Deduplication {
  constructor(
    private readonly commands: CommandPath,
    private readonly cases: DuplicateCases,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KEYED_HASHER) private readonly hasher: KeyedHasher,
  ) {}

  static contextFor(cause: Pick<RecordedEvent, 'metadata'> | { eventId: string; correlationId: string }): CommandContext {
    const metadata = 'metadata' in cause ? cause.metadata : cause;
    return { actor: PROVINCE_DEDUPE, correlationId: metadata.correlationId, causationId: metadata.eventId };
  }

  /** Claims the record's current key (after releasing a key it held before) and records the outcome. */
  async check(recordId: string, context: CommandContext, keyBefore: KeyInformation | null = null, known?: RecordState): Promise<DedupeOutcome> {
    // the request passes the state its command just produced; the reactor reads it
    const state = known ?? (await this.commands.load(recordStream(recordId), recordDecider)).state;
    if (state.status !== 'submitted' && state.status !== 'dedupe-passed' && state.status !== 'problem' && state.status !== 'numbered') return 'moved-on';
    const key = state.dedupeKey!;
    const previousKey = keyBefore && dedupeKey(keyBefore, state.institutionCode);
    if (previousKey && previousKey !== key) await this.release(recordId, previousKey, context);
    const hash = dedupeKeyHash(this.hasher, key);
    const at = isoNow(this.clock);
    const claim = await this.commands.run({
      streamId: dedupeKeyStream(hash),
      decider: dedupeKeyDecider,
      command: { type: 'ClaimKey', keyHash: hash, recordId, institutionCode: state.institutionCode, newCaseId: randomUUID(), at },
      context,
    });
    const { claimants, caseId } = claim.state;
    if (!claimants.some((c) => c.recordId === recordId)) return 'moved-on';
    if (claimants.length === 1) {
      const passed = await this.commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'PassDeduplication', dedupeKey: key, at }, context });
      return outcomeOf(passed.state, key);
    }
    // every holder becomes a problem record of the key's case, which opens (or takes the newcomer)
    await this.cases.gather(hash, caseId!, context);
    return outcomeOf((await this.commands.load(recordStream(recordId), recordDecider)).state, key);
  }

  /**
   * Submission and its key claim in one durable write (ADR 0028): the record's RecordSubmitted,
   * the key stream's claim and, for the key's sole holder, the record's DeduplicationPassed are
   * decided on the states just loaded and appended together, each stream against its own
   * revision; a concurrent claim on the key (or write on the record) fails the whole write, which
   * is decided again, so the key stays race-free. A duplicate is gathered into its case after the
   * write, as `check` does. Without multi-stream transactions (KurrentDB): the submission, then
   * `check`, with the reactor as the safety net.
   */
  async submit(recordId: string, at: string, context: CommandContext, authorise: (state: RecordState) => void): Promise<DedupeOutcome> {
    const stream = recordStream(recordId);
    const submit = { type: 'SubmitRecord' as const, at };
    if (!this.commands.atomicMultiStream) {
      const submitted = await this.commands.run({ streamId: stream, decider: recordDecider, command: submit, context, authorise });
      return this.check(recordId, Deduplication.contextFor(submitted.events[0]!.metadata), null, submitted.state);
    }
    let gatherOn: { hash: string; caseId: string; context: CommandContext } | null = null;
    const outcome = await this.commands.runAll(async () => {
      gatherOn = null;
      const loaded = await this.commands.load(stream, recordDecider);
      authorise(loaded.state);
      const submitted = this.commands.prepareOn({ streamId: stream, decider: recordDecider, command: submit, context }, loaded);
      const key = submitted.state.dedupeKey!;
      const dedupeContext = Deduplication.contextFor(submitted.events[0]!.metadata);
      const hash = dedupeKeyHash(this.hasher, key);
      const keyStream = dedupeKeyStream(hash);
      const claim = this.commands.prepareOn(
        { streamId: keyStream, decider: dedupeKeyDecider, command: { type: 'ClaimKey', keyHash: hash, recordId, institutionCode: submitted.state.institutionCode, newCaseId: randomUUID(), at }, context: dedupeContext },
        await this.commands.load(keyStream, dedupeKeyDecider),
      );
      const { claimants, caseId } = claim.state;
      const record = { ...submitted, decider: recordDecider };
      const sole = claimants.length === 1 && claimants[0]!.recordId === recordId;
      if (sole) {
        const passed = this.commands.prepareOn({ streamId: stream, decider: recordDecider, command: { type: 'PassDeduplication', dedupeKey: key, at }, context: dedupeContext }, { state: submitted.state, revision: loaded.revision });
        record.events = [...submitted.events, ...passed.events];
        record.state = passed.state;
      } else if (claimants.some((c) => c.recordId === recordId)) gatherOn = { hash, caseId: caseId!, context: dedupeContext };
      return {
        prepared: [record, { ...claim, decider: dedupeKeyDecider }],
        result: ([written]): DedupeOutcome => (sole ? outcomeOf(written!.state as RecordState, key) : 'moved-on'),
      };
    });
    const duplicate = gatherOn as { hash: string; caseId: string; context: CommandContext } | null;
    if (!duplicate) return outcome;
    // every holder becomes a problem record of the key's case, which opens (or takes the newcomer)
    await this.cases.gather(duplicate.hash, duplicate.caseId, duplicate.context);
    const { state } = await this.commands.load(stream, recordDecider);
    return outcomeOf(state, state.dedupeKey!);
  }

  /**
   * A record moved to another kindergarten (ADR 24): a child without an ID number keys on its
   * kindergarten, so it releases the key it held there and claims the receiving one's (which may
   * make it a problem record there, like any duplicate entry). An ID-number key stays as it is.
   */
  async afterMove(recordId: string, fromInstitutionCode: string, context: CommandContext): Promise<void> {
    const { state } = await this.commands.load(recordStream(recordId), recordDecider);
    if (!state.child || !state.dedupeKey?.startsWith('nid:')) return;
    const previousKey = dedupeKey(state.child, fromInstitutionCode);
    if (previousKey === state.dedupeKey) return;
    await this.release(recordId, previousKey, context);
    await this.check(recordId, context, null, state);
  }

  /** A rejected or deleted record gives its key up; releasing a key not held changes nothing. */
  release(recordId: string, key: string, context: CommandContext): Promise<void> {
    return this.cases.release(dedupeKeyHash(this.hasher, key), recordId, context);
  }
}

function outcomeOf(state: RecordState, key: string): DedupeOutcome {
  if (state.dedupeKey !== key) return 'moved-on';
  return state.status === 'problem' ? 'problem' : state.status === 'dedupe-passed' ? 'dedupe-passed' : 'moved-on';
}
