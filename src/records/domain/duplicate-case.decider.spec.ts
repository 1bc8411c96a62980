import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../shared/domain/domain-error.js';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type CaseEntry, type DuplicateCaseCommand, type DuplicateCaseEvent, type DuplicateCaseState, arbiterOf, duplicateCaseDecider, proposalOf } from './duplicate-case.decider.js';
import { DUPLICATE_CASE_EVENTS } from './duplicate-case.events.js';

const spec = deciderSpec(duplicateCaseDecider, new EventRegistry().register(DUPLICATE_CASE_EVENTS));
const caseId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const keyHash = 'a'.repeat(64);
const at = '2026-10-10T02:00:00.000Z';
const [A, B, C] = ['6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7', '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f', '1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6'];

const entry = (recordId: string, institutionCode: string, divisionCode: string, enteredAt: string, prefectureCode: string | null = `${divisionCode.slice(0, 4)}00`): CaseEntry => ({
  recordId, institutionCode, divisionCode, prefectureCode, provinceCode: `${divisionCode.slice(0, 2)}0000`, name: '王小明', enteredAt, recordRevision: 3,
});
// A entered first; B in another county of the same prefecture; C in another prefecture
const a = entry(A, '1141010001', '410102', '2026-09-01T01:00:00.000Z');
const b = entry(B, '1141010004', '410103', '2026-09-03T01:00:00.000Z');
const c = entry(C, '1141020001', '410202', '2026-09-02T01:00:00.000Z');
const aSameCounty = entry(B, '1141010002', '410102', '2026-09-03T01:00:00.000Z');

const opened = (...entries: CaseEntry[]): DuplicateCaseEvent => ({ type: 'DuplicateCaseOpened', data: { caseId, keyHash, entries, openedAt: at } });
const file = { sha256: 'c'.repeat(64), size: 1024, contentType: 'application/pdf', fileName: '出生医学证明.pdf' };
const filed = (e: CaseEntry): DuplicateCaseEvent => ({ type: 'EvidenceFiled', data: { caseId, recordId: e.recordId, institutionCode: e.institutionCode, files: [file], filedAt: at }, reason: '幼儿在本园就读，附入园登记表' });
const accepted = (e: CaseEntry): DuplicateCaseEvent => ({ type: 'EvidenceAccepted', data: { caseId, recordId: e.recordId, reviewedAt: at } });
const rejected = (e: CaseEntry): DuplicateCaseEvent => ({ type: 'EvidenceRejected', data: { caseId, recordId: e.recordId, reviewedAt: at }, reason: '材料不能证明在园' });
const resolved = (validRecordId: string | null, voidRecordIds: string[], how: 'last-remaining' | 'single-pass' | 'arbitration'): DuplicateCaseEvent => ({
  type: 'DuplicateCaseResolved', data: { caseId, keyHash, validRecordId, voidRecordIds, how, resolvedAt: at },
});
const county = (e: CaseEntry) => ({ level: 'county' as const, divisionCode: e.divisionCode });
const fileEvidence = (e: CaseEntry, reason = '幼儿在本园就读，附入园登记表'): DuplicateCaseCommand => ({ type: 'FileEvidence', recordId: e.recordId, institutionCode: e.institutionCode, files: [file], reason, at });
const review = (e: CaseEntry, passed: boolean, reason = passed ? '' : '材料不能证明在园'): DuplicateCaseCommand => ({ type: 'ReviewEvidence', recordId: e.recordId, passed, reason, office: county(e), at });

describe('duplicate case decider', () => {
  it('opens with every holder; a later entry joins; nothing joins twice', () => {
    spec.given([]).when({ type: 'OpenOrJoin', caseId, keyHash, entries: [a, b], at }).then([opened(a, b)]);
    spec.given([opened(a, b)]).when({ type: 'OpenOrJoin', caseId, keyHash, entries: [a, b, c], at }).then([{ type: 'DuplicateEntryJoined', data: { caseId, entry: c, joinedAt: at } }]);
    spec.given([opened(a, b)]).when({ type: 'OpenOrJoin', caseId, keyHash, entries: [a, b], at }).then([]);
  });

  it('a case opened with one entry left (the others moved on meanwhile) resolves to it at once', () => {
    spec.given([]).when({ type: 'OpenOrJoin', caseId, keyHash, entries: [a], at }).then([opened(a), resolved(A, [], 'last-remaining')]);
  });

  it('same institution: it deletes the extra entries and the one kept stays valid', () => {
    const twin = { ...aSameCounty, institutionCode: a.institutionCode };
    // it cannot defend one of its own duplicates against the other
    spec.given([opened(a, twin)]).when(fileEvidence(a)).thenFails('delete-own-duplicates-first', 'rule');
    spec.given([opened(a, twin)]).when({ type: 'WithdrawEntry', recordId: B, how: 'deleted', recordRevision: 5, at }).then([
      { type: 'DuplicateEntryWithdrawn', data: { caseId, recordId: B, how: 'deleted', recordRevision: 5, withdrawnAt: at } },
      resolved(A, [], 'last-remaining'),
    ]);
  });

  it('different institutions: exactly one evidence passes, the failed one becomes void', () => {
    spec.given([opened(a, b)]).when(fileEvidence(a)).then([filed(a)]);
    // nothing is decided while the other entry is still unhandled
    spec.given([opened(a, b), filed(a)]).when(review(a, true)).then([accepted(a)]);
    spec.given([opened(a, b), filed(a), accepted(a), filed(b)]).when(review(b, false)).then([rejected(b), resolved(A, [B], 'single-pass')]);
  });

  it('an entry that corrects itself leaves; the other stays valid without evidence', () => {
    spec.given([opened(a, b), filed(a)]).when({ type: 'WithdrawEntry', recordId: B, how: 'corrected', recordRevision: 6, at }).then([
      { type: 'DuplicateEntryWithdrawn', data: { caseId, recordId: B, how: 'corrected', recordRevision: 6, withdrawnAt: at } },
      resolved(A, [], 'last-remaining'),
    ]);
    // replayed or stale withdrawals change nothing
    spec.given([opened(a, b)]).when({ type: 'WithdrawEntry', recordId: B, how: 'deleted', recordRevision: 3, at }).then([]);
    spec.given([opened(a, b), resolved(A, [B], 'single-pass')]).when({ type: 'WithdrawEntry', recordId: B, how: 'deleted', recordRevision: 9, at }).then([]);
  });

  it('two passes in different prefectures go to the province, proposing the entry that entered first', () => {
    const request: DuplicateCaseEvent = { type: 'ArbitrationRequested', data: { caseId, level: 'province', divisionCode: '410000', candidateRecordIds: [A, C], proposedRecordId: A, waitingRecordIds: [A, C], requestedAt: at } };
    spec.given([opened(a, c), filed(a), filed(c), accepted(a)]).when(review(c, true)).then([accepted(c), request]);
    const state = spec.given([opened(a, c), filed(a), filed(c), accepted(a), accepted(c), request]);
    // the arbitrator confirms the proposal (no reason needed) ...
    state.when({ type: 'Arbitrate', recordId: A, reason: '', office: { level: 'province', divisionCode: '410000' }, at }).then([
      { type: 'ArbitrationDecided', data: { caseId, validRecordId: A, proposedRecordId: A, decidedAt: at } },
      resolved(A, [C], 'arbitration'),
    ]);
    // ... or picks the other with a reason
    state.when({ type: 'Arbitrate', recordId: C, reason: ' ', office: { level: 'province', divisionCode: '410000' }, at }).thenFails('validation-failed');
    state.when({ type: 'Arbitrate', recordId: C, reason: '幼儿实际在开封就读，有学费票据', office: { level: 'province', divisionCode: '410000' }, at }).then([
      { type: 'ArbitrationDecided', data: { caseId, validRecordId: C, proposedRecordId: A, decidedAt: at }, reason: '幼儿实际在开封就读，有学费票据' },
      resolved(C, [A], 'arbitration'),
    ]);
    // nobody else arbitrates: not a prefecture, not a county, not another province
    for (const office of [{ level: 'prefecture', divisionCode: '410100' }, { level: 'county', divisionCode: '410102' }, { level: 'province', divisionCode: '420000' }, { level: 'institution', divisionCode: '410102' }] as const) {
      state.when({ type: 'Arbitrate', recordId: A, reason: '', office, at }).thenFails('not-the-arbitrator', 'forbidden');
    }
    state.when({ type: 'Arbitrate', recordId: B, reason: '不在候选中', office: { level: 'province', divisionCode: '410000' }, at }).thenFails('not-a-candidate');
  });

  it('the arbitrator is the lowest common superior: county, prefecture or province', () => {
    expect(arbiterOf([a, aSameCounty])).toEqual({ level: 'county', divisionCode: '410102' });
    expect(arbiterOf([a, b])).toEqual({ level: 'prefecture', divisionCode: '410100' });
    expect(arbiterOf([a, c])).toEqual({ level: 'province', divisionCode: '410000' });
    expect(arbiterOf([a, b, c])).toEqual({ level: 'province', divisionCode: '410000' });
    // districts of a municipality have no real prefecture: the province (city) arbitrates
    const x = entry(A, '1111010001', '110101', at, null);
    const y = entry(B, '1111010002', '110105', at, null);
    expect(arbiterOf([x, y])).toEqual({ level: 'province', divisionCode: '110000' });
    expect(proposalOf([b, c, a])).toBe(A);
  });

  it('a new entry joining while arbitration is pending is heard first; a candidate leaving re-asks or resolves', () => {
    const request: DuplicateCaseEvent = { type: 'ArbitrationRequested', data: { caseId, level: 'prefecture', divisionCode: '410100', candidateRecordIds: [A, B], proposedRecordId: A, waitingRecordIds: [A, B], requestedAt: at } };
    const pending = [opened(a, b), filed(a), filed(b), accepted(a), accepted(b), request];
    spec.given(pending).when({ type: 'OpenOrJoin', caseId, keyHash, entries: [a, b, c], at }).then([
      { type: 'DuplicateEntryJoined', data: { caseId, entry: c, joinedAt: at } },
      { type: 'ArbitrationCancelled', data: { caseId, waitingRecordIds: [A, B, C], cancelledAt: at } },
    ]);
    spec.given(pending).when({ type: 'WithdrawEntry', recordId: B, how: 'deleted', recordRevision: 8, at }).then([
      { type: 'DuplicateEntryWithdrawn', data: { caseId, recordId: B, how: 'deleted', recordRevision: 8, withdrawnAt: at } },
      resolved(A, [], 'last-remaining'),
    ]);
  });

  it('every evidence failed: the case waits; the county may force-delete an unhandled or failed entry, with a reason', () => {
    spec.given([opened(a, b), filed(a), filed(b), rejected(a)]).when(review(b, false)).then([rejected(b)]);
    const stuck = spec.given([opened(a, b), filed(a), filed(b), rejected(a), rejected(b)]);
    stuck.when(fileEvidence(a, '补充户口簿及入园缴费凭证')).then([{ ...filed(a), reason: '补充户口簿及入园缴费凭证' }]);
    stuck.when({ type: 'ForceDeleteEntry', recordId: B, reason: '经核实幼儿不在该园', office: county(b), at }).then([
      { type: 'DuplicateEntryForceDeleted', data: { caseId, recordId: B, deletedAt: at }, reason: '经核实幼儿不在该园' },
      resolved(A, [], 'last-remaining'),
    ]);
    stuck.when({ type: 'ForceDeleteEntry', recordId: B, reason: '经核实幼儿不在该园', office: county(a), at }).thenFails('not-entry-county', 'forbidden');
    stuck.when({ type: 'ForceDeleteEntry', recordId: B, reason: '', office: county(b), at }).thenFails('validation-failed');
    spec.given([opened(a, b), filed(b)]).when({ type: 'ForceDeleteEntry', recordId: B, reason: '长期未处理', office: county(b), at }).thenFails('entry-being-handled');
    spec.given([opened(a, b)]).when({ type: 'ForceDeleteEntry', recordId: B, reason: '长期未处理', office: county(b), at }).then([
      { type: 'DuplicateEntryForceDeleted', data: { caseId, recordId: B, deletedAt: at }, reason: '长期未处理' },
      resolved(A, [], 'last-remaining'),
    ]);
  });

  it('evidence: only the entry’s institution files it, once at a time; only its county reviews it', () => {
    const other = { ...fileEvidence(a), institutionCode: '1141010004' } as DuplicateCaseCommand;
    spec.given([opened(a, b)]).when(other).thenFails('case-entry-not-found', 'not_found');
    spec.given([opened(a, b), filed(a)]).when(fileEvidence(a)).thenFails('evidence-under-review');
    spec.given([opened(a, b), filed(a), accepted(a)]).when(fileEvidence(a)).thenFails('evidence-already-passed');
    spec.given([opened(a, b)]).when(fileEvidence(a, ' ')).thenFails('validation-failed');
    spec.given([opened(a, b)]).when(fileEvidence(a, '很'.repeat(501))).thenFails('validation-failed');
    spec.given([opened(a, b)]).when({ ...fileEvidence(a), files: [] } as DuplicateCaseCommand).thenFails('validation-failed');
    spec.given([opened(a, b), filed(a)]).when({ ...review(a, true), office: county(b) } as DuplicateCaseCommand).thenFails('not-entry-county', 'forbidden');
    spec.given([opened(a, b), filed(a)]).when({ ...review(a, true), office: { level: 'prefecture', divisionCode: '410100' } } as DuplicateCaseCommand).thenFails('not-entry-county', 'forbidden');
    spec.given([opened(a, b)]).when(review(a, true)).thenFails('no-evidence-to-review');
    spec.given([opened(a, b), filed(a)]).when(review(a, false, '')).thenFails('validation-failed');
    spec.given([opened(a, b), resolved(A, [B], 'single-pass')]).when(fileEvidence(a)).thenFails('case-resolved');
    spec.given([]).when(fileEvidence(a)).thenFails('case-not-found', 'not_found');
  });

  it('a resolved case takes no newcomers (the key opens a new case for them)', () => {
    spec.given([opened(a, b), resolved(A, [B], 'single-pass')]).when({ type: 'OpenOrJoin', caseId, keyHash, entries: [a, c], at }).then([]);
  });

  it('whatever the order of actions, a case that resolves keeps exactly one valid entry and voids or removes every other', () => {
    // a seeded random walk over every command, many times: the invariant of issue 5
    let seed = 20261130;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const entries = [a, b, c];
    let resolvedCases = 0;
    for (let run = 0; run < 400; run++) {
      let state: DuplicateCaseState = duplicateCaseDecider.initialState;
      const apply = (command: DuplicateCaseCommand) => {
        try {
          state = duplicateCaseDecider.decide(command, state).reduce(duplicateCaseDecider.evolve, state);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
        }
      };
      apply({ type: 'OpenOrJoin', caseId, keyHash, entries: [a, b], at });
      let revision = 10;
      for (let step = 0; step < 30 && state.status !== 'resolved'; step++) {
        const e = pick(entries);
        const arbiter = state.arbitration ?? { level: 'county' as const, divisionCode: '000000' };
        apply(pick<DuplicateCaseCommand>([
          { type: 'OpenOrJoin', caseId, keyHash, entries: [{ ...e, recordRevision: revision++ }], at },
          fileEvidence(e), fileEvidence(e), review(e, true), review(e, false), review(e, true),
          { type: 'WithdrawEntry', recordId: e.recordId, how: pick(['deleted', 'corrected'] as const), recordRevision: revision++, at },
          { type: 'ForceDeleteEntry', recordId: e.recordId, reason: '长期未处理', office: county(e), at },
          { type: 'Arbitrate', recordId: pick(state.arbitration?.candidateRecordIds ?? [A]), reason: '经核实', office: arbiter, at },
        ]));
      }
      if (state.status !== 'resolved') continue;
      resolvedCases++;
      const valid = state.entries.filter((x) => x.status === 'valid');
      expect(valid.length).toBeLessThanOrEqual(1);
      // nobody is left in between: every entry is valid, void, or left on its own
      expect(state.entries.every((x) => ['valid', 'void', 'deleted', 'corrected', 'force-deleted'].includes(x.status))).toBe(true);
      if (state.resolution!.how !== 'last-remaining') expect(valid).toHaveLength(1);
      if (state.resolution!.validRecordId === null) expect(state.entries.every((x) => x.status !== 'void')).toBe(true);
    }
    expect(resolvedCases).toBeGreaterThan(300);
  });

  it('follows its key to the stream of the keyed hash (re-keying, ADR 22); a resolved or unknown case has no key to follow', () => {
    const newHash = 'b'.repeat(64);
    const rekey = { type: 'RekeyCase' as const, keyHash: newHash, at };
    const rekeyed: DuplicateCaseEvent = { type: 'DuplicateCaseRekeyed', data: { caseId, keyHash: newHash, previousKeyHash: keyHash, rekeyedAt: at } };
    spec.given([opened(a, b)]).when(rekey).then([rekeyed]);
    spec.given([opened(a, b), rekeyed]).when(rekey).then([]);
    spec.given([opened(a, b), rekeyed]).thenState({ keyHash: newHash, status: 'open' });
    spec.given([]).when(rekey).then([]);
    spec.given([opened(a, b), resolved(A, [B], 'single-pass')]).when(rekey).then([]);
  });
});
