import { Inject, Injectable } from '@nestjs/common';
import { RecordRegister, type TransferStep } from '../../records/contracts/index.js';
import { type CommandContext, CommandPath, type PreparedAppend } from '../../shared/command/command-path.js';
import { DomainError } from '../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { reservationDecider, reservationStream } from '../domain/transfer-reservation.decider.js';
import { type TransferState, transferDecider, transferStream } from '../domain/transfer.decider.js';

/**
 * The effects that follow a transfer's decisions, each an idempotent command: the step noted on
 * the child's record (its history), the reservation released when the transfer closes, the
 * transfer completed once the record moved. Run by the request and again by the transfers
 * reactor from the log, so a crash in between loses nothing.
 */
@Injectable()
export class TransferSteps {
  constructor(
    private readonly commands: CommandPath,
    private readonly register: RecordRegister,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * `after`: the log position of the event the reactor reacts to. A request on SQLite wrote the
   * note in the same write, and the state this process keeps shows it: then nothing is read.
   */
  async note(transfer: Pick<TransferState, 'transferId' | 'recordId' | 'toInstitutionCode'>, step: TransferStep, reason: string | null, context: CommandContext, after?: number): Promise<void> {
    if (after !== undefined && (await this.register.transferNoted(transfer.recordId, transfer.transferId, step, after))) return;
    await this.register.noteTransfer(transfer.recordId, { step, transferId: transfer.transferId, toInstitutionCode: transfer.toInstitutionCode, reason }, unpinned(context));
  }

  /** `note` decided, not stored: a request appends it in the same write as the transfer's step (ADR 24). */
  prepareNote(transfer: Pick<TransferState, 'transferId' | 'recordId' | 'toInstitutionCode'>, step: TransferStep, reason: string | null, context: CommandContext): Promise<PreparedAppend<unknown> & { decider: object }> {
    return this.register.prepareNote(transfer.recordId, { step, transferId: transfer.transferId, toInstitutionCode: transfer.toInstitutionCode, reason }, unpinned(context));
  }

  /** `release` decided on the reservation's current state, not stored. */
  async prepareRelease(recordId: string, transferId: string, context: CommandContext): Promise<PreparedAppend<unknown> & { decider: object }> {
    const streamId = reservationStream(recordId);
    const held = await this.commands.load(streamId, reservationDecider);
    return { ...this.commands.prepareOn({ streamId, decider: reservationDecider, command: { type: 'ReleaseReservation', transferId, at: isoNow(this.clock) }, context: unpinned(context) }, held), decider: reservationDecider };
  }

  async release(recordId: string, transferId: string, context: CommandContext, after?: number): Promise<void> {
    // the reservation was claimed before any event that closes the transfer: a state holding the log up to it and not held by this transfer is released
    if (after !== undefined && (await this.commands.loadIncluding(reservationStream(recordId), reservationDecider, after)).state.holder?.transferId !== transferId) return;
    await this.commands.run({ streamId: reservationStream(recordId), decider: reservationDecider, command: { type: 'ReleaseReservation', transferId, at: isoNow(this.clock) }, context: unpinned(context) });
  }

  /** The record moved for this transfer: the transfer is completed and the child free for another. */
  /** The reactor's `completed` for the record's move at log position `after`: nothing is read when this process's states show it done. */
  async completedAfter(transferId: string, recordStatus: 'numbered' | 'dedupe-passed', context: CommandContext, after: number): Promise<void> {
    const known = await this.commands.loadIncluding(transferStream(transferId), transferDecider, after);
    if (known.state.status === 'completed') return this.release(known.state.recordId, transferId, context, after);
    await this.completed(transferId, recordStatus, context);
  }

  async completed(transferId: string, recordStatus: 'numbered' | 'dedupe-passed', context: CommandContext) {
    const outcome = await this.commands.run({ streamId: transferStream(transferId), decider: transferDecider, command: { type: 'CompleteTransfer', recordStatus, at: isoNow(this.clock) }, context });
    await this.release(outcome.state.recordId, transferId, context);
    return outcome;
  }

  /** A reaction that a later state made moot (e.g. the note of a record deleted since) is skipped. */
  static skipRefusal(error: unknown): void {
    if (!(error instanceof DomainError) || error.kind === 'conflict' || error.kind === 'unavailable') throw error;
  }
}

const unpinned = (context: CommandContext): CommandContext => ({ ...context, expectedRevision: undefined });
