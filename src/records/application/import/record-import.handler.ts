import { createHash, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../../organisation/contracts/index.js';
import { type CommandContext, CommandPath, type PreparedStart } from '../../../shared/command/command-path.js';
import { DomainError, refused } from '../../../shared/domain/domain-error.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type ChildFields, dedupeKey } from '../../domain/child.js';
import { type RecordState, type RecordStatus, STATUS_LABEL, recordDecider, recordStream } from '../../domain/record.decider.js';
import { type ImportIssue, parseTemplateRow } from '../../domain/template-row.js';
import { COLUMN_BY_KEY } from '../../domain/template-columns.js';
import { activeInstitution } from '../entry/record-entry.handlers.js';
import { requireInstitutionRole } from '../record-access.js';
import { type PresentRecord, RecordReads } from '../record-reads.js';
import { ImportCommit } from './import-commit.js';
import { TemplateReader } from './template-reader.js';

export interface ImportSummary {
  batchId: string;
  fileName: string | null;
  rows: number;
  saved: number;
  failed: number;
  alreadyPresent: number;
  issues: ImportIssue[];
  /** where the validation log (导入数据校验日志) can be downloaded as xlsx */
  logUrl: string;
  position: number;
}

export class ImportRecords extends Command<ImportSummary> {
  constructor(readonly principal: Principal, readonly file: Buffer, readonly fileName: string | null, readonly context: CommandContext) {
    super();
  }
}

/** keys per presence query */
const PRESENCE_CHUNK = 500;
type GoodRow = { row: number; child: ChildFields; key: string; prepared: PreparedStart<RecordState> };

/**
 * 模板导入: every row of the uploaded template is validated; good rows are saved (each record
 * carries the batch id and its row), bad rows are listed with row, column, value and reason. A
 * child already entered in this kindergarten (an earlier upload, or twice in this file) is
 * reported as already present, never saved twice. The batch's summary and log are an event of
 * their own, so the log can be downloaded later and the import is part of the audit trail.
 */
@CommandHandler(ImportRecords)
export class ImportRecordsHandler implements ICommandHandler<ImportRecords> {
  constructor(
    private readonly commands: CommandPath,
    private readonly directory: InstitutionDirectory,
    private readonly reads: RecordReads,
    private readonly reader: TemplateReader,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly imports: ImportCommit,
  ) {}

  async execute({ principal, file, fileName, context }: ImportRecords): Promise<ImportSummary> {
    const code = requireInstitutionRole(principal, ['business'], '模板导入');
    const institution = await activeInstitution(this.directory, code);
    const batchId = randomUUID();
    // one instant for the whole file: every row is validated and saved as of the upload
    const at = isoNow(this.clock);
    const { expectedRevision: _pinned, ...unpinned } = context;
    await this.reads.caughtUp();
    const isKnownDivision = await this.directory.divisionCheck();

    const issues: ImportIssue[] = [];
    const firstRowOf = new Map<string, number>();
    let rows = 0;
    let alreadyPresent = 0;
    const good: GoodRow[] = [];
    // whether this kindergarten already has the child, asked while the file is still being read
    const presenceChecks: Array<Promise<Map<string, PresentRecord>>> = [];
    let checked = 0;
    const checkPresence = () => {
      presenceChecks.push(this.reads.present(code, good.slice(checked).map((r) => r.key)));
      checked = good.length;
    };

    for await (const { row, cells } of this.reader.read(file)) {
      rows++;
      const parsed = parseTemplateRow(row, cells, at);
      if (!parsed.ok) {
        issues.push(...parsed.issues);
        continue;
      }
      const divisionIssues = unknownDivisions(row, parsed.child, isKnownDivision);
      if (divisionIssues.length > 0) {
        issues.push(...divisionIssues);
        continue;
      }
      const key = dedupeKey(parsed.child, code);
      const earlier = firstRowOf.get(key);
      if (earlier !== undefined) {
        alreadyPresent++;
        issues.push({ row, column: keyColumn(parsed.child), value: keyValue(parsed.child), code: 'duplicate-in-file', reason: `与本文件第 ${earlier} 行是同一名幼儿，未重复导入` });
        continue;
      }
      firstRowOf.set(key, row);
      const recordId = randomUUID();
      try {
        // decided now, appended once the whole file has been read
        const prepared = this.commands.prepareStart({
          streamId: recordStream(recordId),
          decider: recordDecider,
          command: { type: 'SaveRecord', recordId, institutionCode: code, divisionCode: institution.divisionCode, child: parsed.child, confirmOverAge: parsed.confirmOverAge, importRef: { batchId, row }, at },
          context: unpinned,
        });
        good.push({ row, child: parsed.child, key, prepared });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        issues.push(refusedIssue(row, error));
      }
      if (good.length - checked >= PRESENCE_CHUNK) checkPresence();
    }
    if (rows === 0) throw refused('validation', 'import-no-rows', '模板中没有幼儿数据：请从第 2 行起每行填写一名幼儿（第 1 行为表头，不要删除或修改）');
    if (good.length > checked) checkPresence();

    // nothing is stored before the whole file has been read: a file refused late (too many
    // rows, broken at the end) changes nothing
    const present = new Map<string, PresentRecord>();
    for (const found of await Promise.all(presenceChecks)) for (const [key, record] of found) present.set(key, record);
    const toSave = good.filter((r) => {
      const existing = present.get(r.key);
      if (!existing) return true;
      alreadyPresent++;
      issues.push(presentIssue(r, existing.name, existing.status));
      return false;
    });
    issues.sort((x, y) => x.row - y.row);
    const failedRows = new Set(issues.filter((i) => i.code !== 'already-present' && i.code !== 'duplicate-in-file').map((i) => i.row)).size;
    const saved = toSave.length;
    const summary = { batchId, institutionCode: code, fileName, fileSha256: createHash('sha256').update(file).digest('hex'), rows, saved, failed: failedRows, alreadyPresent, issues, importedAt: at };
    // the records and the batch with its log are stored as one unit: after a crash, all or none (ADR 0011)
    const position = await this.imports.commit(summary, toSave.map((r) => r.prepared), unpinned);
    return { batchId, fileName, rows, saved, failed: failedRows, alreadyPresent, issues, logUrl: `/api/v1/records/imports/${batchId}/log.xlsx`, position };
  }

}

function unknownDivisions(row: number, child: ChildFields, isKnownDivision: (code: string) => boolean): ImportIssue[] {
  const found: ImportIssue[] = [];
  for (const field of ['birthplaceCode', 'householdCode'] as const) {
    const value = child[field];
    if (value && !isKnownDivision(value)) {
      const column = COLUMN_BY_KEY.get(field)!.header;
      found.push({ row, column, value, code: 'division-unknown', reason: `${column}代码 ${value} 不是有效的行政区划代码，请在模板的“区划代码”表中查找` });
    }
  }
  return found;
}

const keyColumn = (child: ChildFields) => COLUMN_BY_KEY.get(child.idNumber ? 'idNumber' : 'name')!.header;
const keyValue = (child: ChildFields) => child.idNumber ?? child.name;

/** A row refused as a whole (by the decider or the store), not by one of its cells. */
const refusedIssue = (row: number, error: DomainError): ImportIssue => ({ row, column: '', value: '', code: error.code, reason: error.message });

function presentIssue(r: GoodRow, name: string, status: string): ImportIssue {
  return { row: r.row, column: keyColumn(r.child), value: keyValue(r.child), code: 'already-present', reason: `本园已有该幼儿（${name}）的记录（${STATUS_LABEL[status as RecordStatus] ?? status}），未重复导入` };
}
