import type { EventDefinition } from '../../shared/events/event-definition.js';
import type { CaseEntry } from './duplicate-case.decider.js';

const caseId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const a = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const b = '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f';
const at = '2026-09-05T02:00:00.000Z';
const keyHash = 'a'.repeat(64);
const entry: CaseEntry = {
  recordId: a, institutionCode: '1141010001', divisionCode: '410102', prefectureCode: '410100', provinceCode: '410000', name: '王小明', enteredAt: '2026-09-01T01:00:00.000Z', recordRevision: 3,
};
const other: CaseEntry = { ...entry, recordId: b, institutionCode: '1141020001', divisionCode: '410202', prefectureCode: '410200', enteredAt: '2026-09-04T01:00:00.000Z', recordRevision: 2 };

/** The duplicate case's events (issue 5): each with a realistic sample the schema test validates. */
export const DUPLICATE_CASE_EVENTS: EventDefinition[] = [
  { context: 'records', type: 'DuplicateCaseOpened', version: 1, example: { caseId, keyHash, entries: [entry, other], openedAt: at } },
  { context: 'records', type: 'DuplicateEntryJoined', version: 1, example: { caseId, entry: { ...other, prefectureCode: null }, joinedAt: at } },
  {
    context: 'records', type: 'EvidenceFiled', version: 1,
    example: { caseId, recordId: a, institutionCode: '1141010001', files: [{ sha256: 'c'.repeat(64), size: 183_204, contentType: 'image/jpeg', fileName: '户口簿首页.jpg' }], filedAt: at },
  },
  { context: 'records', type: 'EvidenceAccepted', version: 1, example: { caseId, recordId: a, reviewedAt: at } },
  { context: 'records', type: 'EvidenceRejected', version: 1, example: { caseId, recordId: b, reviewedAt: at } },
  { context: 'records', type: 'DuplicateEntryWithdrawn', version: 1, example: { caseId, recordId: b, how: 'deleted', recordRevision: 5, withdrawnAt: at } },
  { context: 'records', type: 'DuplicateEntryForceDeleted', version: 1, example: { caseId, recordId: b, deletedAt: at } },
  {
    context: 'records', type: 'ArbitrationRequested', version: 1,
    example: { caseId, level: 'province', divisionCode: '410000', candidateRecordIds: [a, b], proposedRecordId: a, waitingRecordIds: [a, b], requestedAt: at },
  },
  { context: 'records', type: 'ArbitrationCancelled', version: 1, example: { caseId, waitingRecordIds: [a, b], cancelledAt: at } },
  { context: 'records', type: 'ArbitrationDecided', version: 1, example: { caseId, validRecordId: b, proposedRecordId: a, decidedAt: at } },
  { context: 'records', type: 'DuplicateCaseResolved', version: 1, example: { caseId, keyHash, validRecordId: a, voidRecordIds: [b], how: 'arbitration', resolvedAt: at } },
  { context: 'records', type: 'DuplicateCaseRekeyed', version: 1, example: { caseId, keyHash: 'b'.repeat(64), previousKeyHash: keyHash, rekeyedAt: at } },
];
