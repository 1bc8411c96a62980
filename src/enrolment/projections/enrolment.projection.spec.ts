import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { ENROLMENT_EVENTS } from '../domain/enrolment.events.js';
import { enrolmentProjection } from './enrolment.projection.js';

// the records' events as their schemas publish them (records' domain is not enrolment's to import)
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const at0 = '2027-07-05T02:00:00.000Z';
const child = { name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150018' };
const RECORD_SAMPLES: Record<string, Record<string, unknown>> = {
  RecordSaved: { recordId, institutionCode: '1141010001', divisionCode: '410102', child, overAgeConfirmed: false, importRef: null, savedAt: at0 },
  RecordApproved: { recordId, approvedAt: at0 },
  RecordNumberIssued: { recordId, recordNumber: 'G410102202203150018', issuedAt: at0 },
  RecordLeft: { recordId, leaveType: 'graduated', leaveDate: '2027-07-10', leftAt: at0 },
};
const sample = (type: string) => RECORD_SAMPLES[type] ?? (ENROLMENT_EVENTS.find((d) => d.type === type)!.example as Record<string, unknown>);
const classId = String(sample('ClassCreated')['classId']);
const minute = (i: number) => ({ recordedAt: `2027-07-05T02:${String(i).padStart(2, '0')}:00.000Z` });
const steps = (...types: Array<[string, Record<string, unknown>?, string?]>) => types.map(([type, data, reason], i) => recorded(type, data ?? sample(type), { ...minute(i), ...(reason ? { reason } : {}) }));

const inClass = steps(['RecordSaved'], ['RecordApproved'], ['RecordNumberIssued'], ['ClassCreated'], ['ChildrenJoinedClass', { classId, recordIds: [recordId], how: 'assigned', joinedAt: minute(4).recordedAt }]);

describe('enrolment projection', () => {
  it('a numbered child in a class, its mark, and the class', () => {
    const p = projectEvents(enrolmentProjection, [...inClass, ...steps(['ChildMarked', { classId, recordId, mark: '留园', markedAt: minute(5).recordedAt }])]);
    expect(p.doc('children', recordId)).toMatchObject({ institutionCode: '1141010001', name: '王小明', status: 'numbered', recordNumber: 'G410102202203150018', classId, mark: '留园', hasLeft: false });
    expect(p.doc('classes', classId)).toMatchObject({ name: '大一班', grade: '大班', schoolYear: '2026-2027', teachers: ['李老师'], graduating: null });
  });

  it('a leave enters the history with the class it left; leaving the class empties the child’s class', () => {
    const p = projectEvents(enrolmentProjection, [...inClass, ...steps(['RecordLeft', undefined, '整班毕业离园'], ['ChildrenLeftClass', { classId, recordIds: [recordId], how: 'left', leftAt: minute(7).recordedAt }])]);
    expect(p.doc('children', recordId)).toMatchObject({ status: 'left', classId: null, hasLeft: true, leaves: [{ leaveType: 'graduated', leaveDate: '2027-07-10', classId, reason: '整班毕业离园', enteredAt: expect.any(String) }] });
  });

  it('a restoration application waits, then is decided', () => {
    const p = projectEvents(enrolmentProjection, steps(['RestorationApplied', undefined, '误操作'], ['RestorationRejected', undefined, '幼儿已实际离园']));
    expect(p.doc('restorations', String(sample('RestorationApplied')['applicationId']))).toMatchObject({ status: 'rejected', reason: '误操作', decisionReason: '幼儿已实际离园', category: 'graduated' });
  });

  it('a transfer: the child belongs to the receiving kindergarten in no class; the sending one keeps its transfer-out leave (issue 15)', () => {
    const moved = { recordId, transferId: classId, fromInstitutionCode: '1141010001', fromDivisionCode: '410102', toInstitutionCode: '1141020001', toDivisionCode: '410202', status: 'numbered', transferredAt: at0 };
    const p = projectEvents(enrolmentProjection, [...inClass, ...steps(['RecordTransferred', moved])]);
    expect(p.doc('children', recordId)).toMatchObject({
      institutionCode: '1141020001', divisionCode: '410202', status: 'numbered', classId: null, hasLeft: false, departedFrom: '1141010001',
      leaves: [{ leaveType: 'transfer-out', leaveDate: '2027-07-05', classId, reason: '调转至其他幼儿园', enteredAt: expect.any(String) }],
    });
  });
});

