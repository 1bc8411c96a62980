import { Inject, Injectable } from '@nestjs/common';
import { type CommandContext, type CommandOutcome, CommandPath, type PreparedAppend } from '../../shared/command/command-path.js';
import type { WritePlan } from '../../shared/command/write-plan.js';
import { notFound } from '../../shared/domain/domain-error.js';
import type { FileStore } from '../../shared/files/file-store.port.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { WORKING_DAYS, type WorkingDays } from '../../shared/time/working-days.js';
import { FILE_STORE } from '../../shared/infrastructure/tokens.js';
import type { ChildFields, KeyInformation } from '../domain/child.js';
import { normaliseIdNumber } from '../domain/id-number.js';
import { type LeaveType, type RecordCommand, type RecordState, type RecordStatus, recordDecider, recordStream } from '../domain/record.decider.js';
import type { TransferStep } from '../domain/record-transfer.js';
import { Deduplication } from './deduplication/deduplication.js';
import { RECORD_NOT_FOUND } from './record-access.js';
import { RecordReads } from './record-reads.js';

/** What other contexts may know of a child record: where it lives, its state, its key fields. */
export interface RecordFacts {
  recordId: string;
  institutionCode: string;
  /** the county (GB/T 2260) of the institution holding the record */
  divisionCode: string;
  status: RecordStatus;
  recordNumber: string | null;
  /** the de-duplication key fields (name, gender, birth date, ID type and number): personal data, never log them */
  key: KeyInformation;
  /** the stream revision the facts were read at (pin a follow-up command with it) */
  revision: number;
  /** the last leave of a left or cancelled record ('accident': cancelled) */
  leave: { leaveType: LeaveType | 'accident'; leaveDate: string } | null;
  /** the primary school holding the record after a hand-over (issue 16) */
  handedOver: { schoolCode: string; schoolName: string; entryId: string; at: string } | null;
}

/**
 * On whose behalf a lifecycle command is sent: the institution holding the record. The caller's
 * role is checked by the sending context; the register refuses a record of any other institution
 * as absent (the one jurisdiction answer), on the state the command is decided on.
 */
export interface ActingFor {
  institutionCode: string;
}

/** The primary school a record is handed over to, and the pupil-list entry that asked for it. */
export interface HandOverTo {
  schoolCode: string;
  schoolName: string;
  entryId: string;
}

/** A step of a transfer as the record's history shows it. */
export interface TransferNote {
  step: TransferStep;
  transferId: string;
  toInstitutionCode: string;
  reason: string | null;
}

/** accident leave must be entered within this many working days of the accident (domain.md section 6) */
export const ACCIDENT_LEAVE_WORKING_DAYS = 30;

/**
 * The front door of records for other contexts (classes, transfers, hand-over, reports): facts
 * read from the record's own stream, so they are current, not eventually current. The lifecycle
 * commands other contexts send (leave, cancel, move, restore, hand over) are added here with the
 * issues that need them, each through CommandPath with its access check.
 */
@Injectable()
export class RecordRegister {
  constructor(
    private readonly commands: CommandPath,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKING_DAYS) private readonly workingDays: WorkingDays,
    @Inject(FILE_STORE) private readonly files: FileStore,
    private readonly dedupe: Deduplication,
    private readonly recordReads: RecordReads,
  ) {}

  /**
   * The move of a transfer (幼儿调转, ADR 24): the record of `from` now belongs to `to` (institution
   * and county), same id, number and history. Repeated for the same transfer, nothing changes. A
   * child without an ID number then keys on the receiving kindergarten (de-duplication follows).
   */
  async moveTo(recordId: string, from: ActingFor, to: { institutionCode: string; divisionCode: string }, transferId: string, context: CommandContext): Promise<CommandOutcome<RecordState>> {
    const outcome = await this.commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: this.moveCommand(to, transferId), context, authorise: movable(from, transferId) });
    // the province-deduplication reactor does the same from the log, should this process stop here
    await this.afterMove(recordId, from, outcome.state, context);
    return outcome;
  }

  /**
   * The move decided on the record's current state, not stored: the transfer's completion appends
   * it in one write with the class place, the transfer and the reservation (ADR 24). Once stored,
   * call `afterMove` with its state.
   */
  async prepareMove(recordId: string, from: ActingFor, to: { institutionCode: string; divisionCode: string }, transferId: string, context: CommandContext): Promise<PreparedAppend<RecordState> & { decider: typeof recordDecider }> {
    return this.prepare(recordId, this.moveCommand(to, transferId), context, movable(from, transferId));
  }

  /** What follows a stored move: a child without an ID number keys on the receiving kindergarten (de-duplication follows; its reactor does the same). */
  async afterMove(recordId: string, from: ActingFor, moved: RecordState, context: CommandContext): Promise<void> {
    if (!moved.dedupeKey?.startsWith('nid:')) return;
    await this.dedupe.afterMove(recordId, from.institutionCode, { ...context, expectedRevision: undefined });
  }

  private moveCommand(to: { institutionCode: string; divisionCode: string }, transferId: string): RecordCommand {
    return { type: 'MoveRecord', transferId, toInstitutionCode: to.institutionCode, toDivisionCode: to.divisionCode, at: isoNow(this.clock) };
  }

  /** A step of a transfer noted on the record, for its history (the transfers reactor, with the step's actor); idempotent. */
  noteTransfer(recordId: string, note: TransferNote, context: CommandContext): Promise<CommandOutcome<RecordState>> {
    return this.commands.run({ streamId: recordStream(recordId), decider: recordDecider, command: { type: 'NoteTransfer', ...note, at: isoNow(this.clock) }, context, authorise: exists });
  }

  /** The step is on the record already, as far as the log up to `position` shows (a reactor's check before noting it again). */
  async transferNoted(recordId: string, transferId: string, step: TransferStep, position: number): Promise<boolean> {
    const { state } = await this.commands.loadIncluding(recordStream(recordId), recordDecider, position);
    return state.transferSteps.includes(`${transferId}:${step}`);
  }

  /** The note decided on the record's current state, not stored: the transfer step appends it in the same write as the transfer's event (ADR 24). */
  prepareNote(recordId: string, note: TransferNote, context: CommandContext): Promise<PreparedAppend<RecordState> & { decider: typeof recordDecider }> {
    return this.prepare(recordId, { type: 'NoteTransfer', ...note, at: isoNow(this.clock) }, context, exists);
  }

  private async prepare(recordId: string, command: RecordCommand, context: CommandContext, authorise: (state: RecordState) => void): Promise<PreparedAppend<RecordState> & { decider: typeof recordDecider }> {
    const streamId = recordStream(recordId);
    const loaded = await this.commands.load(streamId, recordDecider);
    authorise(loaded.state);
    return { ...this.commands.prepareOn({ streamId, decider: recordDecider, command, context }, loaded), decider: recordDecider };
  }

  /** A normal leave (离园) of a numbered child; the same leave again changes nothing (reactors repeat it). */
  leave(recordId: string, by: ActingFor, leave: { leaveType: LeaveType; leaveDate: string; reason: string }, context: CommandContext): Promise<CommandOutcome<RecordState>> {
    return this.run(recordId, by, { type: 'LeaveRecord', leaveType: leave.leaveType, leaveDate: leave.leaveDate, reason: leave.reason, at: isoNow(this.clock) }, context);
  }

  /**
   * The same leave decided into another context's write (a whole-class graduation is one write
   * with its children's leaves, ADR 0030): nothing is stored here; a refusal (the record is not
   * numbered, not the institution's) throws and leaves the plan as it was.
   */
  async planLeave(plan: WritePlan, recordId: string, by: ActingFor, leave: { leaveType: LeaveType; leaveDate: string; reason: string }, context: CommandContext): Promise<void> {
    await plan.decide({
      streamId: recordStream(recordId),
      decider: recordDecider,
      command: { type: 'LeaveRecord', leaveType: leave.leaveType, leaveDate: leave.leaveDate, reason: leave.reason, at: isoNow(this.clock) },
      context,
      authorise: (state) => actingFor(state, by),
    });
  }

  /**
   * Accident leave (发生意外离园): cancels the record. The proof files are stored first (by
   * content: a refused command leaves only unreferenced bytes); the deadline is the accident date
   * plus 30 working days of China's calendar.
   */
  async cancelAfterAccident(recordId: string, by: ActingFor, cancel: { accidentDate: string; proof: Buffer[]; reason: string }, context: CommandContext): Promise<CommandOutcome<RecordState>> {
    const at = isoNow(this.clock);
    const lastAllowedDate = /^\d{4}-\d{2}-\d{2}$/.test(cancel.accidentDate) ? this.workingDays.addWorkingDays(cancel.accidentDate, ACCIDENT_LEAVE_WORKING_DAYS) : cancel.accidentDate;
    const proofFileIds: string[] = [];
    // the proof is about this child: sealed with its data key, erased with it (ADR 23)
    for (const bytes of cancel.proof) proofFileIds.push((await this.files.put(bytes, recordId)).sha256);
    return this.run(recordId, by, { type: 'CancelRecord', accidentDate: cancel.accidentDate, lastAllowedDate, today: beijingDate(at), proofFileIds, reason: cancel.reason, at }, context);
  }

  /** Back exactly as before the leave (numbered, same number) for an approved application; repeated, nothing changes. */
  restore(recordId: string, by: ActingFor, applicationId: string, context: CommandContext): Promise<CommandOutcome<RecordState>> {
    return this.run(recordId, by, { type: 'RestoreRecord', applicationId, at: isoNow(this.clock) }, context);
  }

  /**
   * Hands the record over to a primary school (学籍接续, issue 16), on the school's behalf: any
   * existing record may be asked for (the school found it by matching); the decider refuses a
   * record not numbered, and a record another school holds (naming it). The record stream is the
   * claim: two schools deciding on the same revision cannot both append, the second is decided
   * again on the first's hand-over and refused. A repeat by the same school changes nothing.
   */
  handOver(recordId: string, to: HandOverTo, context: CommandContext): Promise<CommandOutcome<RecordState>> {
    return this.commands.run({
      streamId: recordStream(recordId),
      decider: recordDecider,
      command: { type: 'HandOverRecord', ...to, at: isoNow(this.clock) },
      context,
      authorise: (state) => {
        if (state.status === 'none') throw notFound('record-not-found', RECORD_NOT_FOUND);
      },
    });
  }

  /** The child's fields from the record's stream (the supplement arrives pre-filled with them): personal data, never log them. */
  async child(recordId: string): Promise<ChildFields | null> {
    const { state } = await this.commands.load(recordStream(recordId), recordDecider);
    return state.status === 'none' ? null : state.child;
  }

  private run(recordId: string, by: ActingFor, command: RecordCommand, context: CommandContext): Promise<CommandOutcome<RecordState>> {
    return this.commands.run({
      streamId: recordStream(recordId),
      decider: recordDecider,
      command,
      context,
      authorise: (state) => actingFor(state, by),
    });
  }

  /** The record's facts, or null when it never existed (a deleted record answers with status 'deleted'). */
  async get(recordId: string): Promise<RecordFacts | null> {
    const { state, revision } = await this.commands.load(recordStream(recordId), recordDecider);
    return factsOf(state, revision);
  }

  /**
   * The record holding a record number (学籍号), or null. The number is looked up in the records
   * read model and confirmed on the stream, so a number reissued after a key change is never
   * answered with a stale holder.
   */
  async byNumber(typed: string): Promise<RecordFacts | null> {
    // as registrars type it: full-width characters, spaces, a lower-case letter
    const recordNumber = normaliseIdNumber(typed);
    const found = await this.holderOf(recordNumber);
    if (found) return found;
    // a number issued a moment ago may not be in the read model yet: "not found" only once it has
    // every event stored so far (503 projection-lagging if it cannot catch up in time)
    await this.recordReads.caughtUp();
    return this.holderOf(recordNumber);
  }

  private async holderOf(recordNumber: string): Promise<RecordFacts | null> {
    // only the ids are used (the stream has the facts): nothing opened
    for (const id of await this.recordReads.allIds({ recordNumber })) {
      const facts = await this.get(id);
      if (facts?.recordNumber === recordNumber) return facts;
    }
    return null;
  }
}

/** The one jurisdiction answer of the lifecycle commands: a record of another institution is absent. */
function actingFor(state: RecordState, by: ActingFor): void {
  if (state.status === 'none' || state.institutionCode !== by.institutionCode) throw notFound('record-not-found', RECORD_NOT_FOUND);
}

/** A record exists (any status but none). */
function exists(state: RecordState): void {
  if (state.status === 'none') throw notFound('record-not-found', RECORD_NOT_FOUND);
}

/** The record is `from`'s, or already moved by this transfer (a repeat, which changes nothing). */
const movable = (from: ActingFor, transferId: string) => (state: RecordState): void => {
  const movedHere = state.transferSteps.includes(`${transferId}:moved`);
  if (state.status === 'none' || (state.institutionCode !== from.institutionCode && !movedHere)) throw notFound('record-not-found', RECORD_NOT_FOUND);
};

function factsOf(state: RecordState, revision: number): RecordFacts | null {
  if (state.status === 'none' || !state.child) return null;
  const { name, gender, birthDate, idType, idNumber } = state.child;
  return {
    recordId: state.recordId,
    institutionCode: state.institutionCode,
    divisionCode: state.divisionCode,
    status: state.status,
    recordNumber: state.recordNumber,
    key: { name, gender, birthDate, idType, idNumber },
    revision,
    leave: state.leave,
    handedOver: state.handedOver,
  };
}
