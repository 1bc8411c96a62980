import { Inject, Injectable } from '@nestjs/common';
import { CommandPath } from '../../shared/command/command-path.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import type { ReadSubject } from '../../shared/personal-data/read-audit.js';
import { type ReadStore, findEach } from '../../shared/read-store/read-store.port.js';
import type { ChildFields } from '../domain/child.js';
import { lookupCode } from '../domain/code-tables.js';
import { STATUS_LABEL, recordDecider, recordStream } from '../domain/record.decider.js';
import { TEMPLATE_COLUMNS, type TemplateColumn } from '../domain/template-columns.js';
import { maskPersonal } from './queries/record-view.js';
import { RECORDS } from './record-reads.js';

/** The columns of an institution's children export: the record's own, then the template's (the fields the institution entered). */
const RECORD_HEADERS = ['学籍号', '学籍状态', '离园类型', '离园日期'];
const CHILD_COLUMNS = TEMPLATE_COLUMNS.filter((c) => c.key !== 'confirmOverAge');
export const CHILD_EXPORT_HEADERS: readonly string[] = [...RECORD_HEADERS, ...CHILD_COLUMNS.map((c) => c.header)];

const LEAVE_LABEL: Record<string, string> = { 'transfer-out': '转出', graduated: '毕业', suspended: '休学', other: '其他', accident: '发生意外离园' };

/** A coded value as "code-label" (01-汉族): the code for machines, the label for people. */
function cellOf(column: TemplateColumn, child: ChildFields): string {
  const guardian = /^guardian([12])(Name|Relation|IdType|IdNumber|Phone)$/.exec(column.key);
  const raw = guardian
    ? (child.guardians[Number(guardian[1]) - 1]?.[(guardian[2]![0]!.toLowerCase() + guardian[2]!.slice(1)) as 'name'] ?? null)
    : (child[column.key as keyof ChildFields] as string | null);
  if (raw === null || raw === undefined || raw === '') return '';
  const value = String(raw);
  const entry = column.table ? lookupCode(column.table, value) : undefined;
  return entry ? `${entry.code}-${entry.label}` : value;
}

/**
 * An institution's children as its export shows them (issue 17, item 5): every record it holds
 * that is not deleted, with the fields it entered read from the record's own stream, code
 * fields as "code-label", ID numbers, phones and addresses masked unless `masked` is false
 * (the caller decides who is entitled, by the records rule `maySeeIdNumbers`).
 */
@Injectable()
export class ChildrenExport {
  constructor(
    private readonly commands: CommandPath,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  count(institutionCode: string): Promise<number> {
    return this.reads.count(RECORDS, { institutionCode });
  }

  /** `exported`: told each row's record (where it lives), so an unmasked file's reads can be audited at download. */
  async *rows(institutionCode: string, masked: boolean, exported?: (subject: ReadSubject) => void): AsyncGenerator<string[]> {
    for await (const doc of findEach(this.reads, RECORDS, { institutionCode })) {
      const { state } = await this.commands.load(recordStream(doc.id), recordDecider);
      if (!state.child || state.status === 'deleted' || state.institutionCode !== institutionCode) continue;
      exported?.({ recordId: doc.id, institutionCode: state.institutionCode, divisionCode: state.divisionCode });
      const child = masked ? maskPersonal(state.child) : state.child;
      const recordNumber = state.recordNumber && masked ? maskPersonal({ recordNumber: state.recordNumber }).recordNumber : state.recordNumber;
      yield [recordNumber ?? '', STATUS_LABEL[state.status], state.leave ? (LEAVE_LABEL[state.leave.leaveType] ?? state.leave.leaveType) : '', state.leave?.leaveDate ?? '', ...CHILD_COLUMNS.map((c) => cellOf(c, child))];
    }
  }
}
