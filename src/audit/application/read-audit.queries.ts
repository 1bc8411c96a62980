import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AccountNames, type Principal } from '../../accounts/contracts/index.js';
import { RecordRegister } from '../../records/contracts/index.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import type { Doc, Filter, Page, ReadStore } from '../../shared/read-store/read-store.port.js';
import { PERSONAL_DATA_READS } from '../projections/personal-data-reads.projection.js';
import { auditScope, requireAuditedRecord } from './read-audit-access.js';

export class ListPersonalDataReads extends Query<Page<Doc>> {
  constructor(readonly principal: Principal, readonly filter: { institutionCode?: string; accountId?: string }, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

export class RecordReads extends Query<Page<Doc>> {
  constructor(readonly principal: Principal, readonly recordId: string, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/** A page of reads, newest first, with the readers' usernames and real names. */
async function page(reads: ReadStore, names: AccountNames, filter: Filter, limit: number, cursor: string | undefined): Promise<Page<Doc>> {
  const found = await reads.find<Doc>(PERSONAL_DATA_READS, filter, { sort: [['readAt', 'desc']], limit, ...(cursor ? { cursor } : {}) });
  const known = await names.of(found.items.map((d) => String(d['accountId'])));
  return {
    nextCursor: found.nextCursor,
    items: found.items.map(({ _pos, id: _id, ...doc }) => ({ ...doc, username: known.get(String(doc['accountId']))?.username ?? null, realName: known.get(String(doc['accountId']))?.realName ?? null }) as unknown as Doc),
  };
}

/** The reads of the caller's jurisdiction (optionally one kindergarten's, or one reader's). */
@QueryHandler(ListPersonalDataReads)
export class ListPersonalDataReadsHandler implements IQueryHandler<ListPersonalDataReads> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly names: AccountNames) {}

  execute({ principal, filter, limit, cursor }: ListPersonalDataReads) {
    const scope: Filter = { ...auditScope(principal), ...(filter.institutionCode ? { institutionCode: filter.institutionCode } : {}), ...(filter.accountId ? { accountId: filter.accountId } : {}) };
    return page(this.reads, this.names, scope, limit, cursor);
  }
}

/** Who read one child's personal data, when, from where and why. */
@QueryHandler(RecordReads)
export class RecordReadsHandler implements IQueryHandler<RecordReads> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly names: AccountNames, private readonly register: RecordRegister) {}

  async execute({ principal, recordId, limit, cursor }: RecordReads) {
    requireAuditedRecord(principal, await this.register.get(recordId));
    return page(this.reads, this.names, { recordId }, limit, cursor);
  }
}

export const READ_AUDIT_QUERY_HANDLERS = [ListPersonalDataReadsHandler, RecordReadsHandler];
