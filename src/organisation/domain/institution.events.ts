import type { EventDefinition } from '../../shared/events/event-definition.js';

const batchId = '7f2b1c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f';
const entry = { code: '1141010001', name: '郑州市中原区第一幼儿园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: '教民141010270000001号' };

export const INSTITUTION_EVENTS: EventDefinition[] = [
  { context: 'organisation', type: 'InstitutionRegistered', version: 1, example: { ...entry, batchId } },
  { context: 'organisation', type: 'InstitutionRenamed', version: 1, example: { code: entry.code, from: entry.name, to: '郑州市中原区实验幼儿园', batchId } },
  { context: 'organisation', type: 'InstitutionRegistryDetailsChanged', version: 1, example: { code: entry.code, type: 'kindergarten', divisionCode: '410103', ownership: 'public', licence: null, batchId } },
  { context: 'organisation', type: 'InstitutionRevoked', version: 1, example: { code: entry.code, batchId } },
  { context: 'organisation', type: 'InstitutionReinstated', version: 1, example: { code: entry.code, batchId } },
  {
    context: 'organisation', type: 'InstitutionFilingSubmitted', version: 1,
    example: {
      code: entry.code, divisionCode: '410102', version: 2, submittedAt: '2026-09-10T02:00:00.000Z',
      basic: { address: '郑州市中原区建设路 12 号', principalName: '张园长', phone: '0371-67890123', urbanRuralCode: '111' },
      buildings: [{ name: '教学楼', tenure: 'self-built', area: 2400.5, builtYear: 2012 }, { name: '综合楼', tenure: 'rented', area: 800, builtYear: 2005 }],
      conditions: { siteArea: 6000, buildingArea: 2000, playgroundArea: 1800, classrooms: 12 },
    },
  },
  { context: 'organisation', type: 'InstitutionFilingApproved', version: 1, example: { code: entry.code, version: 2, approvedAt: '2026-09-12T02:00:00.000Z' } },
  { context: 'organisation', type: 'InstitutionFilingRejected', version: 1, example: { code: entry.code, version: 1, rejectedAt: '2026-09-11T02:00:00.000Z' } },
  {
    context: 'organisation', type: 'UnlicensedInstitutionRecorded', version: 1,
    example: { id: '3d9a8f1e-5b6c-4d7e-8f90-a1b2c3d4e5f6', divisionCode: '410102', name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 28, staff: 3, status: 'operating', recordedAt: '2026-09-15T02:00:00.000Z' },
  },
  {
    context: 'organisation', type: 'UnlicensedInstitutionUpdated', version: 1,
    example: { id: '3d9a8f1e-5b6c-4d7e-8f90-a1b2c3d4e5f6', name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 0, staff: 0, status: 'closed', updatedAt: '2026-11-01T02:00:00.000Z' },
  },
  { context: 'organisation', type: 'CustomDivisionCreated', version: 1, example: { code: '410171', name: '郑州经济技术开发区', parent: '410100', createdAt: '2026-03-01T02:00:00.000Z' } },
];
