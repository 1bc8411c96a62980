import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { type CommandContext, type CommandOutcome, CommandPath } from '../../../shared/command/command-path.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { FILE_STORE, type FileStore } from '../../../shared/files/file-store.port.js';
import { type DuplicateCaseCommand, type DuplicateCaseState, type EvidenceFile, duplicateCaseDecider, duplicateCaseStream } from '../../domain/duplicate-case.decider.js';
import { actingOffice, requireInvolved } from './case-access.js';
import { DuplicateCases } from './duplicate-cases.js';
import { requireInstitutionRole } from '../record-access.js';

export type CaseOutcome = CommandOutcome<DuplicateCaseState>;

/** An evidence file as the upload read it: its bytes, the type found by its magic bytes, its hash. */
export interface EvidenceUpload {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  size: number;
  sha256: string;
}

export class FileEvidence extends Command<CaseOutcome> {
  constructor(readonly principal: Principal, readonly caseId: string, readonly recordId: string, readonly reason: string, readonly files: EvidenceUpload[], readonly context: CommandContext) {
    super();
  }
}

/**
 * The institution defends its entry with evidence (佐证): the case decides first on the files'
 * descriptions (so a refused filing stores nothing), then the files are stored durably, then the
 * filing is appended with their hashes. A file stored for a filing that then fails to append is
 * an unreferenced content-addressed blob: harmless, and the same upload reuses it.
 */
@CommandHandler(FileEvidence)
export class FileEvidenceHandler implements ICommandHandler<FileEvidence> {
  constructor(private readonly commands: CommandPath, @Inject(FILE_STORE) private readonly files: FileStore, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, caseId, recordId, reason, files, context }: FileEvidence): Promise<CaseOutcome> {
    const institutionCode = requireInstitutionRole(principal, ['business', 'review'], '提交佐证材料');
    const described: EvidenceFile[] = files.map((f) => ({ sha256: f.sha256, size: f.size, contentType: f.contentType, fileName: f.fileName }));
    const command: DuplicateCaseCommand = { type: 'FileEvidence', recordId, institutionCode, files: described, reason, at: isoNow(this.clock) };
    const stream = duplicateCaseStream(caseId);
    const { state } = await this.commands.load(stream, duplicateCaseDecider);
    requireInvolved(principal, state);
    duplicateCaseDecider.decide(command, state);
    // evidence filed for an entry is about that child: sealed with its data key, erased with it (ADR 23)
    for (const file of files) await this.files.put(file.bytes, recordId);
    return this.commands.run({ streamId: stream, decider: duplicateCaseDecider, command, context, authorise: (s) => requireInvolved(principal, s) });
  }
}

export class ActOnCase extends Command<CaseOutcome> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
    readonly action:
      | { type: 'review'; recordId: string; passed: boolean; reason: string }
      | { type: 'force-delete'; recordId: string; reason: string }
      | { type: 'arbitrate'; recordId: string; reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

const ACTION_NAME = { review: '佐证材料审核', 'force-delete': '强制删除重复记录', arbitrate: '重复学籍仲裁' } as const;

/**
 * What the offices do in a case: the county reviews evidence and force-deletes, the lowest common
 * superior arbitrates. Whatever the case decides for other streams (a record deleted, the losers
 * voided, the winner restored) is written with the case's decision in one write on the embedded
 * store; on KurrentDB it is carried out at once after it, and again by the process manager.
 */
@CommandHandler(ActOnCase)
export class ActOnCaseHandler implements ICommandHandler<ActOnCase> {
  constructor(private readonly commands: CommandPath, private readonly cases: DuplicateCases, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, caseId, action, context }: ActOnCase): Promise<CaseOutcome> {
    const office = actingOffice(principal, ACTION_NAME[action.type]);
    const at = isoNow(this.clock);
    const command: DuplicateCaseCommand =
      action.type === 'review'
        ? { type: 'ReviewEvidence', recordId: action.recordId, passed: action.passed, reason: action.reason, office, at }
        : action.type === 'force-delete'
          ? { type: 'ForceDeleteEntry', recordId: action.recordId, reason: action.reason, office, at }
          : { type: 'Arbitrate', recordId: action.recordId, reason: action.reason, office, at };
    // one write on the embedded store (ADR 0030); stream by stream elsewhere, with the process manager as the safety net
    if (this.commands.atomicMultiStream) return this.cases.decideInOneWrite(caseId, command, (s) => requireInvolved(principal, s), context);
    const outcome = await this.commands.run({ streamId: duplicateCaseStream(caseId), decider: duplicateCaseDecider, command, context, authorise: (s) => requireInvolved(principal, s) });
    const { expectedRevision: _pinned, ...unpinned } = context;
    await this.cases.carryOut(outcome, unpinned);
    return outcome;
  }
}

export const DUPLICATE_CASE_HANDLERS = [FileEvidenceHandler, ActOnCaseHandler];
