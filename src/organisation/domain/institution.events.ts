import type { EventDefinition } from '../../shared/events/event-definition.js';

const batchId = '7f2b1c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f';
const entry = { code: '1141010001', name: '郑州市中原区第一幼儿园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: '教民141010270000001号' };

export const INSTITUTION_EVENTS: EventDefinition[] = [
  { context: 'organisation', type: 'InstitutionRegistered', version: 1, example: { ...entry, batchId } },
  { context: 'organisation', type: 'InstitutionRenamed', version: 1, example: { code: entry.code, from: entry.name, to: '郑州市中原区实验幼儿园', batchId } },
  { context: 'organisation', type: 'InstitutionRegistryDetailsChanged', version: 1, example: { code: entry.code, type: 'kindergarten', divisionCode: '410103', ownership: 'public', licence: null, batchId } },
  { context: 'organisation', type: 'InstitutionRevoked', version: 1, example: { code: entry.code, batchId } },
  { context: 'organisation', type: 'InstitutionReinstated', version: 1, example: { code: entry.code, batchId } },
];
