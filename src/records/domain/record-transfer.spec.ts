import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type ChildFields, dedupeKey } from './child.js';
import { type RecordEvent, recordDecider } from './record.decider.js';
import { EXAMPLE_CHILD, RECORD_EVENTS } from './record.events.js';

const spec = deciderSpec(recordDecider, new EventRegistry().register(RECORD_EVENTS));
const at = '2026-09-07T02:00:00.000Z';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const transferId = '7c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const FROM = '1141010001';
const TO = '1141020001';

function lifeOf(child: ChildFields): RecordEvent[] {
  return [
    { type: 'RecordSaved', data: { recordId, institutionCode: FROM, divisionCode: '410102', child, overAgeConfirmed: false, importRef: null, savedAt: at } },
    { type: 'RecordSubmitted', data: { recordId, dedupeKey: dedupeKey(child, FROM), submittedAt: at } },
    { type: 'RecordPassedDeduplication', data: { recordId, passedAt: at } },
    { type: 'RecordApproved', data: { recordId, approvedAt: at } },
    { type: 'RecordNumberIssued', data: { recordId, recordNumber: child.idNumber ? `G${child.idNumber}` : 'J410102202203150011', issuedAt: at } },
  ];
}
const numbered = lifeOf(EXAMPLE_CHILD);
const move = { type: 'MoveRecord' as const, transferId, toInstitutionCode: TO, toDivisionCode: '410202', at };
const transferred = (status: 'numbered' | 'dedupe-passed' = 'numbered'): RecordEvent => ({
  type: 'RecordTransferred',
  data: { recordId, transferId, fromInstitutionCode: FROM, fromDivisionCode: '410102', toInstitutionCode: TO, toDivisionCode: '410202', status, transferredAt: at },
});

describe('child record decider: transfers between kindergartens (issue 15)', () => {
  it('a numbered child moves with its number; the same move again changes nothing', () => {
    const state = spec.given(numbered).when(move).then([transferred()]);
    expect(state).toMatchObject({ institutionCode: TO, divisionCode: '410202', status: 'numbered', recordNumber: `G${EXAMPLE_CHILD.idNumber}` });
    spec.given([...numbered, transferred()]).when(move).then([]);
  });

  it('a record back in review after a key change arrives dedupe-passed; a child that left transfer-out arrives numbered', () => {
    const rereview: RecordEvent[] = [...numbered, { type: 'KeyInformationChanged', data: { recordId, before: { name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: EXAMPLE_CHILD.idNumber }, after: { name: '王晓明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: EXAMPLE_CHILD.idNumber }, dedupeKey: `id:${EXAMPLE_CHILD.idNumber}`, changedAt: at }, reason: '更正' }, { type: 'RecordPassedDeduplication', data: { recordId, passedAt: at } }];
    spec.given(rereview).when(move).then([transferred('dedupe-passed')]);
    const left: RecordEvent = { type: 'RecordLeft', data: { recordId, leaveType: 'transfer-out', leaveDate: '2026-09-04', leftAt: at }, reason: '转园' };
    expect(spec.given([...numbered, left]).when(move).then([transferred()])).toMatchObject({ status: 'numbered', leave: null });
  });

  it('problem, void, cancelled, otherwise left and own records are refused', () => {
    spec.given([...numbered, { type: 'RecordFlaggedAsDuplicate', data: { recordId, caseId: transferId, flaggedAt: at } }]).when(move).thenFails('record-status', 'rule');
    spec.given([...numbered, { type: 'RecordLeft', data: { recordId, leaveType: 'graduated', leaveDate: '2026-07-04', leftAt: at } }]).when(move).thenFails('transfer-left-record', 'rule');
    spec.given([...numbered, { type: 'RecordCancelled', data: { recordId, accidentDate: '2026-09-01', proofFileIds: ['a'.repeat(64)], cancelledAt: at } }]).when(move).thenFails('record-status', 'rule');
    spec.given(numbered).when({ ...move, toInstitutionCode: FROM }).thenFails('transfer-same-institution', 'rule');
  });

  it('a child without an ID number takes the receiving kindergarten’s de-duplication key; an ID-number key stays', () => {
    const noId: ChildFields = { ...EXAMPLE_CHILD, idType: 'Z', idNumber: null };
    const state = spec.given(lifeOf(noId)).when(move).then([transferred()]);
    expect(state.dedupeKey).toBe(dedupeKey(noId, TO));
    expect(state.dedupeKey).not.toBe(dedupeKey(noId, FROM));
    expect(spec.given(numbered).when(move).then([transferred()]).dedupeKey).toBe(`id:${EXAMPLE_CHILD.idNumber}`);
  });

  it('notes each step once, with the reason of a refusal; the record itself does not change', () => {
    const note = (step: 'applied' | 'refused', reason: string | null = null) => ({ type: 'NoteTransfer' as const, step, transferId, toInstitutionCode: TO, reason, at });
    const applied: RecordEvent = { type: 'RecordTransferApplied', data: { recordId, transferId, toInstitutionCode: TO, appliedAt: at } };
    const state = spec.given(numbered).when(note('applied')).then([applied]);
    expect(state).toMatchObject({ institutionCode: FROM, status: 'numbered' });
    spec.given([...numbered, applied]).when(note('applied')).then([]);
    spec.given([...numbered, applied]).when(note('refused', '幼儿仍在本园')).then([{ type: 'RecordTransferRefused', data: { recordId, transferId, refusedAt: at }, reason: '幼儿仍在本园' }]);
    spec.given([]).when(note('applied')).thenFails('record-not-found', 'not_found');
  });
});
