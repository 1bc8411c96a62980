import type { EventRegistry } from '../../shared/events/event-registry.js';
import type { EventStore, RecordedEvent } from '../../shared/event-store/event-store.port.js';
import { subscribeToAll } from '../../shared/event-store/subscription.js';
import type { Logger } from '../../shared/logging/json-logger.js';
import { type Doc, type DocWrite, type ReadStore, findAll } from '../../shared/read-store/read-store.port.js';
import { PositionWaiters } from '../../shared/projections/position-waiters.js';
import { COUNTED_EVENT_TYPES, type ClassFact, type CounterTables, type InstitutionFact, type RecordFact, type UnlicensedFact, applyToCounters } from '../domain/counters.js';
import { type Counters, tidy, unitPlace } from '../domain/units.js';

/** Physical collections of the live counters (version 2: moves counted, ADR 26) and their checkpoint. */
export const COUNTERS = {
  checkpoint: 'reporting-counters@v2',
  units: 'reporting_counters_v2_units',
  records: 'reporting_counters_v2_records',
  institutions: 'reporting_counters_v2_institutions',
  classes: 'reporting_counters_v2_classes',
  unlicensed: 'reporting_counters_v2_unlicensed',
} as const;

export type UnitDoc = Doc & { parent: string | null; level: string; counters: Counters };

const HANDLED = new Set(COUNTED_EVENT_TYPES);
const RETRY_MS = 1000;

/**
 * The live summary counters: the pure reducer of domain/counters.ts applied to the log from its
 * checkpoint. Unlike a ProjectionDefinition (one document per key, each evolved alone) an event
 * here changes counters through facts it does not carry (a record's institution and class), so
 * each batch loads the facts it needs, applies the reducer, and writes facts, counters and the
 * checkpoint in one applyBatch (one transaction on SQLite). A read of a unit is one document.
 *
 * `countersAt(p)` holds the runner exactly at position p (the cut-off of a month) so the monthly
 * snapshot reads the counters of that moment without replaying the log.
 */
export class CountersRunner {
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  position = 0;
  private readonly waiters = new PositionWaiters();
  private hold: { position: number; release: Promise<void>; open: () => void } | null = null;
  error: string | null = null;

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly registry: EventRegistry,
    private readonly logger: Logger,
  ) {}

  async ensureCollections(): Promise<void> {
    await this.reads.ensureCollection(COUNTERS.units, { indexes: ['parent', 'level'] });
    for (const name of [COUNTERS.records, COUNTERS.institutions, COUNTERS.classes, COUNTERS.unlicensed]) await this.reads.ensureCollection(name, { indexes: [] });
  }

  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    this.hold?.open();
    await this.loop;
    this.loop = null;
  }

  /** Resolves true once the counters include `position`, false after the timeout. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(this.position, position, timeoutMs);
  }

  /**
   * Every unit's counters exactly as of log position `position`, or null when the runner is
   * already past it (the caller then recomputes from the log) or does not get there in time.
   */
  async countersAt(position: number, timeoutMs = 60_000): Promise<UnitDoc[] | null> {
    if (this.position > position || this.hold) return null;
    let open!: () => void;
    const release = new Promise<void>((resolve) => (open = resolve));
    this.hold = { position, release, open };
    try {
      if (!(await this.waitFor(position, timeoutMs)) || this.position !== position) return null;
      return await findAll<UnitDoc>(this.reads, COUNTERS.units, {});
    } finally {
      this.hold = null;
      open();
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        this.position = (await this.reads.getCheckpoint(COUNTERS.checkpoint)) ?? 0;
        this.waiters.reached(this.position);
        for await (const batch of subscribeToAll(this.events, { after: this.position, batchSize: 1000, signal, types: COUNTED_EVENT_TYPES })) {
          let rest = batch;
          while (rest.length > 0 && !signal.aborted) {
            const hold = this.hold;
            const cut = hold && hold.position >= this.position ? rest.findIndex((e) => e.position > hold.position) : -1;
            const now = cut === -1 ? rest : rest.slice(0, cut);
            rest = cut === -1 ? [] : rest.slice(cut);
            if (now.length > 0) await this.apply(now);
            // held at a month's cut-off: the snapshot reads the counters, then lets the runner go on
            if (cut !== -1 && hold) {
              if (this.position < hold.position) this.position = hold.position;
              this.waiters.reached(this.position);
              await hold.release;
            }
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        this.error = error instanceof Error ? error.message : String(error);
        this.logger.error('reporting counters failed; retrying from their checkpoint', { error });
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  private async apply(batch: readonly RecordedEvent[]): Promise<void> {
    const handled = batch.filter((e) => HANDLED.has(e.type)).map((e) => this.registry.upcast(e));
    const last = batch[batch.length - 1]!.position;
    if (handled.length > 0) {
      const tables = await BatchTables.load(this.reads, handled);
      for (const event of handled) applyToCounters(tables, event);
      await this.reads.applyBatch(COUNTERS.checkpoint, await tables.writes(this.reads, last), last);
    } else {
      await this.reads.applyBatch(COUNTERS.checkpoint, [], last);
    }
    this.position = last;
    this.waiters.reached(last);
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The facts a batch touches, loaded up front, and the counter deltas it makes. */
class BatchTables implements CounterTables {
  private readonly dirty = { records: new Set<string>(), institutions: new Set<string>(), classes: new Set<string>(), unlicensed: new Set<string>() };
  private readonly deltas = new Map<string, Counters>();

  private constructor(
    private readonly records: Map<string, RecordFact>,
    private readonly institutions: Map<string, InstitutionFact>,
    private readonly classes: Map<string, ClassFact>,
    private readonly unlicensedFacts: Map<string, UnlicensedFact>,
  ) {}

  static async load(reads: ReadStore, events: readonly RecordedEvent[]): Promise<BatchTables> {
    const ids = { records: new Set<string>(), institutions: new Set<string>(), classes: new Set<string>(), unlicensed: new Set<string>() };
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
    const records = await facts<RecordFact>(reads, COUNTERS.records, ids.records);
    for (const fact of records.values()) {
      ids.institutions.add(fact.inst);
      if (fact.classId) ids.classes.add(fact.classId);
    }
    return new BatchTables(records, await facts(reads, COUNTERS.institutions, ids.institutions), await facts(reads, COUNTERS.classes, ids.classes), await facts(reads, COUNTERS.unlicensed, ids.unlicensed));
  }

  record = (id: string) => this.records.get(id);
  setRecord = (id: string, fact: RecordFact) => void (this.records.set(id, fact), this.dirty.records.add(id));
  institution = (code: string) => this.institutions.get(code);
  setInstitution = (code: string, fact: InstitutionFact) => void (this.institutions.set(code, fact), this.dirty.institutions.add(code));
  klass = (id: string) => this.classes.get(id);
  setClass = (id: string, fact: ClassFact) => void (this.classes.set(id, fact), this.dirty.classes.add(id));
  unlicensed = (id: string) => this.unlicensedFacts.get(id);
  setUnlicensed = (id: string, fact: UnlicensedFact) => void (this.unlicensedFacts.set(id, fact), this.dirty.unlicensed.add(id));

  add(unit: string, key: string, delta: number): void {
    let counters = this.deltas.get(unit);
    if (!counters) this.deltas.set(unit, (counters = {}));
    counters[key] = (counters[key] ?? 0) + delta;
  }

  async writes(reads: ReadStore, position: number): Promise<DocWrite[]> {
    const writes: DocWrite[] = [];
    const put = (collection: string, id: string, doc: object) => writes.push({ collection, id, doc: { ...doc, id } as Doc, position });
    for (const id of this.dirty.records) put(COUNTERS.records, id, this.records.get(id)!);
    for (const id of this.dirty.institutions) put(COUNTERS.institutions, id, this.institutions.get(id)!);
    for (const id of this.dirty.classes) put(COUNTERS.classes, id, this.classes.get(id)!);
    for (const id of this.dirty.unlicensed) put(COUNTERS.unlicensed, id, this.unlicensedFacts.get(id)!);
    const current = await reads.getMany<UnitDoc>(COUNTERS.units, [...this.deltas.keys()]);
    for (const [unit, delta] of this.deltas) {
      const counters: Counters = { ...(current.get(unit)?.counters ?? {}) };
      for (const [key, n] of Object.entries(delta)) counters[key] = (counters[key] ?? 0) + n;
      const place = unitPlace(unit, unit.startsWith('i:') ? this.institutions.get(unit.slice(2))?.div : undefined);
      put(COUNTERS.units, unit, { parent: place.parent ?? current.get(unit)?.parent ?? null, level: place.level, counters: tidy(counters) });
    }
    return writes;
  }
}

async function facts<T>(reads: ReadStore, collection: string, ids: Set<string>): Promise<Map<string, T>> {
  if (ids.size === 0) return new Map();
  const docs = await reads.getMany(collection, [...ids]);
  const out = new Map<string, T>();
  for (const [id, doc] of docs) {
    const { id: _id, _pos, ...fact } = doc as Doc & { _pos: number };
    out.set(id, fact as T);
  }
  return out;
}
