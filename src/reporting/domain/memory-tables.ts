import type { ClassFact, CounterTables, InstitutionFact, RecordFact, UnlicensedFact } from './counters.js';
import { type Counters, tidy } from './units.js';

/**
 * The counter tables held in memory: the recomputation of a month from the log, and the tests.
 * The live projection keeps the same tables in the read store (projections/counters.projection.ts).
 */
export class MemoryTables implements CounterTables {
  readonly records = new Map<string, RecordFact>();
  readonly institutions = new Map<string, InstitutionFact>();
  readonly classes = new Map<string, ClassFact>();
  readonly unlicensedFacts = new Map<string, UnlicensedFact>();
  readonly units = new Map<string, Counters>();

  record = (id: string) => this.records.get(id);
  setRecord = (id: string, fact: RecordFact) => void this.records.set(id, fact);
  institution = (code: string) => this.institutions.get(code);
  setInstitution = (code: string, fact: InstitutionFact) => void this.institutions.set(code, fact);
  klass = (id: string) => this.classes.get(id);
  setClass = (id: string, fact: ClassFact) => void this.classes.set(id, fact);
  unlicensed = (id: string) => this.unlicensedFacts.get(id);
  setUnlicensed = (id: string, fact: UnlicensedFact) => void this.unlicensedFacts.set(id, fact);

  add(unit: string, key: string, delta: number): void {
    let counters = this.units.get(unit);
    if (!counters) this.units.set(unit, (counters = {}));
    counters[key] = (counters[key] ?? 0) + delta;
  }

  /** Every unit's counters, zeros dropped, units with nothing left omitted. */
  counters(): Record<string, Counters> {
    const out: Record<string, Counters> = {};
    for (const unit of [...this.units.keys()].sort()) {
      const counters = tidy(this.units.get(unit)!);
      if (Object.keys(counters).length > 0) out[unit] = counters;
    }
    return out;
  }
}
