import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { EXAMPLE_CHILD, RECORD_EVENTS } from '../domain/record.events.js';
import { recordsProjection } from './records.projection.js';

const sample = (type: string) => RECORD_EVENTS.find((d) => d.type === type)!.example as Record<string, unknown>;
const recordId = String(sample('RecordSaved')['recordId']);
const caseId = String(sample('RecordFlaggedAsDuplicate')['caseId']);
type Step = [type: string, data?: Record<string, unknown>, reason?: string];
// one record's stream in order, a minute apart: positions and times increase along the list
const history = (...steps: Step[]) =>
  steps.map(([type, data, reason], i) => recorded(type, data ?? sample(type), { recordedAt: minute(i), ...(reason ? { reason } : {}) }));
const minute = (i: number): string => `2026-09-05T02:${String(i).padStart(2, '0')}:00.000Z`;
const project = (...steps: Step[]) => projectEvents(recordsProjection, history(...steps)).doc('records', recordId);

const saved: Step = ['RecordSaved', { ...sample('RecordSaved'), importRef: null }];
const submitted: Step = ['RecordSubmitted'];
const passed: Step = ['RecordPassedDeduplication'];
const numbered: Step[] = [['RecordApproved'], ['RecordNumberIssued']];
const flagged: Step = ['RecordFlaggedAsDuplicate'];

describe('child records projection', () => {
  it('a saved record is in its institution’s saved queue, with the key fields searches use and nothing more of the child', () => {
    const doc = project(saved);
    expect(doc).toEqual({
      id: recordId, institutionCode: '1141010001', divisionCode: '410102', status: 'saved', recordNumber: null, importBatchId: null, importRow: null,
      classId: null, caseId: null, rejectReason: null, savedAt: minute(0), submittedAt: null, approvedAt: null, overAgeConfirmed: false, visibleAbove: false,
      name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150018', presenceKey: 'id:410102202203150018', updatedAt: minute(0),
    });
    // guardians and addresses stay in the stream
    expect(JSON.stringify(doc)).not.toContain(EXAMPLE_CHILD.guardians[0]!.idNumber!);
    expect(project(['RecordSaved'])).toMatchObject({ importBatchId: caseId, importRow: 12 });
  });

  it('an edit updates the searched fields and the presence key (a child without an ID by name, gender and birth date)', () => {
    const noId = { ...EXAMPLE_CHILD, name: '王 晓明', idType: 'Z', idNumber: null };
    expect(project(saved, ['RecordEdited', { ...sample('RecordEdited'), child: noId, overAgeConfirmed: true }])).toMatchObject({
      name: '王 晓明', idNumber: null, idType: 'Z', presenceKey: 'nid:1141010001:王晓明:1:2022-03-15', overAgeConfirmed: true, status: 'saved', updatedAt: minute(1),
    });
  });

  it('moves through the queues: submitted, review (dedupe-passed), numbered and visible above the institution', () => {
    expect(project(saved, submitted)).toMatchObject({ status: 'submitted', submittedAt: minute(1), updatedAt: minute(1), visibleAbove: false });
    expect(project(saved, submitted, passed)).toMatchObject({ status: 'dedupe-passed', updatedAt: minute(2), visibleAbove: false });
    expect(project(saved, submitted, passed, ...numbered)).toMatchObject({ status: 'numbered', recordNumber: 'G410102202203150018', approvedAt: minute(3), updatedAt: minute(4), visibleAbove: true });
  });

  it('a rejection keeps its reason until the record is submitted again', () => {
    const rejected: Step = ['RecordRejected', undefined, '出生日期与户口簿不符'];
    expect(project(saved, submitted, passed, rejected)).toMatchObject({ status: 'rejected', rejectReason: '出生日期与户口簿不符', visibleAbove: false });
    expect(project(saved, submitted, passed, rejected, submitted)).toMatchObject({ status: 'submitted', rejectReason: null, submittedAt: minute(4) });
  });

  it('a problem record is in the problem queue with its case and seen above; leaving the case clears it', () => {
    expect(project(saved, submitted, flagged)).toMatchObject({ status: 'problem', caseId, visibleAbove: true });
    expect(project(saved, submitted, flagged, ['RecordLeftDuplicateCase'])).toMatchObject({ status: 'problem', caseId: null });
    // kept by its case it returns where it was: review, or numbered if it had been approved
    expect(project(saved, submitted, flagged, ['RecordKeptAfterDuplicateCase', { ...sample('RecordKeptAfterDuplicateCase'), status: 'dedupe-passed' }])).toMatchObject({ status: 'dedupe-passed', caseId: null, visibleAbove: false });
    expect(project(saved, submitted, passed, ...numbered, flagged, ['RecordKeptAfterDuplicateCase'])).toMatchObject({ status: 'numbered', caseId: null, recordNumber: 'G410102202203150018', visibleAbove: true });
  });

  it('a voided record stays, void and seen above, with the reason', () => {
    expect(project(saved, submitted, flagged, ['RecordVoided', undefined, '仲裁认定为重复学籍'])).toMatchObject({ status: 'void', voidReason: '仲裁认定为重复学籍', caseId, visibleAbove: true });
  });

  it('a key-information change sends it back to de-duplication, keeping its number, with the new key fields', () => {
    const doc = project(saved, submitted, passed, ...numbered, ['KeyInformationChanged', { ...sample('KeyInformationChanged'), after: { ...(sample('KeyInformationChanged')['after'] as object), idNumber: '410102202203150026', gender: '2' } }]);
    expect(doc).toMatchObject({ status: 'submitted', submittedAt: minute(5), name: '王晓明', gender: '2', idNumber: '410102202203150026', presenceKey: 'id:410102202203150026', recordNumber: 'G410102202203150018', visibleAbove: true });
  });

  it('a deleted record leaves every list; later events of it make no document', () => {
    expect(project(saved, ['RecordDeleted'])).toBeNull();
    expect(project(saved, ['RecordDeleted'], submitted)).toBeNull();
    expect(project(submitted, passed)).toBeNull();
  });

  it('a transfer moves the record to the receiving kindergarten with its number, out of any class (issue 15)', () => {
    const moved = project(saved, submitted, passed, ...numbered, ['ChildPlaced', { recordId, classId: caseId }], ['RecordTransferApplied'], ['RecordTransferred']);
    expect(moved).toMatchObject({ institutionCode: '1141020001', divisionCode: '410202', status: 'numbered', recordNumber: 'G410102202203150018', classId: null, visibleAbove: true, presenceKey: 'id:410102202203150018' });
    // the receiving kindergarten's key for a child without an ID number
    const noId = { ...EXAMPLE_CHILD, idType: 'Z', idNumber: null };
    expect(project(['RecordSaved', { ...sample('RecordSaved'), child: noId }], ['RecordTransferred'])).toMatchObject({ presenceKey: 'nid:1141020001:王小明:1:2022-03-15' });
  });

  it('a hand-over to a primary school names the school on the record (issue 16)', () => {
    const doc = project(saved, submitted, passed, ...numbered, ['RecordLeft'], ['RecordHandedOver']);
    expect(doc).toMatchObject({ status: 'left', handedOverTo: '2141010101', handedOverAt: sample('RecordHandedOver')['handedOverAt'], updatedAt: minute(6) });
  });

  it('an erased record leaves every list and search, its hashed keys with it (issue 21)', () => {
    expect(project(saved, submitted, passed, ...numbered)).toMatchObject({ status: 'numbered' });
    expect(project(saved, submitted, passed, ...numbered, ['RecordErased'])).toBeNull();
  });
});
