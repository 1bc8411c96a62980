import type { EventDefinition } from '../../shared/events/event-definition.js';

const transferId = '7c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const at = '2026-09-05T02:00:00.000Z';
const context = 'transfers';
const parties = { fromInstitutionCode: '1141010001', fromDivisionCode: '410102', toInstitutionCode: '1141020001', toDivisionCode: '410202' };

export const TRANSFER_EVENTS: EventDefinition[] = [
  { context, type: 'TransferApplied', version: 1, example: { transferId, recordId, flow: 'receiving-first', ...parties, appliedAt: at } },
  { context, type: 'TransferAgreed', version: 1, example: { transferId, agreedAt: at } },
  { context, type: 'TransferRefused', version: 1, example: { transferId, refusedAt: at } },
  { context, type: 'TransferWithdrawn', version: 1, example: { transferId, withdrawnAt: at } },
  { context, type: 'TransferCompleted', version: 1, example: { transferId, recordStatus: 'numbered', completedAt: at } },
  { context, type: 'TransferReserved', version: 1, example: { recordId, transferId, toInstitutionCode: '1141020001', reservedAt: at } },
  { context, type: 'TransferReservationReleased', version: 1, example: { recordId, transferId, releasedAt: at } },
];
