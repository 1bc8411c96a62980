import type { RecordedEvent } from '../../shared/event-store/event-store.port.js';
import { type BatchLoad, type ProjectionDefinition, checkpointKey, physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Doc, DocWrite } from '../../shared/read-store/read-store.port.js';
import { COUNTED_EVENT_TYPES, type ClassFact, type CounterTables, type InstitutionFact, type RecordFact, type UnlicensedFact, applyToCounters } from '../domain/counters.js';
import { type Counters, tidy, unitPlace } from '../domain/units.js';

export type UnitDoc = Doc & { parent: string | null; level: string; counters: Counters };

type FactCollection = 'records' | 'institutions' | 'classes' | 'unlicensed';
/**
 * Write order of a batch: the unit counters first, then the facts, records last. On MongoDB (no
 * transaction) a crash can leave part of a batch written; with this order a written fact means its
 * batch's counters are written, so the replay (position-guarded, below) adds nothing twice.
 */
const WRITE_ORDER: readonly FactCollection[] = ['institutions', 'classes', 'unlicensed', 'records'];

/**
 * The live summary counters (issue 17, ADR 26): the pure reducer of domain/counters.ts applied to
 * the log by the projection framework. An event here changes counters through facts it does not
 * carry (a RecordEdited: the record's institution and class), so the projection reads its batch
 * through `applyBatch`: it loads the facts the batch names, then the facts those name, applies the
 * reducer and answers facts and unit counters. A unit's report is one document; drill-down is an
 * indexed `parent` lookup.
 *
 * Position-guarded (ADR 3): every document keeps the position of the batch that last wrote it; an
 * event whose own fact (the record, class, institution or unlicensed institution it names) is at
 * or past it was applied already and is skipped, and no change reaches a fact or a unit whose
 * stored position is at or past the event. Version 2 keeps the collections and the checkpoint of
 * the former runner (`reporting_counters_v2_*`, `reporting-counters@v2`): same documents.
 *
 * On the main thread: the month-end snapshot holds it at its cut-off (ProjectionManager.readAt).
 */
export const countersProjection: ProjectionDefinition = {
  name: 'reporting-counters',
  version: 2,
  mainThread: true,
  collections: {
    units: { indexes: ['parent', 'level'] },
    records: { indexes: [] },
    institutions: { indexes: [] },
    classes: { indexes: [] },
    unlicensed: { indexes: [] },
  },
  handles: COUNTED_EVENT_TYPES,
  // the documents an event names itself; applyBatch finds the rest (a record's institution and class)
  keys: (event) => {
    const own = ownFact(event);
    return own ? [{ collection: own[0], id: own[1] }] : [];
  },
  // never called: applyBatch replaces keys/evolve for this projection
  evolve: (_collection, doc) => doc,
  applyBatch: async (events, load) => (await BatchTables.load(load, events)).apply(events, load),
};

/** Physical collections (and checkpoint) of the counters, for the reports that read them. */
export const COUNTERS = {
  checkpoint: checkpointKey(countersProjection),
  units: physicalCollection(countersProjection, 'units'),
} as const;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The fact an event is about: applied once it is written, so a replay of the event skips it. */
function ownFact({ type, data }: Pick<RecordedEvent, 'type' | 'data'>): [FactCollection, string] | null {
  if (type.startsWith('Class')) return str(data['classId']) ? ['classes', String(data['classId'])] : null;
  if (type.startsWith('Institution')) return str(data['code']) ? ['institutions', String(data['code'])] : null;
  if (type.startsWith('Unlicensed')) return data['id'] !== undefined ? ['unlicensed', String(data['id'])] : null;
  return str(data['recordId']) ? ['records', String(data['recordId'])] : null;
}

interface Stored<T> {
  fact: T | undefined;
  /** position of the batch that last wrote it (0: never written) */
  pos: number;
}

/** The facts a batch touches, loaded up front, and the counter changes it makes, by event position. */
class BatchTables implements CounterTables {
  private readonly dirty = new Map<FactCollection, Set<string>>(WRITE_ORDER.map((c) => [c, new Set()]));
  /** unit -> the changes of each event (position, counters), in log order */
  private readonly deltas = new Map<string, Array<{ pos: number; counters: Counters }>>();
  /** the position of the event being applied */
  private at = 0;

  private constructor(private readonly facts: Record<FactCollection, Map<string, Stored<unknown>>>) {}

  static async load(load: BatchLoad, events: readonly RecordedEvent[]): Promise<BatchTables> {
    const ids: Record<FactCollection, Set<string>> = { records: new Set(), institutions: new Set(), classes: new Set(), unlicensed: new Set() };
    for (const { type, data } of events) {
      const recordId = str(data['recordId']);
      if (recordId) ids.records.add(recordId);
      const classId = str(data['classId']);
      if (classId) ids.classes.add(classId);
      const inst = str(data['institutionCode']) ?? (type.startsWith('Institution') ? str(data['code']) : null);
      if (inst) ids.institutions.add(inst);
      // a move (RecordTransferred): the receiving kindergarten's children count changes too
      const to = str(data['toInstitutionCode']);
      if (to) ids.institutions.add(to);
      if (type.startsWith('Unlicensed')) ids.unlicensed.add(String(data['id']));
    }
    const records = await loadFacts(load, 'records', ids.records);
    for (const stored of records.values()) {
      const fact = stored.fact as RecordFact;
      ids.institutions.add(fact.inst);
      if (fact.classId) ids.classes.add(fact.classId);
    }
    return new BatchTables({
      records, institutions: await loadFacts(load, 'institutions', ids.institutions),
      classes: await loadFacts(load, 'classes', ids.classes), unlicensed: await loadFacts(load, 'unlicensed', ids.unlicensed),
    });
  }

  async apply(events: readonly RecordedEvent[], load: BatchLoad): Promise<DocWrite[]> {
    for (const event of events) {
      const own = ownFact(event);
      // its own fact written at or after it: the event was applied (a replay after a partial batch)
      if (own && (this.facts[own[0]].get(own[1])?.pos ?? 0) >= event.position) continue;
      this.at = event.position;
      applyToCounters(this, event);
    }
    return this.writes(load, events[events.length - 1]!.position);
  }

  private get<T>(collection: FactCollection, id: string): T | undefined {
    return this.facts[collection].get(id)?.fact as T | undefined;
  }

  private set(collection: FactCollection, id: string, fact: unknown): void {
    const stored = this.facts[collection].get(id);
    if (stored && stored.pos >= this.at) return; // this fact has the event already
    this.facts[collection].set(id, { fact, pos: stored?.pos ?? 0 });
    this.dirty.get(collection)!.add(id);
  }

  record = (id: string) => this.get<RecordFact>('records', id);
  setRecord = (id: string, fact: RecordFact) => this.set('records', id, fact);
  institution = (code: string) => this.get<InstitutionFact>('institutions', code);
  setInstitution = (code: string, fact: InstitutionFact) => this.set('institutions', code, fact);
  klass = (id: string) => this.get<ClassFact>('classes', id);
  setClass = (id: string, fact: ClassFact) => this.set('classes', id, fact);
  unlicensed = (id: string) => this.get<UnlicensedFact>('unlicensed', id);
  setUnlicensed = (id: string, fact: UnlicensedFact) => this.set('unlicensed', id, fact);

  add(unit: string, key: string, delta: number): void {
    let changes = this.deltas.get(unit);
    if (!changes) this.deltas.set(unit, (changes = []));
    let last = changes[changes.length - 1];
    if (!last || last.pos !== this.at) changes.push((last = { pos: this.at, counters: {} }));
    last.counters[key] = (last.counters[key] ?? 0) + delta;
  }

  private async writes(load: BatchLoad, position: number): Promise<DocWrite[]> {
    const writes: DocWrite[] = [];
    const put = (collection: string, id: string, doc: object) => writes.push({ collection, id, doc: { ...doc, id } as Doc, position });
    const current = await load('units', [...this.deltas.keys()]);
    for (const [unit, changes] of this.deltas) {
      const stored = current.get(unit);
      const doc = stored?.doc as UnitDoc | null | undefined;
      const counters: Counters = { ...(doc?.counters ?? {}) };
      let changed = false;
      for (const change of changes) {
        // the unit was written by a batch that had this event already
        if (stored && change.pos <= stored.pos) continue;
        for (const [key, n] of Object.entries(change.counters)) counters[key] = (counters[key] ?? 0) + n;
        changed = true;
      }
      if (!changed) continue;
      const place = unitPlace(unit, unit.startsWith('i:') ? this.institution(unit.slice(2))?.div : undefined);
      put('units', unit, { parent: place.parent ?? doc?.parent ?? null, level: place.level, counters: tidy(counters) });
    }
    for (const collection of WRITE_ORDER) for (const id of this.dirty.get(collection)!) put(collection, id, this.facts[collection].get(id)!.fact as object);
    return writes;
  }
}

async function loadFacts(load: BatchLoad, collection: FactCollection, ids: Set<string>): Promise<Map<string, Stored<unknown>>> {
  const out = new Map<string, Stored<unknown>>();
  if (ids.size === 0) return out;
  for (const [id, { doc, pos }] of await load(collection, [...ids])) {
    if (!doc) continue;
    const { id: _id, _pos, ...fact } = doc as Doc & { _pos?: number };
    out.set(id, { fact, pos });
  }
  return out;
}
