import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AccountNames, type Principal } from '../../../accounts/contracts/index.js';
import { covers } from '../../../shared/access/jurisdiction.js';
import { CommandPath } from '../../../shared/command/command-path.js';
import { notFound } from '../../../shared/domain/domain-error.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import { type Doc, type Filter, type ReadStore, findAll } from '../../../shared/read-store/read-store.port.js';
import { beijingDate } from '../../../shared/time/beijing.js';
import { CLOCK, type Clock } from '../../../shared/time/clock.js';
import { addFen } from '../../domain/fen.js';
import { type Funds, OFFICE_LEVELS, fundingProjectStream } from '../../domain/funding-project.decider.js';
import { AWARDS, PROJECTS } from '../../projections/supervision.projection.js';
import { FundingFigures } from '../funding-figures.js';
import { PROJECT_NOT_FOUND, officeLevel, projectScope } from '../supervision-access.js';
import { type Totals, totalsOf } from './project-totals.js';
import { projectsWorkbook } from '../exports.js';

const strip = ({ _pos, ...doc }: Doc & { _pos?: number }): Doc => doc;
type Figures = { funds: Funds; allocated: string; spent: string };

export interface ProjectFilter {
  year?: number;
  level?: string;
}

const filterOf = (principal: Principal, filter: ProjectFilter): Filter => ({ ...(filter.year ? { year: filter.year } : {}), ...(filter.level ? { level: filter.level } : {}), ...projectScope(principal) });

export class ListProjects extends Query<{ items: Doc[]; nextCursor: string | null }> {
  constructor(readonly principal: Principal, readonly filter: ProjectFilter, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/** The projects of the caller's office and of the offices below it, by division. */
@QueryHandler(ListProjects)
export class ListProjectsHandler implements IQueryHandler<ListProjects> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, filter, limit, cursor }: ListProjects) {
    const page = await this.reads.find(PROJECTS, filterOf(principal, filter), { sort: [['divisionCode', 'asc'], ['year', 'desc']], limit, ...(cursor ? { cursor } : {}) });
    return { items: page.items.map(strip), nextCursor: page.nextCursor };
  }
}

export interface ProjectTotalsView {
  year: number | null;
  totals: Totals;
  byLevel: Array<{ level: string } & Totals>;
  /** central award funds entered for the provinces in the caller's reach (for the year, or all years) */
  centralAward: string;
}

export class GetProjectTotals extends Query<ProjectTotalsView> {
  constructor(readonly principal: Principal, readonly year: number | undefined) {
    super();
  }
}

/** Totals by source of the caller's jurisdiction, and per level: exact fen sums. */
@QueryHandler(GetProjectTotals)
export class GetProjectTotalsHandler implements IQueryHandler<GetProjectTotals> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, year }: GetProjectTotals): Promise<ProjectTotalsView> {
    const projects = (await findAll(this.reads, PROJECTS, filterOf(principal, { ...(year ? { year } : {}) }))) as unknown as Array<Doc & Figures>;
    const awards = await findAll(this.reads, AWARDS, { ...projectScope(principal), ...(year ? { year } : {}) });
    return {
      year: year ?? null,
      totals: totalsOf(projects),
      byLevel: OFFICE_LEVELS.map((level) => ({ level, ...totalsOf(projects.filter((p) => p['level'] === level)) })),
      centralAward: addFen(...awards.map((a) => String(a['amount']))),
    };
  }
}

export class ListProjectsToDo extends Query<{ month: string; items: unknown[] }> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/** The caller's own office's projects not updated this (Beijing) month. */
@QueryHandler(ListProjectsToDo)
export class ListProjectsToDoHandler implements IQueryHandler<ListProjectsToDo> {
  constructor(private readonly figures: FundingFigures, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal }: ListProjectsToDo) {
    const month = beijingDate(this.clock.now()).slice(0, 7);
    return { month, items: await this.figures.notUpdated({ level: officeLevel(principal), divisionCode: principal.divisionCode }, month) };
  }
}

export class GetProject extends Query<Doc> {
  constructor(readonly principal: Principal, readonly projectId: string) {
    super();
  }
}

/** A project and every update: who reported which month's figures, and when. */
@QueryHandler(GetProject)
export class GetProjectHandler implements IQueryHandler<GetProject> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly commands: CommandPath, private readonly names: AccountNames) {}

  async execute({ principal, projectId }: GetProject) {
    projectScope(principal);
    const doc = await this.reads.get(PROJECTS, projectId);
    if (!doc || !covers(principal, { divisionCode: String(doc['divisionCode']) })) throw notFound('project-not-found', PROJECT_NOT_FOUND);
    const events = await this.commands.history(fundingProjectStream(projectId));
    const history = await this.names.name(events.map((e) => {
      const { month, funds, allocated, spent, progress, note } = e.data as Record<string, unknown>;
      return { type: e.type, at: e.metadata.occurredAt, actor: e.metadata.actor, month, funds, allocated, spent, progress, note };
    }));
    return { ...strip(doc), history };
  }
}

export class ListCentralAwards extends Query<{ items: Doc[] }> {
  constructor(readonly principal: Principal, readonly year: number | undefined) {
    super();
  }
}

@QueryHandler(ListCentralAwards)
export class ListCentralAwardsHandler implements IQueryHandler<ListCentralAwards> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, year }: ListCentralAwards) {
    const items = await findAll(this.reads, AWARDS, { ...projectScope(principal), ...(year ? { year } : {}) });
    return { items: items.map(strip).sort((a, b) => String(a.id).localeCompare(String(b.id))) };
  }
}

export class GetMonthEnd extends Query<unknown> {
  constructor(readonly principal: Principal, readonly month: string) {
    super();
  }
}

/** The month-end figures of the caller's jurisdiction, with their totals. */
@QueryHandler(GetMonthEnd)
export class GetMonthEndHandler implements IQueryHandler<GetMonthEnd> {
  constructor(private readonly figures: FundingFigures) {}

  async execute({ principal, month }: GetMonthEnd) {
    projectScope(principal);
    const taken = await this.figures.monthEnd(month);
    if (!taken) throw notFound('month-end-not-found', `${month} 的月末数据尚未生成（每月最后一天 0 时生成）`);
    const projects = taken.projects.filter((p) => covers(principal, { divisionCode: p.divisionCode }));
    return { ...taken, projects, totals: totalsOf(projects), notUpdated: projects.filter((p) => !p.updatedThisMonth).length };
  }
}


export class ExportProjects extends Query<Buffer> {
  constructor(readonly principal: Principal, readonly filter: ProjectFilter) {
    super();
  }
}

/** The project list of the caller's jurisdiction and its totals (a second sheet) as xlsx. */
@QueryHandler(ExportProjects)
export class ExportProjectsHandler implements IQueryHandler<ExportProjects> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, filter }: ExportProjects) {
    const projects = (await findAll(this.reads, PROJECTS, filterOf(principal, filter))) as unknown as Array<Doc & Figures>;
    projects.sort((a, b) => String(a['divisionCode']).localeCompare(String(b['divisionCode'])) || String(a['name']).localeCompare(String(b['name']), 'zh'));
    return projectsWorkbook(projects, totalsOf(projects), OFFICE_LEVELS.map((level) => ({ level, ...totalsOf(projects.filter((p) => p['level'] === level)) })));
  }
}

export const PROJECT_QUERY_HANDLERS = [ListProjectsHandler, GetProjectTotalsHandler, ListProjectsToDoHandler, GetProjectHandler, ListCentralAwardsHandler, GetMonthEndHandler, ExportProjectsHandler];
