import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import { jurisdictionFilter } from '../../shared/access/jurisdiction.js';
import { forbidden } from '../../shared/domain/domain-error.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import { type ReadStore, findEach } from '../../shared/read-store/read-store.port.js';
import { UNLICENSED_STATUSES } from '../domain/unlicensed.decider.js';
import { unlicensedProjection } from '../projections/unlicensed.projection.js';

const unlicensed = physicalCollection(unlicensedProjection, 'unlicensed');

/** Unlicensed institutions within the caller's jurisdiction (the writes are the commands in unlicensed.handlers.ts). */
@Injectable()
export class UnlicensedService {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  private scope(principal: Principal) {
    if (principal.level === 'institution') throw forbidden('not-for-institutions', '机构账号不能查看无证机构');
    return jurisdictionFilter(principal, 'institutionCode');
  }

  list(principal: Principal, status: string | undefined, cursor: string | undefined, limit: number) {
    return this.reads.find(unlicensed, { ...(status ? { status } : {}), ...this.scope(principal) }, { sort: [['name', 'asc']], limit, ...(cursor ? { cursor } : {}) });
  }

  /** Totals for reports: institutions, children and staff outside licensed care, by status. */
  async summary(principal: Principal) {
    const scope = this.scope(principal);
    const byStatus = Object.fromEntries(UNLICENSED_STATUSES.map((s) => [s, { institutions: 0, children: 0, staff: 0 }]));
    for await (const doc of findEach(this.reads, unlicensed, scope)) {
      const bucket = byStatus[String(doc['status'])]!;
      bucket.institutions++;
      bucket.children += Number(doc['children']);
      bucket.staff += Number(doc['staff']);
    }
    const open = ['operating', 'rectifying'].map((s) => byStatus[s]!);
    return {
      institutions: open.reduce((n, b) => n + b.institutions, 0),
      children: open.reduce((n, b) => n + b.children, 0),
      staff: open.reduce((n, b) => n + b.staff, 0),
      byStatus,
    };
  }
}
