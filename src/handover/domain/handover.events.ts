import type { EventDefinition } from '../../shared/events/event-definition.js';

const listId = '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716';
const entryId = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const other = '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f';
const at = '2027-09-02T02:00:00.000Z';
const context = 'handover';
const pupil = { name: '王小明', gender: '1', birthDate: '2021-03-15', idType: '1', idNumber: '410102202103150014' };
const match = { outcome: 'matched', recordId, candidates: [], basis: 'id-and-key' };
export const EXAMPLE_FIELDS = {
  ...pupil, birthplaceCode: '410102', ethnicity: '01', nationality: 'CHN', hkMacaoTaiwan: '00', householdType: '2', householdCode: '410102',
  address: '郑州市中原区建设路 12 号', disabilityType: null, onlyChild: '1', leftBehind: '0', migrantWorkerChild: '0', orphan: '0',
};

export const HANDOVER_EVENTS: EventDefinition[] = [
  {
    context, type: 'PupilListImported', version: 1,
    example: {
      listId, schoolCode: '2141010101', divisionCode: '410102', fileName: '2027级新生名单.xlsx', fileSha256: 'b'.repeat(64), rows: 2, failed: 1,
      issues: [{ row: 3, column: '身份证件号码', value: '410102202103150015', code: 'id-number-check-digit', reason: '身份证号码校验位错误：最后一位应为 4，请核对号码是否抄错' }],
      entries: [{ entryId, row: 2, pupil, match }], importedAt: at,
    },
  },
  { context, type: 'PupilEntryCorrected', version: 1, example: { listId, entryId, pupil, match: { outcome: 'to-confirm', recordId: null, candidates: [recordId, other], basis: 'id-only' }, from: 'not-found', correctedAt: at } },
  { context, type: 'PupilEntryDeleted', version: 1, example: { listId, entryId, from: 'not-found', deletedAt: at } },
  { context, type: 'PupilCandidateConfirmed', version: 1, example: { listId, entryId, recordId, confirmedAt: at } },
  { context, type: 'PupilCandidatesRejected', version: 1, example: { listId, entryId, rejectedAt: at } },
  { context, type: 'PupilEntrySupplemented', version: 1, example: { listId, entryId, schoolCode: '2141010101', recordId, kindergartenCode: '1141010001', kindergartenDivisionCode: '410102', fields: EXAMPLE_FIELDS, supplementedAt: at } },
];
