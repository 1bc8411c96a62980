import type { EventDefinition } from '../../shared/events/event-definition.js';

const classId = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const targetClassId = '4d2e3f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const other = '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f';
const applicationId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const at = '2027-07-05T02:00:00.000Z';
const context = 'enrolment';

export const ENROLMENT_EVENTS: EventDefinition[] = [
  { context, type: 'ClassCreated', version: 1, example: { classId, institutionCode: '1141010001', divisionCode: '410102', name: '大一班', grade: '大班', schoolYear: '2026-2027', teachers: ['李老师'], createdAt: at } },
  { context, type: 'ClassRenamed', version: 1, example: { classId, name: '大二班', renamedAt: at } },
  { context, type: 'ClassTeachersChanged', version: 1, example: { classId, teachers: ['李老师', '王老师'], changedAt: at } },
  { context, type: 'ClassDeleted', version: 1, example: { classId, deletedAt: at } },
  { context, type: 'ChildrenJoinedClass', version: 1, example: { classId, recordIds: [recordId], how: 'assigned', joinedAt: at } },
  { context, type: 'ChildrenLeftClass', version: 1, example: { classId, recordIds: [recordId], how: 'left', leftAt: at } },
  { context, type: 'ChildMarked', version: 1, example: { classId, recordId, mark: '留园', markedAt: at } },
  { context, type: 'ClassPromoted', version: 1, example: { classId, targetClassId, promoted: [recordId], stayed: [other], consumedMarks: [], promotedAt: at } },
  { context, type: 'ClassGraduationDecided', version: 1, example: { classId, graduationId: applicationId, recordIds: [recordId], stayed: [other], leaveDate: '2027-07-05', decidedAt: at } },
  { context, type: 'ClassGraduationCompleted', version: 1, example: { classId, graduationId: applicationId, completedAt: at } },
  { context, type: 'ChildPlaced', version: 1, example: { recordId, institutionCode: '1141010001', classId, fromClassId: null, placedAt: at } },
  { context, type: 'ChildUnplaced', version: 1, example: { recordId, classId, unplacedAt: at } },
  { context, type: 'RestorationApplied', version: 1, example: { applicationId, institutionCode: '1141010001', divisionCode: '410102', category: 'graduated', recordIds: [recordId], appliedAt: at } },
  { context, type: 'RestorationApproved', version: 1, example: { applicationId, approvedAt: at } },
  { context, type: 'RestorationRejected', version: 1, example: { applicationId, rejectedAt: at } },
  {
    context, type: 'ClassAssignmentsImported', version: 1,
    example: { batchId: applicationId, institutionCode: '1141010001', fileName: '分班表.xlsx', rows: 2, placed: 1, unchanged: 0, failed: 1, issues: [{ row: 3, column: 'B', value: '中九班', code: 'class-unknown', reason: '本园没有名为“中九班”的班级' }], placements: [{ recordId, classId }], importedAt: at },
  },
];
