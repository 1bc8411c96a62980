import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../accounts/contracts/index.js';
import { covers, jurisdictionFilter } from '../../../shared/access/jurisdiction.js';
import { READ_STORE } from '../../../shared/infrastructure/tokens.js';
import { notFound } from '../../../shared/domain/domain-error.js';
import { type Doc, type Filter, type Page, type ReadStore, findAll } from '../../../shared/read-store/read-store.port.js';
import { CLOCK, type Clock } from '../../../shared/time/clock.js';
import { maskPersonal } from '../../../records/contracts/index.js';
import { type ReadSubject, personalDataShown } from '../../../shared/personal-data/read-audit.js';
import { ReadModelCache } from '../../../shared/read-store/read-model-cache.js';
import { GRADES, type Grade } from '../../domain/class.decider.js';
import { CHILDREN, CLASSES, RESTORATIONS } from '../../projections/enrolment.projection.js';
import { CLASS_NOT_FOUND, classScope, maySeeIdNumbers } from '../class-access.js';

/** A child as lists show it: personal data masked by the records' one rule unless the caller works with the child. */
function childView(doc: Doc, seeAll: boolean) {
  const view = shownView(doc, seeAll);
  // the read audit (issue 21): who read this child's unmasked data
  if (seeAll) personalDataShown([readSubject(doc)]);
  return view;
}

/** childView without the read audit: the caller records the reads (a cached answer is read again). */
function shownView(doc: Doc, seeAll: boolean) {
  const view = { recordId: doc.id, name: doc['name'], gender: doc['gender'], birthDate: doc['birthDate'], idNumber: doc['idNumber'], recordNumber: doc['recordNumber'], status: doc['status'], classId: doc['classId'], mark: doc['mark'] };
  return seeAll ? view : maskPersonal(view);
}

const readSubject = (doc: Doc): ReadSubject => ({ recordId: doc.id, institutionCode: String(doc['institutionCode']), divisionCode: String(doc['divisionCode']) });

export class ListClasses extends Query<{ items: Doc[] }> {
  constructor(readonly principal: Principal, readonly filter: { institutionCode?: string; schoolYear?: string; grade?: string }) {
    super();
  }
}

/** The classes of the caller's jurisdiction, with head counts by gender (1 boys, 2 girls). */
@QueryHandler(ListClasses)
export class ListClassesHandler implements IQueryHandler<ListClasses> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, filter }: ListClasses) {
    const scope: Filter = { ...(filter.institutionCode ? { institutionCode: filter.institutionCode } : {}), ...classScope(principal) };
    const classes = (await findAll(this.reads, CLASSES, scope)).filter((c) => (!filter.schoolYear || c['schoolYear'] === filter.schoolYear) && (!filter.grade || c['grade'] === filter.grade));
    const counts = new Map<string, { headCount: number; boys: number; girls: number }>();
    for (const child of await findAll(this.reads, CHILDREN, { ...scope, status: 'numbered' })) {
      if (!child['classId']) continue;
      const c = counts.get(String(child['classId'])) ?? { headCount: 0, boys: 0, girls: 0 };
      c.headCount++;
      if (child['gender'] === '1') c.boys++;
      else if (child['gender'] === '2') c.girls++;
      counts.set(String(child['classId']), c);
    }
    const items = classes
      .map(({ _pos, ...c }): Doc => ({ ...c, ...(counts.get(c.id) ?? { headCount: 0, boys: 0, girls: 0 }) }))
      .sort((a, b) => GRADES.indexOf(a['grade'] as Grade) - GRADES.indexOf(b['grade'] as Grade) || String(a['name']).localeCompare(String(b['name'])));
    return { items };
  }
}

export class GetRoster extends Query<unknown> {
  constructor(readonly principal: Principal, readonly classId: string) {
    super();
  }
}

/** Rosters kept (a class's masked and unmasked answers for each scope are entries of their own). */
const ROSTER_CACHE = 2_000;

interface RosterEntry {
  answer: Record<string, unknown>;
  /** the children an unmasked answer shows: read-audited on every read, cached or not */
  shown: ReadSubject[];
}

/**
 * A class and its children (masked ID numbers, status, 留班/留园 marks). The answer is kept while
 * the classes and children read models are unchanged (their versions in the read store, moved by
 * every write of the projection worker; under encryption at rest also by a destroyed data key), so
 * a class read again and again is not read, opened and masked again; where the store keeps no
 * versions (MongoDB) every read computes it. A class outside the caller's scope is not in the
 * scope's entry: it is looked up (and refused) as before.
 */
@QueryHandler(GetRoster)
export class GetRosterHandler implements IQueryHandler<GetRoster> {
  readonly cache = new ReadModelCache<RosterEntry>(ROSTER_CACHE);

  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, classId }: GetRoster) {
    const scope = classScope(principal);
    const seeAll = maySeeIdNumbers(principal);
    const key = `${classId}\u0000${JSON.stringify(scope)}\u0000${seeAll ? 'full' : 'masked'}`;
    const { answer, shown } = await this.cache.read(this.reads, key, [CLASSES, CHILDREN], () => this.roster(scope, classId, seeAll));
    if (shown.length > 0) personalDataShown(shown);
    return answer;
  }

  private async roster(scope: Filter, classId: string, seeAll: boolean): Promise<RosterEntry> {
    const [cls] = await findAll(this.reads, CLASSES, { ...scope, id: classId });
    if (!cls) throw notFound('class-not-found', CLASS_NOT_FOUND);
    const docs = await findAll(this.reads, CHILDREN, { institutionCode: String(cls['institutionCode']), classId });
    const children = docs.map((c) => shownView(c, seeAll));
    children.sort((a, b) => String(a.name).localeCompare(String(b.name), 'zh'));
    const { _pos, ...view } = cls;
    return { answer: { ...view, headCount: children.length, children }, shown: seeAll ? docs.map(readSubject) : [] };
  }
}

export class ListUnplaced extends Query<Page<unknown>> {
  constructor(readonly principal: Principal, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/** The kindergarten's children in the kindergarten (numbered) that are in no class yet. */
@QueryHandler(ListUnplaced)
export class ListUnplacedHandler implements IQueryHandler<ListUnplaced> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, limit, cursor }: ListUnplaced) {
    const page = await this.reads.find(CHILDREN, { ...classScope(principal), status: 'numbered', classId: null }, { limit, ...(cursor ? { cursor } : {}) });
    const seeAll = maySeeIdNumbers(principal);
    return { nextCursor: page.nextCursor, items: page.items.map((c) => childView(c, seeAll)) };
  }
}

export class LeaveHistory extends Query<Page<unknown>> {
  constructor(readonly principal: Principal, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/**
 * 历史离园: every child that ever left, with each of its leaves (a restored child keeps its earlier
 * leaves). A kindergarten also sees, on the first page, the children that moved from it to another
 * kindergarten last (issue 15): their status there is shown as `transferred-out`.
 */
@QueryHandler(LeaveHistory)
export class LeaveHistoryHandler implements IQueryHandler<LeaveHistory> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, limit, cursor }: LeaveHistory) {
    const scope = classScope(principal);
    const page = await this.reads.find(CHILDREN, { ...scope, hasLeft: true }, { limit, ...(cursor ? { cursor } : {}) });
    const seeAll = maySeeIdNumbers(principal);
    const departed = cursor ? [] : (await findAll(this.reads, CHILDREN, departedFilter(principal))).filter((c) => !covers(principal, { institutionCode: String(c['institutionCode']), divisionCode: String(c['divisionCode']) }));
    const transferredOut = departed.map((c) => ({ ...childView(c, seeAll), status: 'transferred-out', classId: null, mark: null, leaves: (c['leaves'] as unknown[]).slice(-1) }));
    return { nextCursor: page.nextCursor, items: [...transferredOut, ...page.items.map((c) => ({ ...childView(c, seeAll), leaves: c['leaves'] }))] };
  }
}

/** The children that moved away from the caller's kindergarten (or from its divisions' kindergartens) last. */
function departedFilter(principal: Principal): Filter {
  if (principal.level === 'institution') return { departedFrom: principal.institutionCode ?? '-' };
  const { divisionCode } = jurisdictionFilter(principal, 'institutionCode');
  return divisionCode === undefined ? { departedFromDivision: { $prefix: '' } } : { departedFromDivision: divisionCode };
}

export class ListRestorations extends Query<Page<unknown>> {
  constructor(readonly principal: Principal, readonly status: string | undefined, readonly limit: number, readonly cursor: string | undefined) {
    super();
  }
}

/** Restoration applications of the caller's jurisdiction, oldest first, with how long each has waited. */
@QueryHandler(ListRestorations)
export class ListRestorationsHandler implements IQueryHandler<ListRestorations> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute({ principal, status, limit, cursor }: ListRestorations) {
    const filter: Filter = { ...classScope(principal), ...(status ? { status } : {}) };
    const page = await this.reads.find(RESTORATIONS, filter, { sort: [['appliedAt', 'asc']], limit, ...(cursor ? { cursor } : {}) });
    const now = this.clock.now().getTime();
    return {
      nextCursor: page.nextCursor,
      items: page.items.map(({ _pos, ...r }) => {
        const until = r['decidedAt'] ? Date.parse(String(r['decidedAt'])) : now;
        return { ...r, waitingHours: Math.floor((until - Date.parse(String(r['appliedAt']))) / 3_600_000) };
      }),
    };
  }
}

export const ENROLMENT_QUERY_HANDLERS = [ListClassesHandler, GetRosterHandler, ListUnplacedHandler, LeaveHistoryHandler, ListRestorationsHandler];
