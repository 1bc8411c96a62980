import { Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../../organisation/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { DomainError, conflict, invalid, rule } from '../../../shared/domain/domain-error.js';
import { type ChildFields, dedupeKey, normaliseChild, validateChild } from '../../domain/child.js';
import { type RecordState, recordDecider, recordStream } from '../../domain/record.decider.js';
import { Deduplication, type DedupeOutcome } from '../deduplication/deduplication.js';
import { DuplicateCases, leftEvent } from '../cases/duplicate-cases.js';
import { requireInstitutionRole, requireOwnRecord } from '../record-access.js';
import { RecordReads } from '../record-reads.js';

type RecordOutcome = CommandOutcome<RecordState>;

/** The institution's registration facts: where the record lives; a revoked institution enters nothing. */
export async function activeInstitution(directory: InstitutionDirectory, code: string) {
  const institution = await directory.institution(code);
  if (!institution) throw rule('institution-not-registered', '本园不在机构代码库中，不能登记幼儿学籍');
  if (institution.revoked) throw rule('institution-revoked', '本园已在机构代码系统中撤销，不能登记幼儿学籍');
  return institution;
}

/** Field errors of the domain plus birthplace/household codes that name no known division. */
export async function checkChildFields(directory: InstitutionDirectory, child: ChildFields, at: string): Promise<void> {
  const normalised = normaliseChild(child);
  const errors = validateChild(normalised, at).errors;
  const isKnownDivision = await directory.divisionCheck();
  for (const [field, label] of [['birthplaceCode', '出生所在地'], ['householdCode', '户口所在地']] as const) {
    const code = normalised[field];
    if (code && /^\d{6}(\d{6})?$/.test(code) && !isKnownDivision(code)) {
      errors.push({ field, code: 'division-unknown', message: `${label}代码 ${code} 不是有效的行政区划代码（前 6 位应为县级区划，可在模板的“区划代码”表中查找）`, value: code });
    }
  }
  if (errors.length > 0) throw invalid(errors, '幼儿信息有误，请按提示修改后再保存');
}

export class SaveRecord extends Command<RecordOutcome> {
  constructor(readonly principal: Principal, readonly child: ChildFields, readonly confirmOverAge: boolean, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(SaveRecord)
export class SaveRecordHandler implements ICommandHandler<SaveRecord> {
  constructor(
    private readonly commands: CommandPath,
    private readonly directory: InstitutionDirectory,
    private readonly reads: RecordReads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, child, confirmOverAge, context }: SaveRecord): Promise<RecordOutcome> {
    const code = requireInstitutionRole(principal, ['business'], '幼儿学籍登记');
    const institution = await activeInstitution(this.directory, code);
    const at = isoNow(this.clock);
    await checkChildFields(this.directory, child, at);
    // the same child entered twice in one kindergarten is refused here; across kindergartens de-duplication decides
    await this.reads.caughtUp();
    const key = dedupeKey(normaliseChild(child), code);
    const existing = (await this.reads.present(code, [key])).get(key);
    if (existing) throw conflict('already-present', `本园已有该幼儿的记录（${existing.name}），请勿重复登记`, { recordId: existing.recordId, status: existing.status });
    const recordId = randomUUID();
    return this.commands.run({
      streamId: recordStream(recordId),
      decider: recordDecider,
      command: { type: 'SaveRecord', recordId, institutionCode: code, divisionCode: institution.divisionCode, child, confirmOverAge, importRef: null, at },
      context,
    });
  }
}

export interface EditOutcome extends RecordOutcome {
  /** a problem record corrected in its key left its case and was de-duplicated again at once */
  deduplication: DedupeOutcome | null;
}

export class EditRecord extends Command<EditOutcome> {
  constructor(readonly principal: Principal, readonly recordId: string, readonly child: ChildFields, readonly confirmOverAge: boolean, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(EditRecord)
export class EditRecordHandler implements ICommandHandler<EditRecord> {
  constructor(
    private readonly commands: CommandPath,
    private readonly directory: InstitutionDirectory,
    private readonly dedupe: Deduplication,
    private readonly cases: DuplicateCases,
    private readonly reads: RecordReads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, recordId, child, confirmOverAge, context }: EditRecord): Promise<EditOutcome> {
    const code = requireInstitutionRole(principal, ['business'], '修改幼儿信息');
    const at = isoNow(this.clock);
    await checkChildFields(this.directory, child, at);
    // edited into a child the kindergarten already has: refused as saving it would be (issue 22, item 4)
    await this.reads.caughtUp();
    const key = dedupeKey(normaliseChild(child), code);
    const existing = (await this.reads.present(code, [key])).get(key);
    if (existing && existing.recordId !== recordId) {
      throw conflict('already-present', `本园已有该幼儿的记录（${existing.name}），不能把本记录改成同一名幼儿；如确为同一人，请保留一条、删除另一条`, { recordId: existing.recordId, status: existing.status });
    }
    const outcome = await this.commands.run({
      streamId: recordStream(recordId), decider: recordDecider, command: { type: 'EditRecord', child, confirmOverAge, at }, context,
      authorise: (state) => requireOwnRecord(principal, state),
    });
    const resubmitted = outcome.events.find((e) => e.type === 'RecordSubmitted');
    if (!resubmitted) return { ...outcome, deduplication: null };
    await this.cases.followRecord(outcome, context);
    const deduplication = await this.dedupe.check(recordId, Deduplication.contextFor(resubmitted.metadata), null, outcome.state);
    const { state, revision, position } = await this.commands.load(recordStream(recordId), recordDecider);
    return { ...outcome, state, revision, position, deduplication };
  }
}

export class DeleteRecord extends Command<RecordOutcome> {
  constructor(readonly principal: Principal, readonly recordId: string, readonly reason: string, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(DeleteRecord)
export class DeleteRecordHandler implements ICommandHandler<DeleteRecord> {
  constructor(
    private readonly commands: CommandPath,
    private readonly dedupe: Deduplication,
    private readonly cases: DuplicateCases,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, recordId, reason, context }: DeleteRecord): Promise<RecordOutcome> {
    requireInstitutionRole(principal, ['business', 'review'], '删除幼儿记录');
    const outcome = await this.commands.run({
      streamId: recordStream(recordId), decider: recordDecider, command: { type: 'DeleteRecord', reason, at: isoNow(this.clock) }, context,
      authorise: (state) => requireOwnRecord(principal, state),
    });
    // a problem record leaves its case (which may settle it); any other gives its key up
    if (leftEvent(outcome.events)) await this.cases.followRecord(outcome, context);
    else if (outcome.state.dedupeKey) await this.dedupe.release(recordId, outcome.state.dedupeKey, Deduplication.contextFor(outcome.events[0]!.metadata));
    return outcome;
  }
}

export interface SubmissionResult {
  recordId: string;
  outcome: DedupeOutcome | 'refused';
  error?: { code: string; message: string };
}

export interface SubmissionSummary {
  requested: number;
  submitted: number;
  passed: number;
  problem: number;
  refused: number;
  results: SubmissionResult[];
  /** log position after the last write: X-Min-Position for the next read */
  position: number;
}

export class SubmitRecords extends Command<SubmissionSummary> {
  constructor(readonly principal: Principal, readonly selection: { recordIds: string[] } | { allSaved: true }, readonly context: CommandContext) {
    super();
  }
}

const SUBMIT_CONCURRENCY = 16;

/**
 * Submits a selection or every saved record of the institution (the old system submitted only
 * the page on screen). Each record is submitted and de-duplicated on its own: one refusal does
 * not stop the rest, and the answer lists each record's outcome.
 */
@CommandHandler(SubmitRecords)
export class SubmitRecordsHandler implements ICommandHandler<SubmitRecords> {
  constructor(
    private readonly commands: CommandPath,
    private readonly dedupe: Deduplication,
    private readonly reads: RecordReads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, selection, context }: SubmitRecords): Promise<SubmissionSummary> {
    const code = requireInstitutionRole(principal, ['business'], '提交幼儿学籍');
    let ids: string[];
    if ('allSaved' in selection) {
      await this.reads.caughtUp();
      ids = await this.reads.allIds({ institutionCode: code, status: 'saved' });
    } else ids = [...new Set(selection.recordIds)];
    const results: SubmissionResult[] = new Array(ids.length);
    // one instant for the whole batch: it is one command of the registrar
    const at = isoNow(this.clock);
    // If-Match pins one stream's revision; a batch has many streams
    const { expectedRevision: _pinned, ...unpinned } = context;
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const index = next++;
        const recordId = ids[index]!;
        try {
          const outcome = await this.dedupe.submit(recordId, at, unpinned, (state) => requireOwnRecord(principal, state));
          results[index] = { recordId, outcome };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          results[index] = { recordId, outcome: 'refused', error: { code: error.code, message: error.message } };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SUBMIT_CONCURRENCY, ids.length) }, worker));
    const count = (o: SubmissionResult['outcome']) => results.filter((r) => r.outcome === o).length;
    return {
      requested: ids.length,
      submitted: ids.length - count('refused'),
      passed: count('dedupe-passed'),
      problem: count('problem'),
      refused: count('refused'),
      results,
      position: await this.reads.head(),
    };
  }
}

export const RECORD_ENTRY_HANDLERS = [SaveRecordHandler, EditRecordHandler, DeleteRecordHandler, SubmitRecordsHandler];
