import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { RecordRegister } from '../../../records/contracts/index.js';
import type { CommandContext } from '../../../shared/command/command-path.js';
import { invalid, refused, unsupported } from '../../../shared/domain/domain-error.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import { type ReadStore, findAll } from '../../../shared/read-store/read-store.port.js';
import { type XlsxRefusals, columnLetter, halfWidth, readXlsxRowBatches } from '../../../shared/spreadsheets/index.js';
import { CLOCK, type Clock, isoNow } from '../../../shared/time/clock.js';
import { type AssignmentImportCounts, type AssignmentIssue, type ImportedPlacement, assignmentImportDecider, assignmentImportStream } from '../../domain/assignment-import.decider.js';
import { type ClassState, classDecider, classStream } from '../../domain/class.decider.js';
import { placementDecider, placementStream } from '../../domain/placement.decider.js';
import { CLASSES } from '../../projections/enrolment.projection.js';
import { requireRegistrar } from '../class-access.js';
import { Reconciliation } from '../reconciliation.js';
import { type Loader, type StreamStep, Together } from '../together.js';

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
 * checked and reported (row, column, value, reason) like the record import's validation log, and
 * a bad row does not stop the others. The batch (ClassAssignmentsImported: counts, log, the
 * placements) and every placement it makes are one write (Together: one transaction on the
 * embedded store), each placement against its stream's revision, so a crash leaves all of it or
 * none and one class per child holds against concurrent assignments (ADR 0018).
 */
@CommandHandler(ImportClassAssignments)
export class ImportClassAssignmentsHandler implements ICommandHandler<ImportClassAssignments> {
  constructor(
    private readonly together: Together,
    private readonly reconciliation: Reconciliation,
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
    const wanted: WantedRow[] = [];
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
      if (facts.status !== 'numbered') { issue(keyColumn, key, 'record-not-in-kindergarten', '只有审核通过、在园的幼儿可以分班：请先办理审核或恢复'); continue; }
      wanted.push({ row, key, recordId: facts.recordId, classId: ids[0]!, className });
    }
    const batchId = randomUUID();
    const at = isoNow(this.clock);
    let counts: AssignmentImportCounts = { rows: rows.length, placed: 0, unchanged: 0, failed: issues.length };
    let logged: AssignmentIssue[] = issues;
    // the batch and all its placements in one write, decided on fresh states (ADR 0018)
    const outcomes = await this.together.write(context, async (load) => {
      const decided = await decideRows(wanted, { key: keyColumn, cls: classColumn }, load);
      logged = [...issues, ...decided.issues];
      counts = { rows: rows.length, placed: decided.placements.length, unchanged: decided.unchanged, failed: logged.length };
      const batch: StreamStep = {
        streamId: assignmentImportStream(batchId), decider: assignmentImportDecider,
        command: { type: 'RecordAssignmentImport', batchId, institutionCode, fileName, ...counts, issues: logged, placements: decided.placements, at },
      };
      return [batch, ...placementSteps(decided.placements, decided.classes, institutionCode, at)];
    }, () => this.reconciliation.importBatch(batchId, context));
    return { batchId, ...counts, issues: [...logged].sort((a, b) => a.row - b.row), position: Math.max(0, ...outcomes.map((o) => o.position)) };
  }
}

interface WantedRow {
  row: number;
  key: string;
  recordId: string;
  classId: string;
  className: string;
}

interface DecidedRows {
  issues: AssignmentIssue[];
  placements: ImportedPlacement[];
  unchanged: number;
  classes: Map<string, ClassState>;
}

/** The rows that passed the sheet's checks, decided on the classes' and placements' current states. */
async function decideRows(wanted: WantedRow[], columns: { key: string; cls: string }, load: Loader): Promise<DecidedRows> {
  const classes = new Map<string, ClassState>();
  for (const classId of new Set(wanted.map((w) => w.classId))) classes.set(classId, await load(classStream(classId), classDecider));
  const issues: AssignmentIssue[] = [];
  const placements: ImportedPlacement[] = [];
  const seen = new Map<string, WantedRow>();
  let unchanged = 0;
  for (const w of wanted) {
    const issue = (column: string, value: string, code: string, reason: string) => issues.push({ row: w.row, column, value: value.slice(0, 200), code, reason });
    const first = seen.get(w.recordId);
    if (first) {
      if (first.classId === w.classId) unchanged++;
      else issue(columns.key, w.key, 'child-twice', `该幼儿在第 ${first.row} 行已分到${first.className}：每名幼儿只能分到一个班级，请删去其中一行`);
      continue;
    }
    seen.set(w.recordId, w);
    const cls = classes.get(w.classId)!;
    if (cls.status !== 'active') { issue(columns.cls, w.className, 'class-unknown', `本园没有名为“${w.className}”的班级，请先新建班级或改正名称`); continue; }
    if (cls.graduating) { issue(columns.cls, w.className, 'class-graduating', `${w.className}的毕业离园正在办理中，请办结后再导入该行`); continue; }
    const placement = await load(placementStream(w.recordId), placementDecider);
    if (placement.classId === w.classId) { unchanged++; continue; }
    if (placement.classId) { issue(columns.key, w.key, 'child-already-in-class', `该幼儿已在其他班级，不能再分到${w.className}：如需换班请办理调班`); continue; }
    placements.push({ recordId: w.recordId, classId: w.classId });
  }
  return { issues, placements, unchanged, classes };
}

/** Each child's reservation, then each class taking its children in (ChildrenJoinedClass, as 分班). */
function placementSteps(placements: ImportedPlacement[], classes: Map<string, ClassState>, institutionCode: string, at: string): StreamStep[] {
  const joining = new Map<string, string[]>();
  const steps: StreamStep[] = placements.map(({ recordId, classId }) => {
    joining.set(classId, [...(joining.get(classId) ?? []), recordId]);
    return { streamId: placementStream(recordId), decider: placementDecider, command: { type: 'Place', recordId, institutionCode, classId, move: false, className: classes.get(classId)!.name, at } };
  });
  for (const [classId, recordIds] of joining) steps.push({ streamId: classStream(classId), decider: classDecider, command: { type: 'JoinClass', recordIds, how: 'assigned', at } });
  return steps;
}
