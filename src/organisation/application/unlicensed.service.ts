import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import { covers, jurisdictionFilter } from '../../shared/access/jurisdiction.js';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { forbidden, notFound } from '../../shared/domain/domain-error.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import { type ReadStore, findEach } from '../../shared/read-store/read-store.port.js';
import { UNLICENSED_STATUSES, type UnlicensedDetails, unlicensedDecider, unlicensedStream } from '../domain/unlicensed.decider.js';
import { unlicensedProjection } from '../projections/unlicensed.projection.js';


const unlicensed = physicalCollection(unlicensedProjection, 'unlicensed');

@Injectable()
export class UnlicensedService {
  constructor(
    private readonly commands: CommandPath,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  private countyOnly(principal: Principal): void {
    if (principal.level !== 'county' || (principal.role !== 'business' && principal.role !== 'review')) {
      throw forbidden('county-only', '无证机构由区县的业务账号或审核账号登记和更新');
    }
  }

  async record(principal: Principal, details: UnlicensedDetails, context: CommandContext) {
    this.countyOnly(principal);
    const id = randomUUID();
    const outcome = await this.commands.run({ streamId: unlicensedStream(id), decider: unlicensedDecider, command: { type: 'RecordUnlicensed', id, divisionCode: principal.divisionCode, details, at: new Date().toISOString() }, context });
    return { id, outcome };
  }

  async update(principal: Principal, id: string, details: UnlicensedDetails, context: CommandContext) {
    this.countyOnly(principal);
    return this.commands.run({
      streamId: unlicensedStream(id), decider: unlicensedDecider, command: { type: 'UpdateUnlicensed', id, details, at: new Date().toISOString() }, context,
      authorise: (state) => {
        if (state.divisionCode === null || !covers(principal, { divisionCode: state.divisionCode })) throw notFound('unlicensed-not-found', '无证机构记录不存在或不在您的管辖范围内');
      },
    });
  }

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
