import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AccountNames, type Principal } from '../../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../../organisation/contracts/index.js';
import { CommandPath } from '../../../shared/command/command-path.js';
import { fold } from '../../../shared/domain/decider.js';
import { invalid, notFound } from '../../../shared/domain/domain-error.js';
import type { RecordedEvent } from '../../../shared/event-store/event-store.port.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import type { Doc, Filter, Page, ReadStore } from '../../../shared/read-store/read-store.port.js';
import { normaliseIdNumber } from '../../domain/id-number.js';
import { type RecordEvent, recordDecider, recordStream } from '../../domain/record.decider.js';
import { RECORD_NOT_FOUND, mayRead, maySeeIdNumbers, recordScope } from '../record-access.js';
import { RECORDS } from '../record-reads.js';
import { historyEntry, maskPersonal } from './record-view.js';
import { personalDataShown } from '../../../shared/personal-data/read-audit.js';

export interface RecordSearch {
  status?: string;
  name?: string;
  idNumber?: string;
  recordNumber?: string;
  institutionCode?: string;
  classId?: string;
  importBatchId?: string;
  /** in: in the kindergarten (numbered); left: left or cancelled */
  presence?: string;
}

export class FindRecords extends Query<Page<Doc>> {
  constructor(readonly principal: Principal, readonly search: RecordSearch, readonly order: 'oldest' | 'newest', readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/** Queues and the search of every level: the caller's scope AND the search, masked unless entitled. */
@QueryHandler(FindRecords)
export class FindRecordsHandler implements IQueryHandler<FindRecords> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly directory: InstitutionDirectory) {}

  async execute({ principal, search, order, limit, cursor }: FindRecords): Promise<Page<Doc>> {
    const filter: Filter = { ...searchFilter(search), ...recordScope(principal) };
    const page = await this.reads.find<Doc>(RECORDS, filter, { sort: [['updatedAt', order === 'oldest' ? 'asc' : 'desc']], limit, ...(cursor ? { cursor } : {}) });
    const seeAll = maySeeIdNumbers(principal);
    if (seeAll) personalDataShown(page.items.map(subjectOf));
    // the kindergarten's name beside its code, the whole page in one read (issue 22, item 3)
    const names = await this.directory.names(page.items.map((doc) => String(doc['institutionCode'])));
    return {
      nextCursor: page.nextCursor,
      items: page.items.map(({ _pos, presenceKey, ...doc }) => {
        const named = { ...doc, institutionName: names.get(String(doc['institutionCode'])) ?? null };
        return (seeAll ? named : maskPersonal(named)) as Doc;
      }),
    };
  }
}

/** The read-audit subject of a records read-model document. */
const subjectOf = (doc: Doc) => ({ recordId: doc.id, institutionCode: String(doc['institutionCode']), divisionCode: String(doc['divisionCode']) });

function searchFilter(search: RecordSearch): Filter {
  const filter: Filter = {};
  if (search.status) filter['status'] = search.status;
  // a name search matches from the start: "王" finds 王小明 and 王晓明
  if (search.name) filter['name'] = { $prefix: search.name.trim() };
  if (search.idNumber) filter['idNumber'] = normaliseIdNumber(search.idNumber);
  if (search.recordNumber) filter['recordNumber'] = normaliseIdNumber(search.recordNumber);
  if (search.institutionCode) filter['institutionCode'] = search.institutionCode;
  if (search.classId) filter['classId'] = search.classId;
  if (search.importBatchId) filter['importBatchId'] = search.importBatchId;
  if (search.presence === 'in') filter['status'] = 'numbered';
  if (search.presence === 'left') filter['status'] = { $in: ['left', 'cancelled'] };
  return filter;
}

async function readableHistory(commands: CommandPath, principal: Principal, recordId: string): Promise<RecordedEvent[]> {
  const events = await commands.history(recordStream(recordId));
  const state = fold(recordDecider, events.map((e) => ({ type: e.type, data: e.data }) as RecordEvent));
  // a deleted record keeps its history for those who could see it; who may see it follows the current state
  const visible = state.status === 'deleted' ? fold(recordDecider, events.filter((e) => e.type !== 'RecordDeleted').map((e) => ({ type: e.type, data: e.data }) as RecordEvent)) : state;
  if (events.length === 0 || !mayRead(principal, visible)) throw notFound('record-not-found', RECORD_NOT_FOUND);
  return events;
}

export class GetRecord extends Query<Record<string, unknown>> {
  constructor(readonly principal: Principal, readonly recordId: string, readonly asOf: string | undefined) {
    super();
  }
}

/** The record from its own stream (always current), or as it stood at `asOf`. */
@QueryHandler(GetRecord)
export class GetRecordHandler implements IQueryHandler<GetRecord> {
  constructor(private readonly commands: CommandPath, private readonly directory: InstitutionDirectory) {}

  async execute({ principal, recordId, asOf }: GetRecord): Promise<Record<string, unknown>> {
    let events = await readableHistory(this.commands, principal, recordId);
    if (asOf !== undefined) {
      const at = Date.parse(asOf);
      if (Number.isNaN(at)) throw invalid([{ field: 'asOf', code: 'as-of-invalid', message: 'asOf 应为 ISO 8601 时间，例如 2026-09-05T10:00:00+08:00', value: asOf }]);
      events = events.filter((e) => Date.parse(e.metadata.occurredAt) <= at);
      if (events.length === 0) throw notFound('record-not-yet', `该时间（${asOf}）该学籍记录尚未创建`);
    }
    const state = fold(recordDecider, events.map((e) => (e.metadata.reason !== undefined ? { type: e.type, data: e.data, reason: e.metadata.reason } : { type: e.type, data: e.data }) as RecordEvent));
    const last = events[events.length - 1]!;
    const rejection = [...events].reverse().find((e) => e.type === 'RecordRejected');
    const view = {
      id: recordId,
      status: state.status,
      institutionCode: state.institutionCode,
      institutionName: (await this.directory.names([state.institutionCode])).get(state.institutionCode) ?? null,
      divisionCode: state.divisionCode,
      recordNumber: state.recordNumber,
      caseId: state.caseId,
      child: state.child,
      importRef: state.importRef,
      rejectReason: state.status === 'rejected' ? (rejection?.metadata.reason ?? null) : null,
      handedOver: state.handedOver && { schoolCode: state.handedOver.schoolCode, schoolName: state.handedOver.schoolName, at: state.handedOver.at },
      revision: last.revision,
      asOf: asOf ?? null,
      updatedAt: last.metadata.occurredAt,
    };
    if (!maySeeIdNumbers(principal)) return maskPersonal(view);
    personalDataShown([{ recordId, institutionCode: state.institutionCode, divisionCode: state.divisionCode }]);
    return view;
  }
}

export class GetRecordHistory extends Query<{ recordId: string; items: ReturnType<typeof historyEntry>[] }> {
  constructor(readonly principal: Principal, readonly recordId: string) {
    super();
  }
}

/** Every event of the record with actor, time and reason (auditors, arbitration). */
@QueryHandler(GetRecordHistory)
export class GetRecordHistoryHandler implements IQueryHandler<GetRecordHistory> {
  constructor(private readonly commands: CommandPath, private readonly names: AccountNames) {}

  async execute({ principal, recordId }: GetRecordHistory) {
    const events = await readableHistory(this.commands, principal, recordId);
    const seeAll = maySeeIdNumbers(principal);
    const saved = events.find((e) => e.type === 'RecordSaved');
    if (seeAll && saved) personalDataShown([{ recordId, institutionCode: String(saved.data['institutionCode']), divisionCode: String(saved.data['divisionCode']) }]);
    return { recordId, items: await this.names.name(events.map((e) => historyEntry(e, seeAll))) };
  }
}

export const RECORD_QUERY_HANDLERS = [FindRecordsHandler, GetRecordHandler, GetRecordHistoryHandler];
