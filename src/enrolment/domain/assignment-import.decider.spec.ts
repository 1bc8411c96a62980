import { describe, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { type AssignmentImportCommand, type AssignmentImportEvent, assignmentImportDecider } from './assignment-import.decider.js';
import { ENROLMENT_EVENTS } from './enrolment.events.js';

const registry = new EventRegistry().register(ENROLMENT_EVENTS);
const at = '2027-08-20T02:00:00.000Z';
const batchId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const late = { row: 6, column: 'B', value: '中九班', code: 'class-unknown', reason: '本园没有名为“中九班”的班级' };
const early = { row: 4, column: 'A', value: 'G410102200001010000', code: 'record-unknown', reason: '本园没有该学籍号' };
const record: AssignmentImportCommand = { type: 'RecordAssignmentImport', batchId, institutionCode: '1141010001', fileName: null, rows: 5, placed: 3, unchanged: 0, failed: 2, issues: [late, early], placements: [{ recordId: batchId, classId: batchId }], at };
const imported: AssignmentImportEvent = { type: 'ClassAssignmentsImported', data: { batchId, institutionCode: '1141010001', fileName: null, rows: 5, placed: 3, unchanged: 0, failed: 2, issues: [early, late], placements: [{ recordId: batchId, classId: batchId }], importedAt: at } };

describe('class-assignment import batch decider', () => {
  const spec = deciderSpec(assignmentImportDecider, registry);
  it('records a batch with its counts and its log in row order', () => {
    spec.given([]).when(record).then([imported]);
  });
  it('a batch is written once', () => {
    spec.given([imported]).when(record).thenFails('import-batch-exists', 'conflict');
  });
});
