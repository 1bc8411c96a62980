import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AccountNames, type Principal } from '../../../accounts/contracts/index.js';
import { InstitutionDirectory } from '../../../organisation/contracts/index.js';
import { provinceCodeOf } from '../../../shared/access/jurisdiction.js';
import { CommandPath } from '../../../shared/command/command-path.js';
import { forbidden, notFound } from '../../../shared/domain/domain-error.js';
import { FILE_STORE, type FileStore } from '../../../shared/files/file-store.port.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import { type Doc, type Filter, type ReadStore, findAll } from '../../../shared/read-store/read-store.port.js';
import { beijingDate } from '../../../shared/time/beijing.js';
import { CLOCK, type Clock } from '../../../shared/time/clock.js';
import { WORKING_DAYS, type WorkingDays } from '../../../shared/time/working-days.js';
import { declarationDecider, declarationStream } from '../../domain/declaration.decider.js';
import { DECLARATIONS, DELEGATIONS, KINDS } from '../../projections/supervision.projection.js';
import { DECLARATION_NOT_FOUND, declarationScope, requireOwnDeclaration } from '../supervision-access.js';
import { covers } from '../../../shared/access/jurisdiction.js';
import { timingOf } from './declaration-timing.js';
import { DeclarationViews } from './declaration-views.js';
export { DeclarationViews };
import { declarationsWorkbook } from '../exports.js';

const strip = ({ _pos, ...doc }: Doc & { _pos?: number }): Doc => doc;

export class ListDeclarationKinds extends Query<{ items: Doc[] }> {
  constructor(readonly principal: Principal, readonly includeRetired: boolean) {
    super();
  }
}

/** An institution: the active kinds it may declare (its province's and its county's); an office: the kinds of its jurisdiction and its province's. */
@QueryHandler(ListDeclarationKinds)
export class ListDeclarationKindsHandler implements IQueryHandler<ListDeclarationKinds> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, includeRetired }: ListDeclarationKinds) {
    const status: Filter = includeRetired && principal.level !== 'institution' ? {} : { status: 'active' };
    const province = principal.level === 'ministry' ? null : provinceCodeOf(principal.divisionCode);
    const own = principal.level === 'ministry' ? await findAll(this.reads, KINDS, status) : await findAll(this.reads, KINDS, { ...status, ownerDivision: { $in: [...new Set([province!, principal.divisionCode])] } });
    const below = principal.level === 'province' || principal.level === 'prefecture' ? await findAll(this.reads, KINDS, { ...status, ownerDivision: { $prefix: principal.divisionCode.slice(0, principal.level === 'province' ? 2 : 4) } }) : [];
    // in the order they were defined (their log positions)
    const unique = [...new Map([...own, ...below].map((k) => [k.id, k])).values()].sort((a, b) => Number(a['order']) - Number(b['order']));
    const items = unique.map(strip);
    return { items };
  }
}

export class ListKindDelegations extends Query<{ items: Doc[] }> {
  constructor(readonly principal: Principal) {
    super();
  }
}

@QueryHandler(ListKindDelegations)
export class ListKindDelegationsHandler implements IQueryHandler<ListKindDelegations> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal }: ListKindDelegations) {
    if (principal.level === 'institution') throw forbidden('office-only', '异动类型授权由各级教育部门查看');
    const scope: Filter = principal.level === 'ministry' ? {} : { provinceCode: provinceCodeOf(principal.divisionCode) };
    return { items: (await findAll(this.reads, DELEGATIONS, scope)).map(strip) };
  }
}

export interface DeclarationFilter {
  status?: string;
  institutionCode?: string;
  overdue?: boolean;
}

export class ListDeclarations extends Query<{ items: Doc[]; nextCursor: string | null }> {
  constructor(readonly principal: Principal, readonly filter: DeclarationFilter, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/**
 * The queues: a county's (its institutions' declarations, oldest submission first, each with the
 * working days elapsed against the 5-day limit and whether it is overdue), an institution's own,
 * an office's above. `overdue` lists every overdue declaration at once (no paging).
 */
@QueryHandler(ListDeclarations)
export class ListDeclarationsHandler implements IQueryHandler<ListDeclarations> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly view: DeclarationViews) {}

  async execute({ principal, filter, limit, cursor }: ListDeclarations) {
    const scope: Filter = { ...(filter.institutionCode ? { institutionCode: filter.institutionCode } : {}), ...(filter.status ? { status: filter.status } : {}), ...declarationScope(principal) };
    if (filter.overdue) {
      const pending = await findAll(this.reads, DECLARATIONS, { ...scope, status: 'pending' });
      const items = (await this.view.rows(pending)).filter((d) => d['overdue']);
      return { items: items.sort((a, b) => String(a['submittedAt']).localeCompare(String(b['submittedAt']))), nextCursor: null };
    }
    const page = await this.reads.find(DECLARATIONS, scope, { sort: [['submittedAt', 'asc']], limit, ...(cursor ? { cursor } : {}) });
    return { items: await this.view.rows(page.items), nextCursor: page.nextCursor };
  }
}

export class CountOverdueDeclarations extends Query<{ today: string; items: Doc[] }> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/** Upper levels: per county of the caller's jurisdiction, declarations pending and overdue (counties with none left out). */
@QueryHandler(CountOverdueDeclarations)
export class CountOverdueDeclarationsHandler implements IQueryHandler<CountOverdueDeclarations> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly directory: InstitutionDirectory, @Inject(CLOCK) private readonly clock: Clock, @Inject(WORKING_DAYS) private readonly days: WorkingDays) {}

  async execute({ principal }: CountOverdueDeclarations) {
    if (principal.level === 'institution') throw forbidden('office-only', '各县（区）超期情况由各级教育部门查看');
    const today = beijingDate(this.clock.now());
    const counts = new Map<string, { pending: number; overdue: number }>();
    for (const doc of await findAll(this.reads, DECLARATIONS, { ...declarationScope(principal), status: 'pending' })) {
      const c = counts.get(String(doc['divisionCode'])) ?? { pending: 0, overdue: 0 };
      c.pending++;
      if (timingOf(doc, today, this.days).overdue) c.overdue++;
      counts.set(String(doc['divisionCode']), c);
    }
    const names = new Map((await this.directory.counties()).map((c) => [c.code, c.name]));
    const items = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([countyCode, c]): Doc => ({ id: countyCode, countyCode, countyName: names.get(countyCode) ?? countyCode, ...c }));
    return { today, items };
  }
}

export class GetDeclaration extends Query<Doc> {
  constructor(readonly principal: Principal, readonly declarationId: string) {
    super();
  }
}

/** One declaration with its whole history: who declared, rejected (why), resubmitted, approved, and when. */
@QueryHandler(GetDeclaration)
export class GetDeclarationHandler implements IQueryHandler<GetDeclaration> {
  constructor(private readonly commands: CommandPath, @Inject(READ_STORE) private readonly reads: ReadStore, private readonly view: DeclarationViews, private readonly names: AccountNames) {}

  async execute({ principal, declarationId }: GetDeclaration) {
    const doc = await this.reads.get(DECLARATIONS, declarationId);
    if (!doc || !covers(principal, { divisionCode: String(doc['divisionCode']), institutionCode: String(doc['institutionCode']) })) throw notFound('declaration-not-found', DECLARATION_NOT_FOUND);
    const events = await this.commands.history(declarationStream(declarationId));
    const history = await this.names.name(events.map((e) => ({ type: e.type, at: e.metadata.occurredAt, actor: e.metadata.actor, reason: e.metadata.reason ?? null })));
    const [row] = await this.view.rows([doc]);
    return { ...row!, history };
  }
}

export class GetDeclarationAttachment extends Query<{ bytes: Buffer; contentType: string; fileName: string }> {
  constructor(readonly principal: Principal, readonly declarationId: string, readonly sha256: string) {
    super();
  }
}

/** A file ever attached to the declaration, to its institution and the offices above it. */
@QueryHandler(GetDeclarationAttachment)
export class GetDeclarationAttachmentHandler implements IQueryHandler<GetDeclarationAttachment> {
  constructor(private readonly commands: CommandPath, @Inject(FILE_STORE) private readonly files: FileStore) {}

  async execute({ principal, declarationId, sha256 }: GetDeclarationAttachment) {
    const { state, events } = await this.commands.loadWithHistory(declarationStream(declarationId), declarationDecider);
    if (principal.level === 'institution') requireOwnDeclaration(principal, state);
    else if (state.status === 'none' || !covers(principal, state)) throw notFound('declaration-not-found', DECLARATION_NOT_FOUND);
    for (const event of events) {
      const attached = (event.data['attachments'] as Array<{ sha256: string; contentType: string; fileName: string }> | undefined)?.find((a) => a.sha256 === sha256);
      const bytes = attached ? await this.files.read(sha256) : null;
      if (attached && bytes) return { bytes, contentType: attached.contentType, fileName: attached.fileName };
    }
    throw notFound('attachment-not-found', '附件不存在或您无权查看');
  }
}


export class ExportDeclarations extends Query<Buffer> {
  constructor(readonly principal: Principal, readonly filter: DeclarationFilter) {
    super();
  }
}

/** The queue (or the caller's whole list) as xlsx, oldest submission first. */
@QueryHandler(ExportDeclarations)
export class ExportDeclarationsHandler implements IQueryHandler<ExportDeclarations> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly view: DeclarationViews, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, filter }: ExportDeclarations) {
    const scope: Filter = { ...(filter.institutionCode ? { institutionCode: filter.institutionCode } : {}), ...(filter.status ? { status: filter.status } : {}), ...declarationScope(principal) };
    const rows = (await this.view.rows(await findAll(this.reads, DECLARATIONS, scope))).filter((r) => !filter.overdue || r['overdue']);
    rows.sort((a, b) => String(a['submittedAt']).localeCompare(String(b['submittedAt'])));
    return declarationsWorkbook(rows, beijingDate(this.clock.now()));
  }
}

export const DECLARATION_QUERY_HANDLERS = [ListDeclarationKindsHandler, ListKindDelegationsHandler, ListDeclarationsHandler, CountOverdueDeclarationsHandler, GetDeclarationHandler, GetDeclarationAttachmentHandler, ExportDeclarationsHandler];
