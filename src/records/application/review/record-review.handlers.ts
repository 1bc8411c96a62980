import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath, type PreparedAppend, checkPinned } from '../../../shared/command/command-path.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { DomainError } from '../../../shared/domain/domain-error.js';
import type { KeyInformation } from '../../domain/child.js';
import { jSequenceDecider } from '../../domain/j-sequence.decider.js';
import { type RecordState, recordDecider, recordStream } from '../../domain/record.decider.js';
import { gRecordNumber, jSequenceStream } from '../../domain/record-number.js';
import { Deduplication, type DedupeOutcome } from '../deduplication/deduplication.js';
import { DuplicateCases } from '../cases/duplicate-cases.js';
import { requireInstitutionRole, requireOwnRecord } from '../record-access.js';

type RecordOutcome = CommandOutcome<RecordState>;

export class ReviewRecord extends Command<RecordOutcome> {
  constructor(
    readonly principal: Principal,
    readonly recordId: string,
    readonly decision: { approve: true } | { approve: false; reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * The institution's review account approves a record that passed province de-duplication (its
 * number is issued at once) or rejects it with a reason (it gives its de-duplication key up).
 */
@CommandHandler(ReviewRecord)
export class ReviewRecordHandler implements ICommandHandler<ReviewRecord> {
  constructor(private readonly commands: CommandPath, private readonly dedupe: Deduplication, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, recordId, decision, context }: ReviewRecord): Promise<RecordOutcome> {
    requireInstitutionRole(principal, ['review'], '学籍审核');
    const at = isoNow(this.clock);
    if (decision.approve && this.commands.atomicMultiStream) return this.approveInOneWrite(principal, recordId, context, at);
    const stream = recordStream(recordId);
    const { state } = await this.commands.load(stream, recordDecider);
    requireOwnRecord(principal, state);
    if (!decision.approve) {
      const outcome = await this.commands.run({ streamId: stream, decider: recordDecider, command: { type: 'RejectRecord', reason: decision.reason, at }, context });
      if (state.dedupeKey && outcome.events.length > 0) await this.dedupe.release(recordId, state.dedupeKey, Deduplication.contextFor(outcome.events[0]!.metadata));
      return outcome;
    }
    // refuse before a J number is reserved for a record that cannot be approved now
    if (state.status !== 'dedupe-passed') recordDecider.decide({ type: 'ApproveRecord', recordNumber: '', at }, state);
    const recordNumber = state.recordNumber ?? (await this.numberFor(state, context, at));
    return this.commands.run({ streamId: stream, decider: recordDecider, command: { type: 'ApproveRecord', recordNumber, at }, context });
  }

  /**
   * The approval decided on one load of the record and, for a child numbered from its county's J
   * sequence, the number's reservation with it, in one durable write (ADR 0028), each stream
   * against the revision it was decided on: a concurrent reservation in the sequence (or a write on
   * the record) fails both and both are decided again, so a number is never issued twice nor
   * reserved for a record left unapproved. (Stream by stream, without multi-stream transactions:
   * the reservation first, then the approval, as `numberFor` and `execute` do.)
   */
  private approveInOneWrite(principal: Principal, recordId: string, context: CommandContext, at: string): Promise<RecordOutcome> {
    const stream = recordStream(recordId);
    const { expectedRevision: pinned, ...unpinned } = context;
    return this.commands.runAll(async () => {
      const loaded = await this.commands.load(stream, recordDecider);
      requireOwnRecord(principal, loaded.state);
      // If-Match pins the record's revision (checked again on every attempt: a conflict is then a 412)
      checkPinned(pinned, loaded.revision);
      // refuse before a J number is reserved for a record that cannot be approved now
      if (loaded.state.status !== 'dedupe-passed') recordDecider.decide({ type: 'ApproveRecord', recordNumber: '', at }, loaded.state);
      const steps: Array<PreparedAppend<unknown> & { decider: object }> = [];
      let recordNumber = loaded.state.recordNumber ?? gNumberOf(loaded.state);
      if (!recordNumber) {
        const child = loaded.state.child!;
        const areaCode = loaded.state.divisionCode.slice(0, 6);
        const sequence = jSequenceStream(areaCode, child.birthDate);
        const reserved = this.commands.prepareOn(
          { streamId: sequence, decider: jSequenceDecider, command: { type: 'ReserveJNumber', areaCode, birthDate: child.birthDate, recordId, at }, context: unpinned },
          await this.commands.load(sequence, jSequenceDecider),
        );
        recordNumber = reserved.state.byRecord[recordId]!;
        steps.push({ ...reserved, decider: jSequenceDecider });
      }
      steps.push({ ...this.commands.prepareOn({ streamId: stream, decider: recordDecider, command: { type: 'ApproveRecord', recordNumber, at }, context }, loaded), decider: recordDecider });
      return { prepared: steps, result: (outcomes) => outcomes[outcomes.length - 1] as RecordOutcome };
    });
  }

  /** G + resident ID number; a child without one gets the next J number of its county and birth date. */
  private async numberFor(state: RecordState, context: CommandContext, at: string): Promise<string> {
    const child = state.child!;
    if (child.idType === '1' && child.idNumber) return gRecordNumber(child.idNumber);
    const areaCode = state.divisionCode.slice(0, 6);
    const { expectedRevision: _pinned, ...unpinned } = context;
    const reserved = await this.commands.run({
      streamId: jSequenceStream(areaCode, child.birthDate),
      decider: jSequenceDecider,
      command: { type: 'ReserveJNumber', areaCode, birthDate: child.birthDate, recordId: state.recordId, at },
      context: unpinned,
    });
    return reserved.state.byRecord[state.recordId]!;
  }
}

/** G + the resident ID number; null for a child without one (numbered from its county's J sequence). */
function gNumberOf(state: RecordState): string | null {
  const child = state.child!;
  return child.idType === '1' && child.idNumber ? gRecordNumber(child.idNumber) : null;
}

export interface KeyChangeOutcome extends RecordOutcome {
  deduplication: DedupeOutcome;
}

export class ChangeKeyInformation extends Command<KeyChangeOutcome> {
  constructor(
    readonly principal: Principal,
    readonly recordId: string,
    readonly key: KeyInformation,
    readonly confirmOverAge: boolean,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * 关键信息变更: the review account corrects name, gender, birth date or ID of an approved record;
 * the record goes through de-duplication (under its new key) and review again, keeping its number.
 */
@CommandHandler(ChangeKeyInformation)
export class ChangeKeyInformationHandler implements ICommandHandler<ChangeKeyInformation> {
  constructor(
    private readonly commands: CommandPath,
    private readonly dedupe: Deduplication,
    private readonly cases: DuplicateCases,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, recordId, key, confirmOverAge, reason, context }: ChangeKeyInformation): Promise<KeyChangeOutcome> {
    requireInstitutionRole(principal, ['review'], '关键信息变更');
    const stream = recordStream(recordId);
    const outcome = await this.commands.run({
      streamId: stream, decider: recordDecider, command: { type: 'ChangeKeyInformation', key, confirmOverAge, reason, at: isoNow(this.clock) }, context,
      authorise: (state) => requireOwnRecord(principal, state),
    });
    if (outcome.events.length === 0) throw new DomainError('rule', 'key-information-unchanged', '关键信息没有变化，无需变更');
    // a problem record corrected this way leaves its case first
    await this.cases.followRecord(outcome, context);
    const changed = outcome.events.find((e) => e.type === 'KeyInformationChanged')!;
    const deduplication = await this.dedupe.check(recordId, Deduplication.contextFor(changed.metadata), changed.data['before'] as KeyInformation, outcome.state);
    const { state: after, revision, position } = await this.commands.load(stream, recordDecider);
    return { ...outcome, state: after, revision, position, deduplication };
  }
}

export const RECORD_REVIEW_HANDLERS = [ReviewRecordHandler, ChangeKeyInformationHandler];
