import { Inject } from '@nestjs/common';
import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../../accounts/contracts/index.js';
import { DivisionService, InstitutionDirectory } from '../../organisation/contracts/index.js';
import { RECORDS_READ_MODEL, maskPersonal } from '../../records/contracts/index.js';
import { Graduates } from '../../reporting/contracts/index.js';
import { notFound } from '../../shared/domain/domain-error.js';
import { READ_STORE } from '../../shared/infrastructure/tokens.js';
import { personalDataShown } from '../../shared/personal-data/read-audit.js';
import { type Doc, type Filter, type Page, type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import { CLOCK, type Clock } from '../../shared/time/clock.js';
import { ENTRY_NOT_FOUND } from '../domain/pupil-list.decider.js';
import type { EntryStatus } from '../domain/pupil.js';
import { ENTRIES, LISTS, TALLIES } from '../projections/handover.projection.js';
import { LIST_NOT_FOUND, progressScope, requireSchool } from './handover-access.js';

const STATUSES: EntryStatus[] = ['matched', 'to-confirm', 'not-found', 'none-match', 'supplemented'];
const PERSONAL = ['name', 'gender', 'birthDate', 'idType', 'idNumber'];
/** a list line: the pupil with its ID number masked (domain.md section 13: lists mask it) */
const line = (doc: Doc) => maskPersonal({ entryId: doc.id, listId: doc['listId'], row: doc['row'], ...Object.fromEntries(PERSONAL.map((f) => [f, doc[f] ?? null])), status: doc['status'], recordId: doc['recordId'] ?? null, candidates: (doc['candidates'] as string[] | undefined)?.length ?? 0, updatedAt: doc['updatedAt'] });
const strip = ({ _pos, ...doc }: Doc & { _pos?: number }) => doc;

export class ListPupilLists extends Query<Page<Doc>> {
  constructor(readonly principal: Principal, readonly limit: number, readonly cursor?: string) {
    super();
  }
}

export class GetPupilList extends Query<Doc> {
  constructor(readonly principal: Principal, readonly listId: string) {
    super();
  }
}

export class ListEntries extends Query<Page<Record<string, unknown>>> {
  constructor(readonly principal: Principal, readonly filter: { status?: EntryStatus; listId?: string }, readonly limit: number, readonly cursor?: string) {
    super();
  }
}

export class GetEntry extends Query<Record<string, unknown>> {
  constructor(readonly principal: Principal, readonly listId: string, readonly entryId: string) {
    super();
  }
}

export class GetSchoolQueue extends Query<{ schoolCode: string; counts: Record<string, number> }> {
  constructor(readonly principal: Principal) {
    super();
  }
}

export class NotFoundPupils extends Query<Doc[]> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/** The school's own lists, entries and queue: a registrar sees nothing of another school. */
@QueryHandler(ListPupilLists)
export class ListPupilListsHandler implements IQueryHandler<ListPupilLists> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, limit, cursor }: ListPupilLists) {
    const page = await this.reads.find(LISTS, { schoolCode: requireSchool(principal) }, { sort: [['importedAt', 'desc']], limit, ...(cursor ? { cursor } : {}) });
    return { items: page.items.map(({ issues: _i, ...d }) => strip(d as Doc)), nextCursor: page.nextCursor };
  }
}

@QueryHandler(GetPupilList)
export class GetPupilListHandler implements IQueryHandler<GetPupilList> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, listId }: GetPupilList) {
    const doc = await this.reads.get(LISTS, listId);
    if (!doc || doc['schoolCode'] !== requireSchool(principal)) throw notFound('list-not-found', LIST_NOT_FOUND);
    return strip(doc);
  }
}

@QueryHandler(ListEntries)
export class ListEntriesHandler implements IQueryHandler<ListEntries> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal, filter, limit, cursor }: ListEntries) {
    const scope: Filter = { schoolCode: requireSchool(principal), ...(filter.listId ? { listId: filter.listId } : {}), status: filter.status ?? { $in: STATUSES } };
    const sort: Array<[string, 'asc' | 'desc']> = filter.listId ? [['row', 'asc']] : [['updatedAt', 'desc']];
    const page = await this.reads.find(ENTRIES, scope, { sort, limit, ...(cursor ? { cursor } : {}) });
    return { items: page.items.map(line), nextCursor: page.nextCursor };
  }
}

/**
 * One entry of the school's list in full (the school's own pupil), with its candidates as the
 * confirmation shows them (issue 16, item 4): masked, with the kindergarten and record number.
 */
@QueryHandler(GetEntry)
export class GetEntryHandler implements IQueryHandler<GetEntry> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore, private readonly directory: InstitutionDirectory) {}

  async execute({ principal, listId, entryId }: GetEntry) {
    const school = requireSchool(principal);
    const doc = await this.reads.get(ENTRIES, entryId);
    if (!doc || doc['listId'] !== listId || doc['schoolCode'] !== school || doc['status'] === 'deleted') throw notFound('entry-not-found', ENTRY_NOT_FOUND);
    const ids = [...new Set([...((doc['candidates'] as string[]) ?? []), ...(doc['recordId'] ? [String(doc['recordId'])] : [])])];
    const records = await this.reads.getMany(RECORDS_READ_MODEL, ids);
    const names = await this.directory.names([...records.values()].map((r) => String(r['institutionCode'])));
    const view = (id: string) => {
      const r = records.get(id);
      if (!r) return null;
      const code = String(r['institutionCode']);
      const number = r['recordNumber'] ? String(r['recordNumber']) : null;
      // No mask of the record's ID number (nor of a G number, G + that number) can leave 10,000
      // candidates here: the entry shows the full birth date, which a name-gender-birth candidate
      // shares (ADR 22). The registrar learns only whether it is the number on the list.
      return maskPersonal({
        recordId: id, name: r['name'], gender: r['gender'], birthDate: r['birthDate'], idType: r['idType'],
        sameIdNumber: Boolean(doc['idNumber']) && r['idNumber'] === doc['idNumber'], recordNumber: number && !number.startsWith('G') ? number : null,
        status: r['status'], kindergartenCode: code, kindergartenName: names.get(code) ?? null,
      });
    };
    const { _pos, candidates, ...entry } = doc;
    // once supplemented, the entry holds the school's copy of the record in full: a read of it
    const handed = doc['supplement'] && doc['recordId'] ? records.get(String(doc['recordId'])) : undefined;
    if (handed) personalDataShown([{ recordId: handed.id, institutionCode: String(handed['institutionCode']), divisionCode: String(handed['divisionCode']) }]);
    return {
      ...entry, entryId, candidates: ((candidates as string[]) ?? []).map(view).filter((c) => c !== null),
      record: doc['recordId'] ? view(String(doc['recordId'])) : null,
    };
  }
}

@QueryHandler(GetSchoolQueue)
export class GetSchoolQueueHandler implements IQueryHandler<GetSchoolQueue> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal }: GetSchoolQueue) {
    const schoolCode = requireSchool(principal);
    const counts: Record<string, number> = {};
    for (const status of STATUSES) counts[status] = await this.reads.count(ENTRIES, { schoolCode, status });
    return { schoolCode, counts };
  }
}

@QueryHandler(NotFoundPupils)
export class NotFoundPupilsHandler implements IQueryHandler<NotFoundPupils> {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}

  async execute({ principal }: NotFoundPupils) {
    return findAll(this.reads, ENTRIES, { schoolCode: requireSchool(principal), status: 'not-found' });
  }
}

export interface CountyProgress {
  divisionCode: string;
  name: string;
  /** new pupils listed by the county's schools, by status */
  pupils: number;
  counts: Record<string, number>;
  /** the season's graduates of the county's kindergartens (from the live summary counters) */
  graduates: number;
  /** children of the county's kindergartens handed over, and to which schools */
  handedOver: number;
  toSchools: Array<{ schoolCode: string; name: string | null; pupils: number }>;
}

export class GetHandoverProgress extends Query<{ total: Omit<CountyProgress, 'divisionCode' | 'name'>; counties: CountyProgress[] }> {
  constructor(readonly principal: Principal) {
    super();
  }
}

/**
 * Progress per county and for the caller's whole division (issue 16, item 7): the lists' counts
 * of the division's schools added up (a few documents per school), and the tallies of the
 * division's kindergartens (one per county): counts only, no pupil.
 */
@QueryHandler(GetHandoverProgress)
export class GetHandoverProgressHandler implements IQueryHandler<GetHandoverProgress> {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly directory: InstitutionDirectory,
    private readonly divisions: DivisionService,
    private readonly graduates: Graduates,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ principal }: GetHandoverProgress) {
    const scope = progressScope(principal);
    const counties = new Map<string, CountyProgress>();
    const county = (code: string) => {
      let c = counties.get(code);
      if (!c) counties.set(code, (c = { divisionCode: code, name: code, pupils: 0, counts: Object.fromEntries(STATUSES.map((s) => [s, 0])), graduates: 0, handedOver: 0, toSchools: [] }));
      return c;
    };
    const tree = await this.divisions.tree();
    // every county of the caller's division, so one with graduates and no hand-over yet shows too
    const own = principal.divisionCode;
    for (const d of tree.all()) {
      if (d.level === 'county' && (principal.level === 'ministry' || d.code === own || tree.isWithin(d.code, own))) county(d.code);
    }
    for (const [code, n] of await this.graduates.byCounty([...counties.keys()], this.clock.now())) county(code).graduates = n;
    for (const list of await findAll(this.reads, LISTS, scope)) {
      const c = county(String(list['divisionCode']));
      for (const [status, n] of Object.entries(list['counts'] as Record<string, number>)) {
        if (status === 'deleted') continue;
        c.counts[status] = (c.counts[status] ?? 0) + n;
        c.pupils += n;
      }
    }
    for (const tally of await findAll(this.reads, TALLIES, scope)) {
      const c = county(String(tally['divisionCode']));
      c.handedOver += Number(tally['handedOver']);
      c.toSchools = Object.entries(tally['toSchools'] as Record<string, number>).map(([schoolCode, pupils]) => ({ schoolCode, name: null, pupils }));
    }
    const names = await this.directory.names([...counties.values()].flatMap((c) => c.toSchools.map((s) => s.schoolCode)));
    const total = { pupils: 0, counts: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<string, number>, graduates: 0, handedOver: 0, toSchools: [] as CountyProgress['toSchools'] };
    const bySchool = new Map<string, number>();
    for (const c of counties.values()) {
      c.name = tree.has(c.divisionCode) ? tree.fullName(c.divisionCode) : c.divisionCode;
      c.toSchools = c.toSchools.map((s) => ({ ...s, name: names.get(s.schoolCode) ?? null })).sort((a, b) => b.pupils - a.pupils);
      total.pupils += c.pupils;
      total.handedOver += c.handedOver;
      total.graduates += c.graduates;
      for (const s of STATUSES) total.counts[s]! += c.counts[s] ?? 0;
      for (const s of c.toSchools) bySchool.set(s.schoolCode, (bySchool.get(s.schoolCode) ?? 0) + s.pupils);
    }
    total.toSchools = [...bySchool].map(([schoolCode, pupils]) => ({ schoolCode, name: names.get(schoolCode) ?? null, pupils })).sort((a, b) => b.pupils - a.pupils);
    return { total, counties: [...counties.values()].sort((a, b) => a.divisionCode.localeCompare(b.divisionCode)) };
  }
}

export const HANDOVER_QUERY_HANDLERS = [ListPupilListsHandler, GetPupilListHandler, ListEntriesHandler, GetEntryHandler, GetSchoolQueueHandler, NotFoundPupilsHandler, GetHandoverProgressHandler];
