import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../accounts/contracts/index.js';
import { covers, jurisdictionFilter, oneWithin } from '../../shared/access/jurisdiction.js';
import { type CommandContext, CommandPath } from '../../shared/command/command-path.js';
import { forbidden, notFound, rule } from '../../shared/domain/domain-error.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Filter, ReadStore } from '../../shared/read-store/read-store.port.js';
import { type FilingContent, filingDecider, filingStream } from '../domain/filing.decider.js';
import { institutionDecider, institutionStream } from '../domain/institution.decider.js';
import { filingsProjection } from '../projections/filings.projection.js';


const filings = physicalCollection(filingsProjection, 'filings');

@Injectable()
export class FilingService {
  constructor(
    private readonly commands: CommandPath,
    @Inject(READ_STORE) private readonly reads: ReadStore,
  ) {}

  private async institution(code: string) {
    const { state } = await this.commands.load(institutionStream(code), institutionDecider);
    if (!state.entry) throw notFound('institution-not-found', '机构不存在或不在您的管辖范围内');
    return state;
  }

  /** Filed by the institution's own business (or administrator) account; resubmission at any time. */
  async submit(principal: Principal, code: string, content: FilingContent, context: CommandContext) {
    if (principal.level !== 'institution' || principal.institutionCode !== code) throw notFound('institution-not-found', '机构不存在或不在您的管辖范围内');
    if (principal.role !== 'business' && principal.role !== 'admin') throw forbidden('business-account-only', '机构信息由本机构的业务账号填报');
    const institution = await this.institution(code);
    if (institution.revoked) throw rule('institution-revoked', '机构已撤销，不能填报');
    const { type, divisionCode } = institution.entry!;
    return this.commands.run({ streamId: filingStream(code), decider: filingDecider, command: { type: 'SubmitFiling', code, divisionCode, institutionType: type, content, at: new Date().toISOString() }, context });
  }

  /**
   * Reviewed by the institution's county (business or review account). Anyone else is refused
   * before the institution is looked at, and a county gets the same 404 for an institution that
   * is absent or another county's: existence does not leak.
   */
  async decide(principal: Principal, code: string, decision: { version: number; approve: boolean; reason?: string }, context: CommandContext) {
    if (principal.level !== 'county' || (principal.role !== 'review' && principal.role !== 'business')) {
      throw forbidden('county-review-only', '机构填报由所在区县的审核账号或业务账号审核');
    }
    const institution = await this.institution(code);
    if (!covers(principal, { divisionCode: institution.entry!.divisionCode, institutionCode: code })) {
      throw notFound('institution-not-found', '机构不存在或不在您的管辖范围内');
    }
    const at = new Date().toISOString();
    return this.commands.run({
      streamId: filingStream(code),
      decider: filingDecider,
      command: decision.approve ? { type: 'ApproveFiling', code, version: decision.version, at } : { type: 'RejectFiling', code, version: decision.version, reason: decision.reason ?? '', at },
      context,
    });
  }

  list(principal: Principal, status: string | undefined, cursor: string | undefined, limit: number) {
    const filter: Filter = { ...(status ? { status } : {}), ...jurisdictionFilter(principal, 'id') };
    return this.reads.find(filings, filter, { sort: [['submittedAt', 'asc']], limit, ...(cursor ? { cursor } : {}) });
  }

  async get(principal: Principal, code: string) {
    const filter = oneWithin(principal, code);
    const page = filter ? await this.reads.find(filings, filter, { limit: 1 }) : { items: [] };
    if (page.items.length === 0) throw notFound('filing-not-found', '该机构尚未填报，或不在您的管辖范围内');
    return page.items[0];
  }
}
