import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AccountNames, type Principal } from '../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../organisation/contracts/index.js';
import { RecordRegister, maskPersonal } from '../../records/contracts/index.js';
import { CommandPath } from '../../shared/command/command-path.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { personalDataShown } from '../../shared/personal-data/read-audit.js';
import { type Doc, type Filter, type Page, type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import { overdueCandidatesAppliedBefore } from '../domain/transfer-deadline.js';
import { TRANSFER_NOT_FOUND, transferDecider, transferStream } from '../domain/transfer.decider.js';
import { TRANSFERS } from '../projections/transfers.projection.js';
import { maySee, requireReader, requireRegistrar } from './transfer-access.js';
import { TRANSFER_RECORD_NOT_FOUND } from './transfer.handlers.js';
import { TransferViews } from './transfer-views.js';

/** 转入申请前查询: what the applicant needs to know of the child holding a record number, and nothing more. */
export class LookUpChild extends Query<Record<string, unknown>> {
  constructor(readonly principal: Principal, readonly recordNumber: string) {
    super();
  }
}

@QueryHandler(LookUpChild)
export class LookUpChildHandler implements IQueryHandler<LookUpChild> {
  constructor(private readonly register: RecordRegister, private readonly directory: InstitutionDirectory) {}

  async execute({ principal, recordNumber }: LookUpChild) {
    const me = requireRegistrar(principal, '按学籍号查询幼儿');
    const record = await this.register.byNumber(recordNumber);
    // a record of the applicant's own kindergarten is found too (the apply then says it is here already)
    if (!record || ['deleted', 'none'].includes(record.status)) throw notFound('transfer-record-not-found', TRANSFER_RECORD_NOT_FOUND);
    const institutionName = (await this.directory.names([record.institutionCode])).get(record.institutionCode) ?? null;
    const masked = maskPersonal({ idNumber: record.key.idNumber });
    // the full number only for a child of the caller's own kindergarten: a read (the name alone, with a masked number, is not: ADR 22)
    if (record.institutionCode === me) personalDataShown([{ recordId: record.recordId, institutionCode: record.institutionCode, divisionCode: record.divisionCode }]);
    return {
      recordId: record.recordId,
      name: record.key.name,
      idNumber: record.institutionCode === me ? record.key.idNumber : masked.idNumber,
      institutionCode: record.institutionCode,
      institutionName,
      status: record.status,
      leaveType: record.leave?.leaveType ?? null,
    };
  }
}

export type TransferQueue = 'waiting-for-me' | 'waiting-for-them';

/** A kindergarten's queues: what waits for it to act (agree, complete), what it waits for. */
export class ListTransferQueue extends Query<Page<unknown>> {
  constructor(readonly principal: Principal, readonly queue: TransferQueue, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

@QueryHandler(ListTransferQueue)
export class ListTransferQueueHandler implements IQueryHandler<ListTransferQueue> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly views: TransferViews) {}

  async execute({ principal, queue, limit, cursor }: ListTransferQueue) {
    requireReader(principal);
    if (principal.level !== 'institution' || !principal.institutionCode) throw forbidden('institution-only', '调转待办队列属于幼儿园；县（区）请查看调入、调出和超期列表');
    const field = queue === 'waiting-for-me' ? 'awaitingInstitutionCode' : 'waitingInstitutionCode';
    const page = await this.reads.find<Doc>(TRANSFERS, { [field]: principal.institutionCode }, { sort: [['appliedAt', 'asc']], limit, ...(cursor ? { cursor } : {}) });
    return { nextCursor: page.nextCursor, items: await this.views.many(principal, page.items) };
  }
}

/** Moved in (转入) or out (转出) of the caller's jurisdiction: a kindergarten's own, a county's institutions. */
export class ListTransfers extends Query<Page<unknown>> {
  constructor(readonly principal: Principal, readonly direction: 'in' | 'out', readonly status: string | undefined, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

@QueryHandler(ListTransfers)
export class ListTransfersHandler implements IQueryHandler<ListTransfers> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly views: TransferViews) {}

  async execute({ principal, direction, status, limit, cursor }: ListTransfers) {
    requireReader(principal);
    const filter: Filter = { ...sideFilter(principal, direction === 'in' ? 'to' : 'from'), ...(status ? { status } : {}) };
    const page = await this.reads.find<Doc>(TRANSFERS, filter, { sort: [['appliedAt', 'desc']], limit, ...(cursor ? { cursor } : {}) });
    return { nextCursor: page.nextCursor, items: await this.views.many(principal, page.items) };
  }
}

/**
 * Open transfers past their 30-working-day deadline on either side of the caller's jurisdiction,
 * oldest application first (the due date grows with it). Candidates come from the index alone
 * (open, applied over 30 calendar days ago); each is then counted. One whose due date or today
 * lies in a year whose holidays are not loaded is listed with `overdue: null`, not hidden (ADR 24).
 */
export class ListOverdueTransfers extends Query<Page<unknown>> {
  constructor(readonly principal: Principal, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

@QueryHandler(ListOverdueTransfers)
export class ListOverdueTransfersHandler implements IQueryHandler<ListOverdueTransfers> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly views: TransferViews) {}

  async execute({ principal, limit, cursor }: ListOverdueTransfers) {
    requireReader(principal);
    const today = this.views.today();
    const candidates: Filter = { open: true, appliedAt: { $lt: overdueCandidatesAppliedBefore(today) } };
    // either side in the jurisdiction: two indexed reads (open transfers that old are few), merged
    const [from, to] = await Promise.all([findAll(this.reads, TRANSFERS, { ...candidates, ...sideFilter(principal, 'from') }), findAll(this.reads, TRANSFERS, { ...candidates, ...sideFilter(principal, 'to') })]);
    const all = [...new Map([...from, ...to].map((d) => [d.id, d])).values()]
      .filter((d) => this.views.deadline(d, today).overdue !== false)
      .sort((a, b) => String(a['appliedAt']).localeCompare(String(b['appliedAt'])) || a.id.localeCompare(b.id));
    const offset = cursor && /^\d+$/.test(cursor) ? Number(cursor) : 0;
    const items = all.slice(offset, offset + limit);
    return { nextCursor: offset + limit < all.length ? String(offset + limit) : null, items: await this.views.many(principal, items) };
  }
}

/** One transfer, current (from its stream). */
export class GetTransfer extends Query<unknown> {
  constructor(readonly principal: Principal, readonly transferId: string) {
    super();
  }
}

@QueryHandler(GetTransfer)
export class GetTransferHandler implements IQueryHandler<GetTransfer> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly commands: CommandPath, private readonly views: TransferViews) {}

  async execute({ principal, transferId }: GetTransfer) {
    requireReader(principal);
    const { state } = await this.commands.load(transferStream(transferId), transferDecider);
    if (state.status === 'none' || !maySee(principal, state)) throw notFound('transfer-not-found', TRANSFER_NOT_FOUND);
    const [doc] = await findAll(this.reads, TRANSFERS, { id: transferId });
    // the read model may trail the stream by a moment: the stream's status (and what follows from it) wins
    const open = state.status === 'applied' || state.status === 'ready';
    const base: Doc = { ...(doc ?? { id: transferId, ...state }), status: state.status, open, recordStatus: state.recordStatus };
    return (await this.views.many(principal, [base]))[0];
  }
}

const LABELS: Record<string, string> = {
  TransferApplied: '转入园提交转入申请', TransferAgreed: '转出园同意', TransferRefused: '转出园不同意（附原因）',
  TransferWithdrawn: '转入园撤回申请', TransferCompleted: '转入园办结：学籍已转入',
};

/** The transfer's own timeline: each step with its actor, time and reason. */
export class GetTransferTimeline extends Query<unknown> {
  constructor(readonly principal: Principal, readonly transferId: string) {
    super();
  }
}

@QueryHandler(GetTransferTimeline)
export class GetTransferTimelineHandler implements IQueryHandler<GetTransferTimeline> {
  constructor(private readonly commands: CommandPath, private readonly names: AccountNames) {}

  async execute({ principal, transferId }: GetTransferTimeline) {
    requireReader(principal);
    const { state, events } = await this.commands.loadWithHistory(transferStream(transferId), transferDecider);
    if (state.status === 'none' || !maySee(principal, state)) throw notFound('transfer-not-found', TRANSFER_NOT_FOUND);
    const lines = events.map((e) => ({ revision: e.revision, type: e.type, label: LABELS[e.type] ?? e.type, occurredAt: e.metadata.occurredAt, actor: e.metadata.actor, reason: e.metadata.reason ?? null, data: e.data }));
    return { transferId, status: state.status, items: await this.names.name(lines) };
  }
}

/** The filter of one side (from / to) of a transfer within the caller's jurisdiction. */
function sideFilter(principal: Principal, side: 'from' | 'to'): Filter {
  if (principal.level === 'institution') return { [`${side}InstitutionCode`]: principal.institutionCode ?? '-' };
  if (principal.level === 'ministry') return {};
  const prefix = principal.level === 'county' ? principal.divisionCode : principal.divisionCode.slice(0, principal.level === 'province' ? 2 : 4);
  return { [`${side}DivisionCode`]: principal.level === 'county' ? prefix : { $prefix: prefix } };
}

export const TRANSFER_QUERY_HANDLERS = [LookUpChildHandler, ListTransferQueueHandler, ListTransfersHandler, ListOverdueTransfersHandler, GetTransferHandler, GetTransferTimelineHandler];
