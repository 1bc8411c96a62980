import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { ClassPlaces } from '../../enrolment/contracts/index.js';
import { InstitutionDirectory } from '../../organisation/contracts/index.js';
import { RecordRegister } from '../../records/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath, checkPinned } from '../../shared/command/command-path.js';
import { notFound, rule } from '../../shared/domain/domain-error.js';
import { WrongExpectedRevisionError } from '../../shared/event-store/event-store.port.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { type ReservationState, reservationDecider, reservationStream } from '../domain/transfer-reservation.decider.js';
import { transferFlowFor } from '../domain/transfer-rules.js';
import { type TransferCommand, type TransferState, transferDecider, transferStream } from '../domain/transfer.decider.js';
import { requireReceiving, requireRegistrar, requireSending } from './transfer-access.js';
import { TransferSteps } from './transfer-steps.js';

export const TRANSFER_RECORD_NOT_FOUND = '本省没有该学籍号的幼儿：请核对家长提供的学籍号（外省幼儿须先由原省份办理转出）';
/** a reservation whose transfer stream was never written is free after this long (ADR 24) */
const ABANDONED_AFTER_MS = 60_000;
const MAX_ATTEMPTS = 8;

/** 转入申请: the receiving kindergarten's business account applies for the child holding the record number. */
export class ApplyForTransfer extends Command<CommandOutcome<TransferState>> {
  constructor(readonly principal: Principal, readonly recordNumber: string, readonly context: CommandContext) {
    super();
  }
}

/**
 * The application claims the child's reservation and starts the transfer stream in one append
 * (one transaction on SQLite): two applications at once cannot both be open, and a refused one
 * leaves nothing behind. The record notes the application for its history. No due date is
 * counted here: applying in December must not need next year's holiday arrangement (ADR 24).
 */
@CommandHandler(ApplyForTransfer)
export class ApplyForTransferHandler implements ICommandHandler<ApplyForTransfer> {
  constructor(
    private readonly commands: CommandPath,
    private readonly register: RecordRegister,
    private readonly directory: InstitutionDirectory,
    private readonly steps: TransferSteps,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, recordNumber, context }: ApplyForTransfer): Promise<CommandOutcome<TransferState>> {
    const to = requireRegistrar(principal, '转入申请');
    const record = await this.register.byNumber(recordNumber);
    if (!record) throw notFound('transfer-record-not-found', TRANSFER_RECORD_NOT_FOUND);
    const flow = transferFlowFor({ status: record.status, institutionCode: record.institutionCode, leaveType: record.leave?.leaveType ?? null }, to);
    const receiving = await this.directory.institution(to);
    if (!receiving || receiving.revoked) throw rule('institution-revoked', '本园已在机构代码库中撤销，不能办理转入');
    const at = isoNow(this.clock);
    const transferId = randomUUID();
    const command: TransferCommand = {
      type: 'ApplyForTransfer', transferId, recordId: record.recordId, flow,
      fromInstitutionCode: record.institutionCode, fromDivisionCode: record.divisionCode, toInstitutionCode: to, toDivisionCode: receiving.divisionCode, at,
    };
    if (this.commands.atomicMultiStream) return this.applyInOneWrite(record.recordId, command, context);
    const outcome = await this.reserveAndStart(record.recordId, command, context);
    await this.steps.note(outcome.state, 'applied', null, context);
    return outcome;
  }

  /** The claim, the new transfer and the record's note in one write (ADR 24); a claim lost to another application is decided again and refused. */
  private applyInOneWrite(recordId: string, command: Extract<TransferCommand, { type: 'ApplyForTransfer' }>, context: CommandContext): Promise<CommandOutcome<TransferState>> {
    return this.commands.runAll(async () => {
      const [reserve, start] = await this.decideApplication(recordId, command, context);
      const note = await this.steps.prepareNote(start.state, 'applied', null, context);
      return { prepared: [reserve, start, note], result: (outcomes) => lastPosition(outcomes[1] as CommandOutcome<TransferState>, outcomes) };
    });
  }

  /** Without multi-stream transactions (KurrentDB): the claim first, then the transfer (ADR 24: an abandoned claim is free after a minute). */
  private async reserveAndStart(recordId: string, command: Extract<TransferCommand, { type: 'ApplyForTransfer' }>, context: CommandContext): Promise<CommandOutcome<TransferState>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [, started] = await this.commands.commitAll(await this.decideApplication(recordId, command, context));
        return started as CommandOutcome<TransferState>;
      } catch (error) {
        // another application claimed the child meanwhile: decided again, it is refused naming that one
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async decideApplication(recordId: string, command: Extract<TransferCommand, { type: 'ApplyForTransfer' }>, context: CommandContext) {
    const held = await this.commands.load(reservationStream(recordId), reservationDecider);
    const holderAbandoned = await this.abandoned(held.state, command.at);
    const reserve = this.commands.prepareOn({
      streamId: reservationStream(recordId), decider: reservationDecider, context,
      command: { type: 'ReserveForTransfer', recordId, transferId: command.transferId, toInstitutionCode: command.toInstitutionCode, holderAbandoned, at: command.at },
    }, held);
    const start = this.commands.prepareStart({ streamId: transferStream(command.transferId), decider: transferDecider, command, context });
    return [{ ...reserve, decider: reservationDecider }, { ...start, expectedRevision: -1, decider: transferDecider }] as const;
  }

  private async abandoned(state: ReservationState, at: string): Promise<boolean> {
    if (!state.holder || Date.parse(at) - Date.parse(state.holder.reservedAt) < ABANDONED_AFTER_MS) return false;
    return (await this.commands.load(transferStream(state.holder.transferId), transferDecider)).revision === -1;
  }
}

export type TransferDecision = { type: 'agree' } | { type: 'refuse'; reason: string } | { type: 'withdraw'; reason: string };

/** The sending kindergarten agrees or refuses (with a reason); the applicant withdraws. */
export class DecideTransfer extends Command<CommandOutcome<TransferState>> {
  constructor(readonly principal: Principal, readonly transferId: string, readonly decision: TransferDecision, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(DecideTransfer)
export class DecideTransferHandler implements ICommandHandler<DecideTransfer> {
  constructor(private readonly commands: CommandPath, private readonly steps: TransferSteps, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, transferId, decision, context }: DecideTransfer): Promise<CommandOutcome<TransferState>> {
    const me = requireRegistrar(principal, decision.type === 'withdraw' ? '撤回调转申请' : '审批调转申请');
    const at = isoNow(this.clock);
    const command: TransferCommand = decision.type === 'agree' ? { type: 'AgreeToTransfer', at } : decision.type === 'refuse' ? { type: 'RefuseTransfer', reason: decision.reason, at } : { type: 'WithdrawTransfer', reason: decision.reason, at };
    const authorise = decision.type === 'withdraw' ? requireReceiving(me) : requireSending(me);
    const step = decision.type === 'agree' ? 'agreed' : decision.type === 'refuse' ? 'refused' : 'withdrawn';
    if (this.commands.atomicMultiStream) return this.decideInOneWrite(transferId, command, step, authorise, context);
    const outcome = await this.commands.run({ streamId: transferStream(transferId), decider: transferDecider, command, context, authorise });
    if (outcome.events.length === 0) return outcome;
    const reason = (outcome.events[0]!.metadata.reason as string | undefined) ?? null;
    // the transfers reactor does the same from the log, should this process stop here
    if (step !== 'agreed') await this.steps.release(outcome.state.recordId, transferId, context);
    await this.steps.note(outcome.state, step, reason, context);
    return outcome;
  }

  /** The step, the record's note and (refused, withdrawn) the reservation's release in one write (ADR 24). If-Match is checked on every attempt (412). */
  private decideInOneWrite(transferId: string, command: TransferCommand, step: 'agreed' | 'refused' | 'withdrawn', authorise: (state: TransferState) => void, context: CommandContext): Promise<CommandOutcome<TransferState>> {
    const streamId = transferStream(transferId);
    return this.commands.runAll(async () => {
      const loaded = await this.commands.load(streamId, transferDecider);
      authorise(loaded.state);
      checkPinned(context.expectedRevision, loaded.revision);
      const decided = { ...this.commands.prepareOn({ streamId, decider: transferDecider, command, context }, loaded), decider: transferDecider };
      if (decided.events.length === 0) return { prepared: [], result: () => ({ streamId, revision: loaded.revision, position: loaded.position, events: [], state: loaded.state }) };
      const reason = (decided.events[0]!.metadata.reason as string | undefined) ?? null;
      const release = step === 'agreed' ? [] : [await this.steps.prepareRelease(decided.state.recordId, transferId, context)];
      const note = await this.steps.prepareNote(decided.state, step, reason, context);
      return { prepared: [decided, ...release, note], result: (outcomes) => lastPosition(outcomes[0] as CommandOutcome<TransferState>, outcomes) };
    });
  }
}

/** 办结: the receiving kindergarten completes an agreed (or sending-first) transfer; the record moves. */
export class CompleteTransfer extends Command<CommandOutcome<TransferState>> {
  constructor(readonly principal: Principal, readonly transferId: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(CompleteTransfer)
export class CompleteTransferHandler implements ICommandHandler<CompleteTransfer> {
  constructor(
    private readonly commands: CommandPath,
    private readonly register: RecordRegister,
    private readonly places: ClassPlaces,
    private readonly steps: TransferSteps,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, transferId, context }: CompleteTransfer): Promise<CommandOutcome<TransferState>> {
    const me = requireRegistrar(principal, '办结调转');
    if (this.commands.atomicMultiStream) return this.completeInOneWrite(me, transferId, context);
    const { state, revision } = await this.commands.load(transferStream(transferId), transferDecider);
    this.check(me, state, revision, context);
    const free = { ...context, expectedRevision: undefined };
    // not agreed yet, or closed: the transfer's own refusal (completed again: nothing changes)
    if (state.status !== 'ready') return this.steps.completed(transferId, 'numbered', free);
    await this.childStillGone(state);
    const moved = await this.register.moveTo(state.recordId, { institutionCode: state.fromInstitutionCode }, { institutionCode: me, divisionCode: state.toDivisionCode }, transferId, free);
    // the enrolment and transfers reactors do the same from RecordTransferred, should this process stop here
    await this.places.giveUp(state.recordId, free);
    return this.steps.completed(transferId, moved.state.status === 'dedupe-passed' ? 'dedupe-passed' : 'numbered', free);
  }

  /**
   * The move of the record, the class place given up, the transfer completed and the reservation
   * released: one write (ADR 24), so a crash leaves the transfer either done or not begun. Only a
   * child without an ID number then has its de-duplication key follow it (and the reactor again).
   */
  private async completeInOneWrite(me: string, transferId: string, context: CommandContext): Promise<CommandOutcome<TransferState>> {
    const free = { ...context, expectedRevision: undefined };
    const streamId = transferStream(transferId);
    let movedFrom: { state: TransferState; record: MovedRecord } | null = null;
    const outcome = await this.commands.runAll(async () => {
      movedFrom = null;
      const { state, revision, position } = await this.commands.load(streamId, transferDecider);
      this.check(me, state, revision, context);
      const complete = (recordStatus: 'numbered' | 'dedupe-passed') => ({ ...this.commands.prepareOn({ streamId, decider: transferDecider, command: { type: 'CompleteTransfer', recordStatus, at: isoNow(this.clock) }, context: free }, { state, revision }), decider: transferDecider });
      // not agreed yet, or closed: the transfer's own refusal (completed again: nothing changes)
      if (state.status !== 'ready') {
        // completed again: nothing is written, and the answer names the position of the completion (read-your-writes)
        const noOp = (o: CommandOutcome<unknown>) => ({ ...(o as CommandOutcome<TransferState>), position: o.events.length > 0 ? o.position : position });
        return { prepared: [complete('numbered'), await this.steps.prepareRelease(state.recordId, transferId, free)], result: (outcomes) => noOp(outcomes[0]!) };
      }
      await this.childStillGone(state);
      const move = await this.register.prepareMove(state.recordId, { institutionCode: state.fromInstitutionCode }, { institutionCode: me, divisionCode: state.toDivisionCode }, transferId, free);
      const place = await this.places.prepareGiveUp(state.recordId, free);
      const completed = complete(move.state.status === 'dedupe-passed' ? 'dedupe-passed' : 'numbered');
      const release = await this.steps.prepareRelease(state.recordId, transferId, free);
      movedFrom = { state, record: move.state };
      return { prepared: [move, ...place, completed, release], result: (outcomes) => lastPosition(outcomes[1 + place.length] as CommandOutcome<TransferState>, outcomes) };
    });
    const moved = movedFrom as { state: TransferState; record: MovedRecord } | null;
    if (moved) await this.register.afterMove(moved.state.recordId, { institutionCode: moved.state.fromInstitutionCode }, moved.record, free);
    return outcome;
  }

  /** The receiving kindergarten's transfer, at the revision the client pinned (412 otherwise, never retried). */
  private check(me: string, state: TransferState, revision: number, context: CommandContext): void {
    requireReceiving(me)(state);
    checkPinned(context.expectedRevision, revision);
  }

  /** A sending-first transfer completes only while the child is still gone from the sending kindergarten. */
  private async childStillGone(state: TransferState): Promise<void> {
    if (state.flow !== 'sending-first') return;
    const record = await this.register.get(state.recordId);
    if (record && record.status !== 'left' && record.institutionCode === state.fromInstitutionCode) {
      throw rule('transfer-child-returned', '原幼儿园已撤销该幼儿的转出离园（幼儿已恢复在园），本申请不能办结：请撤回后重新申请');
    }
  }
}

/** the record's state after the move (its de-duplication key follows a child without an ID number) */
type MovedRecord = Awaited<ReturnType<RecordRegister['prepareMove']>>['state'];

/** The transfer's outcome, with the position of the write's last event (read-your-writes waits for the whole write). */
function lastPosition(transfer: CommandOutcome<TransferState>, outcomes: ReadonlyArray<CommandOutcome<unknown>>): CommandOutcome<TransferState> {
  return { ...transfer, position: Math.max(transfer.position, ...outcomes.map((o) => o.position)) };
}

export const TRANSFER_COMMAND_HANDLERS = [ApplyForTransferHandler, DecideTransferHandler, CompleteTransferHandler];
