/**
 * The summary counters (issue 17, domain.md section 10) as one pure reducer over the published
 * events of records, organisation and enrolment. The live projection (counters.projection.ts) and the
 * recomputation of a past month from the log (replay.ts) both call `applyToCounters`, so a kept
 * snapshot and its recomputation cannot disagree by construction of two different rules.
 *
 * Each fact (a record, an institution, a class, an unlicensed institution) contributes a small map
 * of counter keys to the units it lies in (its institution, county, prefecture, province, the
 * nation). An event takes the fact's old contribution away and adds the new one, so counters are
 * never recounted. Facts hold no personal data: codes, dates and statuses only.
 */
import { beijingDate } from '../../shared/time/beijing.js';
import { type Counters, unitsOf } from './units.js';

export interface RecordFact {
  inst: string;
  div: string;
  status: string;
  gender: string;
  /** the year of the 31 August on or after the birth date: age on 31 August of year Y = Y - cohort */
  cohort: number;
  eth: string | null;
  lb: string | null;
  mig: string | null;
  dis: string | null;
  orph: string | null;
  classId: string | null;
  /** leave type and the Beijing month (YYYY-MM) of the leave date, while left or cancelled */
  leave: { type: string; month: string } | null;
}

export interface InstitutionFact {
  div: string;
  type: string | null;
  own: string | null;
  /** registered and not revoked */
  active: boolean;
  /** children in the kindergarten (numbered, not left): a school counts in statistics with at least one */
  children: number;
}

export interface ClassFact {
  inst: string;
  div: string;
  grade: string;
  /** the year the class's school year starts ('2026-2027' -> '2026') */
  schoolYear: string;
  deleted: boolean;
}

export interface UnlicensedFact {
  div: string;
  children: number;
  status: string;
}

/** The fact tables and counters the reducer reads and writes, synchronously (the runner pre-loads a batch's facts). */
export interface CounterTables {
  record(id: string): RecordFact | undefined;
  setRecord(id: string, fact: RecordFact): void;
  institution(code: string): InstitutionFact | undefined;
  setInstitution(code: string, fact: InstitutionFact): void;
  klass(id: string): ClassFact | undefined;
  setClass(id: string, fact: ClassFact): void;
  unlicensed(id: string): UnlicensedFact | undefined;
  setUnlicensed(id: string, fact: UnlicensedFact): void;
  /** adds `delta` to counter `key` of unit `unit` */
  add(unit: string, key: string, delta: number): void;
}

export const RECORD_TYPES = ['RecordSaved', 'RecordEdited', 'RecordDeleted', 'RecordSubmitted', 'RecordPassedDeduplication', 'RecordFlaggedAsDuplicate', 'RecordApproved', 'RecordRejected', 'KeyInformationChanged', 'RecordKeptAfterDuplicateCase', 'RecordVoided', 'RecordLeft', 'RecordCancelled', 'RecordRestored', 'RecordTransferred'] as const;
export const ORGANISATION_TYPES = ['InstitutionRegistered', 'InstitutionRegistryDetailsChanged', 'InstitutionRevoked', 'InstitutionReinstated', 'UnlicensedInstitutionRecorded', 'UnlicensedInstitutionUpdated'] as const;
export const ENROLMENT_TYPES = ['ClassCreated', 'ClassDeleted', 'ChildPlaced', 'ChildUnplaced'] as const;
/** Every event type the counters read; the others only move their position. */
export const COUNTED_EVENT_TYPES: readonly string[] = [...RECORD_TYPES, ...ORGANISATION_TYPES, ...ENROLMENT_TYPES];

export interface CountedEvent {
  type: string;
  data: Record<string, unknown>;
}

/** The age cohort of a birth date (YYYY-MM-DD): age on 31 August of year Y is Y - cohort, in whole years. */
export function cohortOf(birthDate: string): number {
  const year = Number(birthDate.slice(0, 4));
  return birthDate.slice(5) <= '08-31' ? year : year + 1;
}

const IN_KINDERGARTEN = 'numbered';

function recordContribution(fact: RecordFact, tables: CounterTables): Counters {
  const c: Counters = { [`st:${fact.status}`]: 1 };
  if (fact.status === IN_KINDERGARTEN) {
    const klass = fact.classId ? tables.klass(fact.classId) : undefined;
    c['children'] = 1;
    c[`g:${fact.gender}`] = 1;
    c[`age:${fact.cohort}`] = 1;
    c[`grade:${klass && !klass.deleted ? klass.grade : 'unplaced'}`] = 1;
    if (fact.eth) c[`eth:${fact.eth}`] = 1;
    if (fact.lb) c[`lb:${fact.lb}`] = 1;
    if (fact.mig) c[`mig:${fact.mig}`] = 1;
    if (fact.dis) c[`dis:${fact.dis}`] = 1;
    if (fact.orph) c[`orph:${fact.orph}`] = 1;
  }
  if (fact.leave) c[`left:${fact.leave.month}:${fact.leave.type}`] = 1;
  return c;
}

function institutionContribution(fact: InstitutionFact): Counters {
  if (!fact.active) return {};
  const c: Counters = { inst: 1, [`inst:type:${fact.type}`]: 1, [`inst:own:${fact.own}`]: 1 };
  if (fact.children > 0) Object.assign(c, { counted: 1, [`counted:type:${fact.type}`]: 1, [`counted:own:${fact.own}`]: 1 });
  return c;
}

const classContribution = (fact: ClassFact): Counters => (fact.deleted ? {} : { [`classes:${fact.schoolYear}:${fact.grade}`]: 1 });
const unlicensedContribution = (fact: UnlicensedFact): Counters => (fact.status === 'closed' ? {} : { unlicensed: 1, 'unlicensed:children': fact.children });

function addDiff(tables: CounterTables, units: readonly string[], before: Counters, after: Counters): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const delta = (after[key] ?? 0) - (before[key] ?? 0);
    if (delta !== 0) for (const unit of units) tables.add(unit, key, delta);
  }
}

/** Changes a record's fact and moves its counters (and its institution's "counts in statistics"). */
function changeRecord(tables: CounterTables, id: string, change: (fact: RecordFact) => RecordFact | null): void {
  const before = tables.record(id);
  if (!before) return;
  const after = change(before);
  if (!after) return;
  const old = recordContribution(before, tables);
  const next = recordContribution(after, tables);
  tables.setRecord(id, after);
  addDiff(tables, unitsOf(after.inst, after.div), old, next);
  const childDelta = (next['children'] ?? 0) - (old['children'] ?? 0);
  if (childDelta !== 0) changeInstitution(tables, after.inst, (i) => ({ ...i, children: i.children + childDelta }), after.div);
}

function changeInstitution(tables: CounterTables, code: string, change: (fact: InstitutionFact) => InstitutionFact, div: string): void {
  const before = tables.institution(code) ?? { div, type: null, own: null, active: false, children: 0 };
  const after = change(before);
  tables.setInstitution(code, after);
  // an institution whose county changed leaves its old units and joins the new ones
  addDiff(tables, unitsOf(code, before.div), institutionContribution(before), {});
  addDiff(tables, unitsOf(code, after.div), {}, institutionContribution(after));
}

/**
 * A child's move to another kindergarten (RecordTransferred, ADR 24): the record's whole
 * contribution leaves the old kindergarten's units (and its county's and prefecture's when they
 * differ) and joins the new one's, with the status the event gives, out of any class; both
 * institutions' children (counts in statistics) follow. The departure stays with the old
 * kindergarten as a plain `left:<month>:<type>` counter of its units, owned by no fact (the move
 * is final: it is never undone, so nothing has to take it away again): the transfer-out leave the
 * sending kindergarten registered first (sending-first flow, counted in its month when it
 * happened), else a transfer-out in the Beijing month of the move.
 */
function moveRecord(tables: CounterTables, id: string, to: { inst: string; div: string; status: string }, at: string): void {
  const before = tables.record(id);
  if (!before || before.inst === to.inst) return;
  const after: RecordFact = { ...before, inst: to.inst, div: to.div, status: to.status, classId: null, leave: null };
  const old = recordContribution(before, tables);
  const next = recordContribution(after, tables);
  const departure = before.leave ?? { type: 'transfer-out', month: beijingDate(at).slice(0, 7) };
  tables.setRecord(id, after);
  // at the old units the record's contribution becomes the departure alone (an earlier transfer-out leave stays as it was)
  addDiff(tables, unitsOf(before.inst, before.div), old, { [`left:${departure.month}:${departure.type}`]: 1 });
  addDiff(tables, unitsOf(after.inst, after.div), {}, next);
  if (old['children']) changeInstitution(tables, before.inst, (i) => ({ ...i, children: i.children - 1 }), before.div);
  if (next['children']) changeInstitution(tables, after.inst, (i) => ({ ...i, children: i.children + 1 }), after.div);
}

type Child = { gender: string; birthDate: string; ethnicity?: string | null; leftBehind?: string | null; migrantWorkerChild?: string | null; disabilityType?: string | null; orphan?: string | null };

const childFacts = (child: Child) => ({
  gender: child.gender, cohort: cohortOf(child.birthDate), eth: child.ethnicity ?? null, lb: child.leftBehind ?? null,
  mig: child.migrantWorkerChild ?? null, dis: child.disabilityType ?? null, orph: child.orphan ?? null,
});

const status = (s: string) => (fact: RecordFact): RecordFact => ({ ...fact, status: s });

/** Applies one stored event to the counters. Unknown types and events about unknown facts change nothing. */
export function applyToCounters(tables: CounterTables, event: CountedEvent): void {
  const d = event.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  switch (event.type) {
    case 'RecordSaved': {
      const fact: RecordFact = { inst: d.institutionCode, div: d.divisionCode, status: 'saved', ...childFacts(d.child), classId: null, leave: null };
      if (tables.record(d.recordId)) return;
      tables.setRecord(d.recordId, fact);
      addDiff(tables, unitsOf(fact.inst, fact.div), {}, recordContribution(fact, tables));
      return;
    }
    case 'RecordEdited':
      return changeRecord(tables, d.recordId, (f) => ({ ...f, ...childFacts(d.child) }));
    case 'KeyInformationChanged':
      return changeRecord(tables, d.recordId, (f) => ({ ...f, gender: d.after.gender, cohort: cohortOf(d.after.birthDate), status: 'submitted' }));
    case 'RecordDeleted':
      return changeRecord(tables, d.recordId, status('deleted'));
    case 'RecordSubmitted':
      return changeRecord(tables, d.recordId, status('submitted'));
    case 'RecordPassedDeduplication':
      return changeRecord(tables, d.recordId, status('dedupe-passed'));
    case 'RecordFlaggedAsDuplicate':
      return changeRecord(tables, d.recordId, status('problem'));
    case 'RecordApproved':
      return changeRecord(tables, d.recordId, status('numbered'));
    case 'RecordRejected':
      return changeRecord(tables, d.recordId, status('rejected'));
    case 'RecordKeptAfterDuplicateCase':
      return changeRecord(tables, d.recordId, status(d.status));
    case 'RecordVoided':
      return changeRecord(tables, d.recordId, status('void'));
    case 'RecordLeft':
      return changeRecord(tables, d.recordId, (f) => ({ ...f, status: 'left', leave: { type: d.leaveType, month: String(d.leaveDate).slice(0, 7) } }));
    case 'RecordCancelled':
      return changeRecord(tables, d.recordId, (f) => ({ ...f, status: 'cancelled', leave: { type: 'accident', month: String(d.accidentDate).slice(0, 7) } }));
    case 'RecordRestored':
      // back as before the leave: numbered, no longer among this month's leavers
      return changeRecord(tables, d.recordId, (f) => ({ ...f, status: 'numbered', leave: null }));
    case 'RecordTransferred':
      return moveRecord(tables, d.recordId, { inst: d.toInstitutionCode, div: d.toDivisionCode, status: d.status }, d.transferredAt);
    case 'ChildPlaced':
      return changeRecord(tables, d.recordId, (f) => ({ ...f, classId: d.classId }));
    case 'ChildUnplaced':
      return changeRecord(tables, d.recordId, (f) => (f.classId === d.classId ? { ...f, classId: null } : null));
    case 'ClassCreated': {
      if (tables.klass(d.classId)) return;
      const fact: ClassFact = { inst: d.institutionCode, div: d.divisionCode, grade: d.grade, schoolYear: String(d.schoolYear).slice(0, 4), deleted: false };
      tables.setClass(d.classId, fact);
      return addDiff(tables, unitsOf(fact.inst, fact.div), {}, classContribution(fact));
    }
    case 'ClassDeleted': {
      const before = tables.klass(d.classId);
      if (!before) return;
      const after = { ...before, deleted: true };
      tables.setClass(d.classId, after);
      return addDiff(tables, unitsOf(before.inst, before.div), classContribution(before), classContribution(after));
    }
    case 'InstitutionRegistered':
      return changeInstitution(tables, d.code, (i) => ({ ...i, div: d.divisionCode, type: d.type, own: d.ownership, active: true }), d.divisionCode);
    case 'InstitutionRegistryDetailsChanged':
      return changeInstitution(tables, d.code, (i) => ({ ...i, div: d.divisionCode, type: d.type, own: d.ownership }), d.divisionCode);
    case 'InstitutionRevoked':
      return changeInstitution(tables, d.code, (i) => ({ ...i, active: false }), '');
    case 'InstitutionReinstated':
      return changeInstitution(tables, d.code, (i) => ({ ...i, active: true }), '');
    case 'UnlicensedInstitutionRecorded':
    case 'UnlicensedInstitutionUpdated': {
      const before = tables.unlicensed(d.id);
      const div = before?.div ?? d.divisionCode;
      if (!div) return;
      const after: UnlicensedFact = { div, children: d.children, status: d.status };
      tables.setUnlicensed(d.id, after);
      return addDiff(tables, unitsOf(null, div), before ? unlicensedContribution(before) : {}, unlicensedContribution(after));
    }
    default:
      return;
  }
}
