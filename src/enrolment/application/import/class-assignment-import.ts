import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { RecordRegister } from '../../../records/contracts/index.js';
import { type CommandContext, CommandPath } from '../../../shared/command/command-path.js';
import { invalid, refused, unsupported } from '../../../shared/domain/domain-error.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import { type ReadStore, findAll } from '../../../shared/read-store/read-store.port.js';
import { type XlsxRefusals, columnLetter, halfWidth, readXlsxRowBatches } from '../../../shared/spreadsheets/index.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type AssignmentImportCounts, type AssignmentIssue, assignmentImportDecider, assignmentImportStream } from '../../domain/assignment-import.decider.js';
import { CLASSES } from '../../projections/enrolment.projection.js';
import { requireRegistrar } from '../class-access.js';
import { PlaceChildren, type PlacementSummary } from '../placements/placement.handlers.js';

export type { AssignmentIssue };

export interface AssignmentImportOutcome extends AssignmentImportCounts {
  batchId: string;
  issues: AssignmentIssue[];
  position: number;
}

export const ASSIGNMENT_MAX_ROWS = 5000;
const MAX_ROWS = ASSIGNMENT_MAX_ROWS;
const KEY_HEADER = /学籍号|身份证/;
const CLASS_HEADER = /班级/;

const REFUSALS: XlsxRefusals = {
  empty: () => refused('validation', 'import-file-empty', '上传的文件是空的（0 字节），请选择填写好的 .xlsx 文件'),
  damaged: () => unsupported('import-file-unreadable', '无法读取该 Excel 文件：文件已损坏或不完整。请在 Excel 中打开它，另存为 .xlsx 后重新上传'),
  unreadable: () => unsupported('import-file-unreadable', '无法读取该 Excel 文件：文件已损坏或不是有效的 .xlsx。请在 Excel 中打开它，另存为 .xlsx 后重新上传'),
  wrongType: (what: string) => unsupported('import-file-type', `${what}，不是 Excel 文件（.xlsx）。请上传填写好的分班表`),
  noSheet: () => invalid([{ field: 'file', code: 'import-layout', message: '文件中没有工作表' }], '文件中没有可读取的工作表，未导入任何数据'),
  bombAdvice: '请重新填写分班表后上传',
};

const text = (value: unknown): string => halfWidth(String(value ?? '')).trim();

export class ImportClassAssignments extends Command<AssignmentImportOutcome> {
  constructor(readonly principal: Principal, readonly file: Buffer, readonly fileName: string | null, readonly context: CommandContext) {
    super();
  }
}

/**
 * 分班模板导入: a sheet of (学籍号 or 身份证件号, 班级名称) rows, the header row first. Every row is
 * checked and reported (row, column, value, reason) like the record import's validation log;
 * each good row is an assignment of its own (the same command as 分班, so one class per child
 * holds), and a bad row does not stop the others. The outcome is then stored as a batch
 * (ClassAssignmentsImported) so the registrar can list the uploads and download the log later.
 */
@CommandHandler(ImportClassAssignments)
export class ImportClassAssignmentsHandler implements ICommandHandler<ImportClassAssignments> {
  constructor(
    private readonly bus: CommandBus,
    private readonly commands: CommandPath,
    private readonly register: RecordRegister,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, file, fileName, context }: ImportClassAssignments): Promise<AssignmentImportOutcome> {
    const institutionCode = requireRegistrar(principal, '分班模板导入');
    const rows: Array<{ row: number; key: string; className: string }> = [];
    let header: { key: number; cls: number } | null = null;
    for await (const batch of readXlsxRowBatches(file, { refusals: REFUSALS })) {
      for (const { row, cells } of batch) {
        if (cells.every((c) => text(c) === '')) continue;
        if (!header) {
          const key = cells.findIndex((c) => KEY_HEADER.test(text(c)));
          const cls = cells.findIndex((c) => CLASS_HEADER.test(text(c)));
          if (key < 0 || cls < 0) throw invalid([{ field: 'file', code: 'import-layout', message: `第 ${row} 行应为表头：“学籍号或身份证件号”“班级名称”` }], '分班表的表头不对：第一行须有“学籍号或身份证件号”和“班级名称”两列，未导入任何数据');
          header = { key, cls };
          continue;
        }
        rows.push({ row, key: text(cells[header.key]).toUpperCase(), className: text(cells[header.cls]) });
        if (rows.length > MAX_ROWS) throw invalid([{ field: 'file', code: 'import-too-many-rows', message: `最多 ${MAX_ROWS} 行` }], `分班表最多 ${MAX_ROWS} 行，请分成几个文件导入`);
      }
    }
    if (!header) throw invalid([{ field: 'file', code: 'import-layout', message: '文件是空表' }], '分班表中没有数据，未导入任何内容');
    const classes = new Map<string, string[]>();
    for (const c of await findAll(this.reads, CLASSES, { institutionCode })) classes.set(String(c['name']), [...(classes.get(String(c['name'])) ?? []), c.id]);

    const issues: AssignmentIssue[] = [];
    const keyColumn = columnLetter(header.key);
    const classColumn = columnLetter(header.cls);
    let placed = 0;
    let unchanged = 0;
    let position = 0;
    for (const { row, key, className } of rows) {
      // a typed value is kept in the log as typed, cut to what a log cell shows
      const issue = (column: string, value: string, code: string, reason: string) => issues.push({ row, column, value: value.slice(0, 200), code, reason });
      if (!key) { issue(keyColumn, '', 'key-required', '请填写学籍号或身份证件号'); continue; }
      const ids = classes.get(className) ?? [];
      if (!className) { issue(classColumn, '', 'class-required', '请填写班级名称'); continue; }
      if (ids.length === 0) { issue(classColumn, className, 'class-unknown', `本园没有名为“${className}”的班级，请先新建班级或改正名称`); continue; }
      if (ids.length > 1) { issue(classColumn, className, 'class-ambiguous', `本园有 ${ids.length} 个名为“${className}”的班级，请先改名使其唯一`); continue; }
      const facts = await this.register.byNumber(/^[GJ]/.test(key) ? key : `G${key}`);
      if (!facts || facts.institutionCode !== institutionCode) { issue(keyColumn, key, 'record-unknown', '本园没有该学籍号（或身份证件号）的在园幼儿'); continue; }
      const summary: PlacementSummary = await this.bus.execute(new PlaceChildren(principal, ids[0]!, [facts.recordId], false, context));
      const result = summary.results[0]!;
      position = Math.max(position, summary.position);
      if (result.outcome === 'refused') issue(keyColumn, key, result.code ?? 'refused', result.message ?? '');
      else if (result.outcome === 'placed') placed++;
      else unchanged++;
    }
    const batchId = randomUUID();
    const counts: AssignmentImportCounts = { rows: rows.length, placed, unchanged, failed: issues.length };
    const stored = await this.commands.start({
      streamId: assignmentImportStream(batchId),
      decider: assignmentImportDecider,
      command: { type: 'RecordAssignmentImport', batchId, institutionCode, fileName, ...counts, issues, at: isoNow(this.clock) },
      context,
    });
    return { batchId, ...counts, issues: [...issues].sort((a, b) => a.row - b.row), position: Math.max(position, stored.position) };
  }
}
