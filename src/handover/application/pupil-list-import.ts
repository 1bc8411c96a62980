import { createHash, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { type ImportIssue, type KeyField, KEY_COLUMNS, keyColumnForHeader, parseKeyRow } from '../../records/contracts/index.js';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { type FieldError, refused, tooLarge, unsupported } from '../../shared/domain/domain-error.js';
import { type XlsxRefusals, columnLetter, readXlsxRowBatches } from '../../shared/spreadsheets/index.js';
import { CLOCK, type Clock, isoNow } from '../../shared/time/clock.js';
import { type NewEntry, pupilListDecider, pupilListStream } from '../domain/pupil-list.decider.js';
import type { Pupil } from '../domain/pupil.js';
import { requireSchool } from './handover-access.js';
import { PupilMatcher } from './pupil-matcher.js';

export const PUPIL_SHEET = '新生名单';
/**
 * A list is stored as one event: 2,000 rows (about 0.7 MB) keep it well under EventStoreDB's
 * default 1 MiB append; a school with more new pupils uploads them in several lists.
 */
export const PUPIL_LIST_MAX_ROWS = 2000;

export interface PupilListImportOutcome {
  listId: string;
  rows: number;
  imported: number;
  failed: number;
  counts: { matched: number; 'to-confirm': number; 'not-found': number };
  issues: ImportIssue[];
  revision: number;
  position: number;
}

const layout = (message: string, errors: FieldError[] = []) => refused('validation', 'pupil-list-layout', message, errors);

/** How the pupil-list upload refuses a file it cannot read (the template import's words, its own codes). */
const REFUSALS: XlsxRefusals = {
  empty: () => refused('validation', 'pupil-list-file-empty', '上传的文件是空的（0 字节），请选择填写好的新生名单（.xlsx）'),
  damaged: (detail?: string) => unsupported('pupil-list-file-unreadable', `无法读取该 Excel 文件：文件已损坏或不完整${detail ? `（${detail}）` : ''}。请在 Excel 中打开它，另存为 .xlsx 后重新上传`),
  unreadable: () => unsupported('pupil-list-file-unreadable', '无法读取该 Excel 文件：文件已损坏或不是有效的 .xlsx。请在 Excel 中打开它，另存为 .xlsx 后重新上传'),
  wrongType: (what: string) => unsupported('pupil-list-file-type', `只接受 Excel .xlsx 文件（请用本系统下载的新生名单模板填写）：${what}`),
  noSheet: () => layout(`文件中没有可读取的工作表“${PUPIL_SHEET}”，未导入任何数据`),
  bombAdvice: '请用本系统下载的新生名单模板重新填写后上传',
};

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && !/\S/.test(v));

/** The key columns of the header row; an unknown or missing column refuses the whole file, naming it. */
function headerOf(cells: unknown[], row: number): Map<number, KeyField> {
  const columns = new Map<number, KeyField>();
  const errors: FieldError[] = [];
  cells.forEach((cell, index) => {
    if (blank(cell)) return;
    const key = keyColumnForHeader(cell);
    if (!key) errors.push({ field: `第 ${row} 行，${columnLetter(index)} 列`, code: 'unknown-column', message: `无法识别 ${columnLetter(index)} 列的列名“${String(cell).trim()}”：新生名单只有姓名、性别、出生日期、身份证件类型、身份证件号码五列`, value: String(cell) });
    else if ([...columns.values()].includes(key)) errors.push({ field: `第 ${row} 行，${columnLetter(index)} 列`, code: 'duplicate-column', message: `${columnLetter(index)} 列“${String(cell).trim()}”重复，请删除其中一列`, value: String(cell) });
    else columns.set(index, key);
  });
  for (const c of KEY_COLUMNS) {
    if (c.required && ![...columns.values()].includes(c.key)) errors.push({ field: `第 ${row} 行`, code: 'missing-column', message: `缺少必填的列“${c.header}”：请使用本系统下载的新生名单模板`, value: c.header });
  }
  if (errors.length > 0) throw layout(`第 ${row} 行的列名与新生名单模板不符，未导入任何数据。请按提示修改列名，或重新下载模板填写`, errors);
  return columns;
}

export class ImportPupilList extends Command<PupilListImportOutcome> {
  constructor(readonly principal: Principal, readonly file: Buffer, readonly fileName: string | null, readonly context: CommandContext) {
    super();
  }
}

/**
 * 学前调档名单导入 (issue 16, item 2): the school's list of new pupils, five columns. The file is
 * read whole first (refused whole for a layout it cannot place); every row is parsed and
 * validated as the record import does (records' parseKeyRow) and a bad row goes to the
 * validation log naming row, column, value and reason; a pupil listed twice is logged on the
 * second row. The good rows are matched at once (index lookups) and the list is stored as one
 * event: all of it, or nothing.
 */
@CommandHandler(ImportPupilList)
export class ImportPupilListHandler implements ICommandHandler<ImportPupilList> {
  constructor(
    private readonly commands: CommandPath,
    private readonly matcher: PupilMatcher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal, file, fileName, context }: ImportPupilList): Promise<PupilListImportOutcome> {
    const schoolCode = requireSchool(principal);
    const divisionCode = principal.divisionCode;
    const at = isoNow(this.clock);
    const issues: ImportIssue[] = [];
    const good: Array<{ row: number; pupil: Pupil }> = [];
    const seen = new Map<string, number>();
    let header: Map<number, KeyField> | undefined;
    let rows = 0;
    for await (const batch of readXlsxRowBatches(file, { sheet: PUPIL_SHEET, refusals: REFUSALS })) {
      for (const { row, cells } of batch) {
        if (cells.every(blank)) continue;
        if (!header) {
          header = headerOf(cells, row);
          continue;
        }
        if (++rows > PUPIL_LIST_MAX_ROWS) throw tooLarge('pupil-list-too-many-rows', `新生名单超过 ${PUPIL_LIST_MAX_ROWS} 行，请拆分成多个文件后分批导入`);
        const values: Partial<Record<KeyField, unknown>> = {};
        for (const [index, key] of header) values[key] = cells[index];
        const parsed = parseKeyRow(row, values, at);
        if (!parsed.ok) {
          issues.push(...parsed.issues);
          continue;
        }
        const same = `${parsed.key.idNumber ?? ''}|${parsed.key.idNumber ? '' : `${parsed.key.name}|${parsed.key.gender}|${parsed.key.birthDate}`}`;
        const earlier = seen.get(same);
        if (earlier !== undefined) {
          const column = parsed.key.idNumber ? '身份证件号码' : '姓名';
          issues.push({ row, column, value: parsed.key.idNumber ?? parsed.key.name, code: 'pupil-listed-twice', reason: `与第 ${earlier} 行是同一名学生，未重复导入` });
          continue;
        }
        seen.set(same, row);
        good.push({ row, pupil: parsed.key });
      }
    }
    if (!header) throw layout(`工作表“${PUPIL_SHEET}”是空的（没有列名行），未导入任何数据。请用本系统下载的新生名单模板填写后上传`);
    if (rows === 0) throw refused('validation', 'pupil-list-empty', '新生名单中没有学生（只有列名行），未导入任何数据');

    const matches = await this.matcher.match(good.map((g) => g.pupil));
    const entries: NewEntry[] = good.map((g, i) => ({ entryId: randomUUID(), row: g.row, pupil: g.pupil, match: matches[i]! }));
    const listId = randomUUID();
    const fileSha256 = createHash('sha256').update(file).digest('hex');
    issues.sort((a, b) => a.row - b.row);
    const outcome = await this.commands.run({
      streamId: pupilListStream(listId),
      decider: pupilListDecider,
      command: { type: 'ImportPupilList', listId, schoolCode, divisionCode, fileName, fileSha256, rows, issues, entries, at },
      context,
    });
    const counts = { matched: 0, 'to-confirm': 0, 'not-found': 0 };
    for (const e of entries) counts[e.match.outcome]++;
    return { listId, rows, imported: entries.length, failed: new Set(issues.map((i) => i.row)).size, counts, issues, revision: outcome.revision, position: outcome.position };
  }
}
