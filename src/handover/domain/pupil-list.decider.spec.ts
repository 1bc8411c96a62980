import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { EXAMPLE_FIELDS, HANDOVER_EVENTS } from './handover.events.js';
import { type NewEntry, type PupilListEvent, pupilListDecider } from './pupil-list.decider.js';
import type { Match } from './pupil.js';

const spec = deciderSpec(pupilListDecider, new EventRegistry().register(HANDOVER_EVENTS));
const at = '2027-09-02T02:00:00.000Z';
const listId = '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716';
const [e1, e2, e3] = ['7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d', '8b7c6d5e-4f3a-4b2c-9d0e-1f2a3b4c5d6e', '9c8d7e6f-5a4b-4c3d-8e1f-2a3b4c5d6e7f'];
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const other = '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f';
const pupil = { name: '王小明', gender: '1', birthDate: '2021-03-15', idType: '1', idNumber: '410102202103150014' };
const matched: Match = { outcome: 'matched', recordId, candidates: [], basis: 'id-and-key' };
const toConfirm: Match = { outcome: 'to-confirm', recordId: null, candidates: [recordId, other], basis: 'id-only' };
const notFound: Match = { outcome: 'not-found', recordId: null, candidates: [], basis: null };
const entries: NewEntry[] = [
  { entryId: e1, row: 2, pupil, match: matched },
  { entryId: e2, row: 3, pupil: { ...pupil, name: '王晓明' }, match: toConfirm },
  { entryId: e3, row: 4, pupil: { ...pupil, idNumber: '410102202103150030' }, match: notFound },
];
const issue = { row: 5, column: '身份证件号码', value: '1', code: 'id-number-length', reason: '身份证号码应为 18 位' };
const importList = { type: 'ImportPupilList' as const, listId, schoolCode: '2141010101', divisionCode: '410102', fileName: '新生.xlsx', fileSha256: 'b'.repeat(64), rows: 4, issues: [issue], entries, at };
const imported: PupilListEvent = {
  type: 'PupilListImported',
  data: { listId, schoolCode: '2141010101', divisionCode: '410102', fileName: '新生.xlsx', fileSha256: 'b'.repeat(64), rows: 4, failed: 1, issues: [issue], entries, importedAt: at },
};
const facts = { recordId, kindergartenCode: '1141010001', kindergartenDivisionCode: '410102', recordKey: pupil };
const supplement = { type: 'SupplementEntry' as const, entryId: e1, facts, fields: { ...EXAMPLE_FIELDS, address: '郑州市中原区桐柏路 8 号' }, at };

describe('pupil list decider (issue 16)', () => {
  it('stores the list whole: each good row an entry with its match, the bad rows in the log', () => {
    const state = spec.given([]).when(importList).then([imported]);
    expect(Object.values(state.entries).map((e) => [e.row, e.status, e.recordId])).toEqual([[2, 'matched', recordId], [3, 'to-confirm', null], [4, 'not-found', null]]);
    spec.given([imported]).when(importList).thenFails('list-exists');
    spec.given([]).when({ ...importList, entries: [] }).thenFails('validation-failed', 'validation');
  });

  it('an entry not yet matched is corrected and matched again; a matched one is refused', () => {
    const corrected = spec.given([imported]).when({ type: 'CorrectEntry', entryId: e3, pupil, match: matched, at }).then([
      { type: 'PupilEntryCorrected', data: { listId, entryId: e3, pupil, match: matched, from: 'not-found', correctedAt: at } },
    ]);
    expect(corrected.entries[e3]).toMatchObject({ status: 'matched', recordId });
    const refused = spec.given([imported]).when({ type: 'CorrectEntry', entryId: e1, pupil, match: notFound, at }).thenFails('entry-status', 'rule');
    expect(refused.message).toContain('已匹配学前学籍');
    spec.given([imported]).when({ type: 'CorrectEntry', entryId: e3, pupil: entries[2]!.pupil, match: notFound, at }).then([]);
  });

  it('to confirm: a candidate is picked, or none match (undone by correcting); a record not offered is refused', () => {
    const confirmed = spec.given([imported]).when({ type: 'ConfirmCandidate', entryId: e2, recordId: other, at }).then([{ type: 'PupilCandidateConfirmed', data: { listId, entryId: e2, recordId: other, confirmedAt: at } }]);
    expect(confirmed.entries[e2]).toMatchObject({ status: 'matched', recordId: other });
    spec.given([imported]).when({ type: 'ConfirmCandidate', entryId: e2, recordId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', at }).thenFails('not-a-candidate');
    const rejected: PupilListEvent = { type: 'PupilCandidatesRejected', data: { listId, entryId: e2, rejectedAt: at } };
    spec.given([imported]).when({ type: 'RejectCandidates', entryId: e2, at }).then([rejected]);
    spec.given([imported, rejected]).when({ type: 'CorrectEntry', entryId: e2, pupil: entries[1]!.pupil, match: toConfirm, at }).then([
      { type: 'PupilEntryCorrected', data: { listId, entryId: e2, pupil: entries[1]!.pupil, match: toConfirm, from: 'none-match', correctedAt: at } },
    ]);
    spec.given([imported]).when({ type: 'ConfirmCandidate', entryId: e3, recordId, at }).thenFails('entry-status');
  });

  it('supplement: the school’s copy of the 17 fields; a key field changed is refused; repeated, nothing changes', () => {
    const supplemented: PupilListEvent = {
      type: 'PupilEntrySupplemented',
      data: { listId, entryId: e1, schoolCode: '2141010101', recordId, kindergartenCode: '1141010001', kindergartenDivisionCode: '410102', fields: supplement.fields, supplementedAt: at },
    };
    expect(spec.given([imported]).when(supplement).then([supplemented]).entries[e1]!.status).toBe('supplemented');
    spec.given([imported, supplemented]).when(supplement).then([]);
    const locked = spec.given([imported]).when({ ...supplement, fields: { ...supplement.fields, name: '王大明' } }).thenFails('validation-failed', 'validation');
    expect(locked.errors).toEqual([expect.objectContaining({ field: 'name', code: 'key-field-locked' })]);
    spec.given([imported]).when({ ...supplement, entryId: e2 }).thenFails('entry-status');
    spec.given([imported]).when({ ...supplement, facts: { ...facts, recordId: other } }).thenFails('entry-record-changed', 'conflict');
  });

  it('deletes any entry but a supplemented one; a deleted entry is gone', () => {
    const deleted: PupilListEvent = { type: 'PupilEntryDeleted', data: { listId, entryId: e1, from: 'matched', deletedAt: at }, reason: '已转学' };
    spec.given([imported]).when({ type: 'DeleteEntry', entryId: e1, reason: '已转学', at }).then([deleted]);
    spec.given([imported, deleted]).when({ type: 'DeleteEntry', entryId: e1, reason: '', at }).thenFails('entry-not-found', 'not_found');
    const supplemented: PupilListEvent = {
      type: 'PupilEntrySupplemented',
      data: { listId, entryId: e1, schoolCode: '2141010101', recordId, kindergartenCode: '1141010001', kindergartenDivisionCode: '410102', fields: EXAMPLE_FIELDS, supplementedAt: at },
    };
    spec.given([imported, supplemented]).when({ type: 'DeleteEntry', entryId: e1, reason: '', at }).thenFails('entry-status');
  });
});
