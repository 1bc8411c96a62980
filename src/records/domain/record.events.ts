import type { EventDefinition } from '../../shared/events/event-definition.js';
import type { ChildFields } from './child.js';

const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const caseId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const at = '2026-09-05T02:00:00.000Z';
export const EXAMPLE_CHILD: ChildFields = {
  name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150018', ethnicity: '01', nationality: 'CHN',
  hkMacaoTaiwan: '00', birthplaceCode: '410102', householdCode: '410102', householdType: '2', address: '郑州市中原区建设路 12 号',
  healthStatus: '10', disabilityType: null, bloodType: null, onlyChild: '1', leftBehind: '0', migrantWorkerChild: '0', orphan: '0',
  guardians: [{ name: '王大明', relation: '父亲', idType: '1', idNumber: '11010519491231002X', phone: '13800000000' }],
};
const key = { name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150018' };

export const RECORD_EVENTS: EventDefinition[] = [
  { context: 'records', type: 'RecordSaved', version: 1, example: { recordId, institutionCode: '1141010001', divisionCode: '410102', child: EXAMPLE_CHILD, overAgeConfirmed: false, importRef: { batchId: caseId, row: 12 }, savedAt: at } },
  { context: 'records', type: 'RecordEdited', version: 1, example: { recordId, child: EXAMPLE_CHILD, overAgeConfirmed: false, editedAt: at } },
  { context: 'records', type: 'RecordDeleted', version: 1, example: { recordId, deletedAt: at } },
  { context: 'records', type: 'RecordSubmitted', version: 1, example: { recordId, dedupeKey: 'id:410102202203150018', submittedAt: at } },
  { context: 'records', type: 'RecordPassedDeduplication', version: 1, example: { recordId, passedAt: at } },
  { context: 'records', type: 'RecordFlaggedAsDuplicate', version: 1, example: { recordId, caseId, keyHash: 'a'.repeat(64), flaggedAt: at } },
  { context: 'records', type: 'RecordApproved', version: 1, example: { recordId, approvedAt: at } },
  { context: 'records', type: 'RecordNumberIssued', version: 1, example: { recordId, recordNumber: 'G410102202203150018', issuedAt: at } },
  { context: 'records', type: 'RecordRejected', version: 1, example: { recordId, rejectedAt: at } },
  { context: 'records', type: 'KeyInformationChanged', version: 1, example: { recordId, before: key, after: { ...key, name: '王晓明' }, dedupeKey: 'id:410102202203150018', changedAt: at } },
  { context: 'records', type: 'RecordLeftDuplicateCase', version: 1, example: { recordId, caseId, keyHash: 'a'.repeat(64), how: 'corrected', leftAt: at } },
  { context: 'records', type: 'RecordKeptAfterDuplicateCase', version: 1, example: { recordId, caseId, status: 'numbered', keptAt: at } },
  { context: 'records', type: 'RecordVoided', version: 1, example: { recordId, caseId, voidedAt: at } },
  { context: 'records', type: 'RecordLeft', version: 1, example: { recordId, leaveType: 'graduated', leaveDate: '2027-07-10', leftAt: at } },
  { context: 'records', type: 'RecordCancelled', version: 1, example: { recordId, accidentDate: '2026-09-01', proofFileIds: ["a".repeat(64)], cancelledAt: at } },
  { context: 'records', type: 'RecordRestored', version: 1, example: { recordId, applicationId: caseId, restoredAt: at } },
  { context: 'records', type: 'RecordTransferApplied', version: 1, example: { recordId, transferId: caseId, toInstitutionCode: '1141020001', appliedAt: at } },
  { context: 'records', type: 'RecordTransferAgreed', version: 1, example: { recordId, transferId: caseId, agreedAt: at } },
  { context: 'records', type: 'RecordTransferRefused', version: 1, example: { recordId, transferId: caseId, refusedAt: at } },
  { context: 'records', type: 'RecordTransferWithdrawn', version: 1, example: { recordId, transferId: caseId, withdrawnAt: at } },
  { context: 'records', type: 'RecordTransferred', version: 1, example: { recordId, transferId: caseId, fromInstitutionCode: '1141010001', fromDivisionCode: '410102', toInstitutionCode: '1141020001', toDivisionCode: '410202', status: 'numbered', transferredAt: at } },
  { context: 'records', type: 'RecordHandedOver', version: 1, example: { recordId, schoolCode: '2141010101', schoolName: '郑州市中原区建设路小学', entryId: caseId, leftKindergarten: true, handedOverAt: at } },
  { context: 'records', type: 'RecordErased', version: 1, example: { recordId, ground: 'created-by-mistake', keyHash: 'a'.repeat(64), erasedAt: at } },
  { context: 'records', type: 'DedupeKeyClaimed', version: 1, example: { keyHash: 'a'.repeat(64), recordId, institutionCode: '1141010001', claimedAt: at } },
  { context: 'records', type: 'DuplicateDetected', version: 1, example: { keyHash: 'a'.repeat(64), caseId, recordIds: [recordId, '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f'], detectedAt: at } },
  { context: 'records', type: 'DedupeKeyReleased', version: 1, example: { keyHash: 'a'.repeat(64), recordId, releasedAt: at } },
  { context: 'records', type: 'JRecordNumberReserved', version: 1, example: { areaCode: '410102', birthDate: '2022-03-15', sequence: 1, recordNumber: 'J410102202203150018', recordId, reservedAt: at } },
  { context: 'records', type: 'RecordImportStarted', version: 1, example: { batchId: caseId, institutionCode: '1141010001', fileName: '2026级小班.xlsx', fileSha256: 'b'.repeat(64), rows: 3, toSave: 1, startedAt: at } },
  { context: 'records', type: 'RecordImportWithdrawn', version: 1, example: { batchId: caseId, institutionCode: '1141010001', withdrawn: 1, kept: 0, withdrawnAt: at } },
  {
    context: 'records',
    type: 'RecordsImported',
    version: 1,
    example: {
      batchId: caseId, institutionCode: '1141010001', fileName: '2026级小班.xlsx', fileSha256: 'b'.repeat(64), rows: 3, saved: 1, failed: 1, alreadyPresent: 1,
      issues: [
        { row: 3, column: '身份证件号码', value: '410102202203150017', code: 'id-number-check-digit', reason: '身份证号码校验位错误：最后一位应为 8，请核对号码是否抄错' },
        { row: 4, column: '身份证件号码', value: '410102202203150018', code: 'already-present', reason: '本园已有该幼儿的记录（已保存），未重复导入' },
      ],
      importedAt: at,
    },
  },
];
