import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AccountNames, type Principal } from '../../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../../organisation/contracts/index.js';
import { CommandPath } from '../../../shared/command/command-path.js';
import { notFound } from '../../../shared/domain/domain-error.js';
import { FILE_STORE, type FileStore } from '../../../shared/files/file-store.port.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import { CLOCK, type Clock } from '../../../shared/time/clock.js';
import { physicalCollection } from '../../../shared/projections/projection-definition.js';
import { type Doc, type Filter, type Page, type ReadStore, findAll } from '../../../shared/read-store/read-store.port.js';
import { ENTRY_STATUS_LABEL, type DuplicateCaseState, type EntryState, type EntryStatus, duplicateCaseDecider, duplicateCaseStream } from '../../domain/duplicate-case.decider.js';
import { STATUS_LABEL, recordDecider, recordStream } from '../../domain/record.decider.js';
import { duplicateCasesProjection, type WaitingFor } from '../../projections/duplicate-cases.projection.js';
import { CASE_NOT_FOUND, isArbitrator, isOwnEntry, officeScope, requireInvolved, seesEvidence, seesHistories, seesInFull } from './case-access.js';
import { requireInstitutionRole } from '../record-access.js';
import { historyEntry, maskPersonal } from '../queries/record-view.js';
import { personalDataShown } from '../../../shared/personal-data/read-audit.js';

export const CASE_ENTRIES = physicalCollection(duplicateCasesProjection, 'entries');
export const ARBITRATIONS = physicalCollection(duplicateCasesProjection, 'arbitrations');

const WAITING_LABEL: Record<WaitingFor, string> = {
  institution: '等待幼儿园处理（删除、更正或提交佐证）', 'county-review': '等待区县审核佐证材料', 'other-entries': '等待其他记录处理完毕', arbitration: '等待上级仲裁',
};
const CASE_STATUS_LABEL = { none: '不存在', open: '处理中', arbitration: '仲裁中', resolved: '已处理完毕' } as const;
const LEVEL_LABEL = { county: '区县', prefecture: '地市', province: '省级' } as const;

/** How long an item has waited, from its waitingSince to `now` (the clock's, in ms): elapsed time, not calendar days. */
export function waited(since: string | null, now: number): { waitedHours: number; waitedDays: number } | null {
  if (!since) return null;
  const hours = Math.max(0, Math.floor((now - Date.parse(since)) / 3_600_000));
  return { waitedHours: hours, waitedDays: Math.floor(hours / 24) };
}

export class GetCase extends Query<Record<string, unknown>> {
  constructor(readonly principal: Principal, readonly caseId: string) {
    super();
  }
}

/**
 * One case, read from its stream (always current): every entry with its institution, its
 * record as it stands, its evidence and review, what it waits for and since when; the
 * arbitration with the proposal. Offices (arbitrators, auditors) also get each entry's whole
 * record history. Personal data is masked unless the caller is entitled (case-access.ts).
 */
@QueryHandler(GetCase)
export class GetCaseHandler implements IQueryHandler<GetCase> {
  constructor(private readonly commands: CommandPath, private readonly directory: InstitutionDirectory, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, caseId }: GetCase) {
    const now = this.clock.now().getTime();
    const { state, revision } = await this.commands.load(duplicateCaseStream(caseId), duplicateCaseDecider);
    requireInvolved(principal, state);
    const entries = await Promise.all(state.entries.map((e) => this.entryView(principal, state, caseId, e, now)));
    const arbitration = state.arbitration && {
      ...state.arbitration,
      levelLabel: LEVEL_LABEL[state.arbitration.level],
      rule: '系统建议：先录入系统的记录有效',
      youArbitrate: state.status === 'arbitration' && isArbitrator(principal, state) && principal.role !== 'leader',
      ...waited(state.status === 'arbitration' ? state.arbitration.requestedAt : null, now),
    };
    return { id: caseId, status: state.status, statusLabel: CASE_STATUS_LABEL[state.status], openedAt: state.openedAt, revision, entries, arbitration, resolution: state.resolution };
  }

  private async entryView(principal: Principal, state: DuplicateCaseState, caseId: string, e: EntryState, now: number) {
    const full = seesInFull(principal, state, e);
    const { state: record, events } = await this.commands.loadWithHistory(recordStream(e.entry.recordId), recordDecider);
    const institution = await this.directory.institution(e.entry.institutionCode);
    const active = ['unhandled', 'evidence-filed', 'evidence-passed', 'evidence-failed'].includes(e.status);
    const view = {
      ...e.entry,
      institutionName: institution?.name ?? null,
      own: isOwnEntry(principal, e),
      status: e.status,
      statusLabel: ENTRY_STATUS_LABEL[e.status],
      since: e.since,
      ...(active ? waited(e.since, now) : null),
      record: { status: record.status, statusLabel: STATUS_LABEL[record.status], recordNumber: record.recordNumber, child: record.child },
      evidence: e.evidence && (seesEvidence(principal, e)
        ? { reason: e.evidence.reason, filedAt: e.evidence.filedAt, files: e.evidence.files.map((f) => ({ ...f, url: `/api/v1/duplicate-cases/${caseId}/evidence/${f.sha256}` })) }
        : { filedAt: e.evidence.filedAt, files: e.evidence.files.length }),
      review: e.review,
      ...(seesHistories(principal) ? { history: events.map((event) => historyEntry(event, full)) } : {}),
    };
    if (!full) return maskPersonal(view);
    personalDataShown([{ recordId: e.entry.recordId, institutionCode: e.entry.institutionCode, divisionCode: e.entry.divisionCode }]);
    return view;
  }
}

export class GetCaseHistory extends Query<{ caseId: string; items: unknown[] }> {
  constructor(readonly principal: Principal, readonly caseId: string) {
    super();
  }
}

const CASE_EVENT_LABELS: Record<string, string> = {
  DuplicateCaseOpened: '省内查重发现重复，立案', DuplicateEntryJoined: '新的重复记录加入', EvidenceFiled: '幼儿园提交佐证材料', EvidenceAccepted: '区县审核佐证：通过',
  EvidenceRejected: '区县审核佐证：不通过', DuplicateEntryWithdrawn: '幼儿园删除或更正记录，退出案件', DuplicateEntryForceDeleted: '区县强制删除',
  ArbitrationRequested: '提交最低共同上级仲裁', ArbitrationCancelled: '有新记录加入，仲裁暂停', ArbitrationDecided: '仲裁决定', DuplicateCaseResolved: '案件处理完毕', DuplicateCaseRekeyed: '查重键改用带密钥的散列（系统迁移）',
};

/** The case's whole timeline: who filed, reviewed, arbitrated, when and why (everyone involved, auditors). */
@QueryHandler(GetCaseHistory)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistory> {
  constructor(private readonly commands: CommandPath, private readonly names: AccountNames) {}

  async execute({ principal, caseId }: GetCaseHistory) {
    const { state, events } = await this.commands.loadWithHistory(duplicateCaseStream(caseId), duplicateCaseDecider);
    requireInvolved(principal, state);
    // case events carry no ID numbers or addresses: nothing to mask
    return { caseId, items: await this.names.name(events.map((event) => historyEntry(event, true, CASE_EVENT_LABELS))) };
  }
}

export class GetEvidenceFile extends Query<{ bytes: Buffer; contentType: string; fileName: string }> {
  constructor(readonly principal: Principal, readonly caseId: string, readonly sha256: string) {
    super();
  }
}

/** An evidence file of the case, to its institution and the offices above the entry only. */
@QueryHandler(GetEvidenceFile)
export class GetEvidenceFileHandler implements IQueryHandler<GetEvidenceFile> {
  constructor(private readonly commands: CommandPath, @Inject(FILE_STORE) private readonly files: FileStore) {}

  async execute({ principal, caseId, sha256 }: GetEvidenceFile) {
    const { state, events } = await this.commands.loadWithHistory(duplicateCaseStream(caseId), duplicateCaseDecider);
    requireInvolved(principal, state);
    // every file ever filed in the case (a refiling keeps the earlier ones in the record)
    for (const event of events) {
      if (event.type !== 'EvidenceFiled') continue;
      const file = (event.data['files'] as Array<{ sha256: string; contentType: string; fileName: string }>).find((f) => f.sha256 === sha256);
      const entry = state.entries.find((e) => e.entry.recordId === event.data['recordId']);
      if (!file || !entry || !seesEvidence(principal, entry)) continue;
      // the copy of the child it was filed for: erasing another child of the case leaves it readable (ADR 23)
      const bytes = await this.files.read(sha256, String(event.data['recordId']));
      if (bytes) return { bytes, contentType: file.contentType, fileName: file.fileName };
    }
    throw notFound('evidence-not-found', '佐证材料不存在或您无权查看');
  }
}

export type CaseQueue = 'waiting' | 'evidence-to-review' | 'unhandled' | 'arbitrations';

export class GetCaseQueue extends Query<Page<Doc>> {
  constructor(readonly principal: Principal, readonly queue: CaseQueue, readonly limit: number, readonly cursor: string | undefined, readonly olderThanDays?: number) {
    super();
  }
}

/**
 * The queues, oldest first, each item with how long it has waited:
 * - waiting (an institution): its entries in open cases and what each waits for;
 * - evidence-to-review (a county; above: its division): evidence filed and not yet reviewed;
 * - unhandled (a county; above: its division): entries whose institution has not acted (or must act again);
 * - arbitrations (county, prefecture or province): the arbitrations asked of the caller's own office.
 */
@QueryHandler(GetCaseQueue)
export class GetCaseQueueHandler implements IQueryHandler<GetCaseQueue> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, @Inject(CLOCK) private readonly clock: Clock, private readonly directory: InstitutionDirectory) {}

  async execute({ principal, queue, limit, cursor, olderThanDays }: GetCaseQueue): Promise<Page<Doc>> {
    const page = (collection: string, filter: Filter, sort: string) => this.reads.find<Doc>(collection, filter, { sort: [[sort, 'asc']], limit, ...(cursor ? { cursor } : {}) });
    const now = this.clock.now().getTime();
    if (queue === 'arbitrations') {
      const office = officeScope(principal) && principal;
      const found = await page(ARBITRATIONS, { level: office.level, divisionCode: office.divisionCode, status: 'pending' }, 'requestedAt');
      const entries = await this.entriesOf(found.items.map((a) => String(a['caseId'])));
      return { nextCursor: found.nextCursor, items: found.items.map(({ _pos, ...a }) => ({ ...a, entries: entries.get(String(a['caseId'])) ?? [], ...waited(String(a['requestedAt']), now) }) as Doc) };
    }
    let filter: Filter;
    if (queue === 'waiting') {
      const institutionCode = requireInstitutionRole(principal, ['business', 'review'], '查看本园问题学籍');
      filter = { institutionCode, active: true };
    } else {
      filter = { ...officeScope(principal), waitingFor: queue === 'evidence-to-review' ? 'county-review' : 'institution' };
      if (olderThanDays !== undefined) filter['waitingSince'] = { $lte: new Date(now - olderThanDays * 86_400_000).toISOString() };
    }
    const found = await page(CASE_ENTRIES, filter, 'waitingSince');
    const names = await this.directory.names(found.items.map((e) => String(e['institutionCode'])));
    return {
      nextCursor: found.nextCursor,
      items: found.items.map(({ _pos, ...e }) => ({
        ...e,
        institutionName: names.get(String(e['institutionCode'])) ?? null,
        statusLabel: ENTRY_STATUS_LABEL[e['status'] as EntryStatus],
        waitingForLabel: WAITING_LABEL[e['waitingFor'] as WaitingFor] ?? null,
        ...waited(e['waitingSince'] as string | null, now),
      }) as Doc),
    };
  }

  /** The entries of these cases, with their kindergartens' names; masked as the case view masks what the arbitrator may not see. */
  private async entriesOf(caseIds: string[]): Promise<Map<string, ArbitrationEntry[]>> {
    const byCase = new Map<string, ArbitrationEntry[]>();
    if (caseIds.length === 0) return byCase;
    const docs = await findAll(this.reads, CASE_ENTRIES, { caseId: { $in: caseIds } });
    const names = await this.directory.names(docs.map((d) => String(d['institutionCode'])));
    for (const d of docs) {
      const entry = maskPersonal({
        recordId: String(d['recordId']), institutionCode: String(d['institutionCode']), institutionName: names.get(String(d['institutionCode'])) ?? null,
        name: String(d['name']), status: String(d['status']), statusLabel: ENTRY_STATUS_LABEL[d['status'] as EntryStatus], enteredAt: d['enteredAt'],
      });
      byCase.set(String(d['caseId']), [...(byCase.get(String(d['caseId'])) ?? []), entry]);
    }
    return byCase;
  }
}

/** What an arbitrator reads of each case in its queue: every entry of the page's cases in one read (issue 22, item 3). */
type ArbitrationEntry = { recordId: string; institutionCode: string; institutionName: string | null; name: string; status: string; statusLabel: string; enteredAt: unknown };

export const DUPLICATE_CASE_QUERY_HANDLERS = [GetCaseHandler, GetCaseHistoryHandler, GetEvidenceFileHandler, GetCaseQueueHandler];
export { CASE_NOT_FOUND };
