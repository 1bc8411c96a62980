import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import { jurisdictionFilter, oneWithin } from '../../shared/access/jurisdiction.js';
import { notFound } from '../../shared/domain/domain-error.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Filter, ReadStore } from '../../shared/read-store/read-store.port.js';
import { filingsProjection } from '../projections/filings.projection.js';
import { InstitutionDirectory } from './institution-directory.service.js';

const filings = physicalCollection(filingsProjection, 'filings');

/** The filings read model within the caller's jurisdiction (the writes are the commands in filing.handlers.ts). */
@Injectable()
export class FilingService {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly directory: InstitutionDirectory) {}

  async list(principal: Principal, status: string | undefined, cursor: string | undefined, limit: number) {
    const filter: Filter = { ...(status ? { status } : {}), ...jurisdictionFilter(principal, 'id') };
    const page = await this.reads.find(filings, filter, { sort: [['submittedAt', 'asc']], limit, ...(cursor ? { cursor } : {}) });
    // the county's review queue names each kindergarten beside its code (issue 22, item 3)
    const names = await this.directory.names(page.items.map((doc) => doc.id));
    return { ...page, items: page.items.map((doc) => ({ ...doc, institutionName: names.get(doc.id) ?? null })) };
  }

  async get(principal: Principal, code: string) {
    const filter = oneWithin(principal, code);
    const page = filter ? await this.reads.find(filings, filter, { limit: 1 }) : { items: [] };
    if (page.items.length === 0) throw notFound('filing-not-found', '该机构尚未填报，或不在您的管辖范围内');
    const doc = page.items[0]!;
    return { ...doc, institutionName: (await this.directory.names([doc.id])).get(doc.id) ?? null };
  }
}
