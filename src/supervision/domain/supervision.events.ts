import type { EventDefinition } from '../../shared/events/event-definition.js';

const kindId = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const declarationId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const projectId = '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e';
const at = '2026-10-12T02:00:00.000Z';
const context = 'supervision';
const sha256 = 'a'.repeat(64);
const attachments = [{ key: 'appointment', sha256, size: 20480, contentType: 'application/pdf', fileName: '任命文件.pdf' }];
const fields = { newPrincipal: '王园长', effectiveDate: '2026-10-08' };
const spec = { requiredFields: ['newPrincipal'], allowedFields: ['newPrincipal', 'effectiveDate'], requiredAttachments: ['appointment'], allowedAttachments: ['appointment'] };
const funds = { central: '50000000', provincial: '20000000', local: '10000010' };
const figures = { funds, allocated: '60000000', spent: '12345678', progress: 35, note: '主体结构完工' };
const snapshot = { projectId, level: 'county', divisionCode: '410102', name: '中原区第一公办幼儿园新建项目', kind: '新建幼儿园', year: 2026, funds, allocated: '60000000', spent: '12345678', progress: 35 };
const project = { ...snapshot, note: '主体结构完工' };

export const SUPERVISION_EVENTS: EventDefinition[] = [
  {
    context, type: 'DeclarationKindDefined', version: 1,
    example: { kindId, ownerLevel: 'province', ownerDivision: '410000', name: '园长变更', handling: 'review', fields: [{ key: 'newPrincipal', label: '新园长', required: true }, { key: 'effectiveDate', label: '生效日期', required: false }], attachments: [{ key: 'appointment', label: '任命文件', required: true }], definedAt: at },
  },
  { context, type: 'DeclarationKindRetired', version: 1, example: { kindId, retiredAt: at } },
  { context, type: 'DeclarationKindsDelegated', version: 1, example: { provinceCode: '410000', countyCode: '410102', delegatedAt: at } },
  { context, type: 'DeclarationKindDelegationRevoked', version: 1, example: { provinceCode: '410000', countyCode: '410102', revokedAt: at } },
  { context, type: 'ChangeDeclared', version: 1, example: { declarationId, kindId, kindName: '园长变更', handling: 'review', institutionCode: '1141010001', divisionCode: '410102', fields, attachments, spec, declaredAt: at } },
  { context, type: 'DeclarationWithdrawn', version: 1, example: { declarationId, withdrawnAt: at } },
  { context, type: 'DeclarationResubmitted', version: 1, example: { declarationId, fields, attachments, resubmittedAt: at } },
  { context, type: 'DeclarationApproved', version: 1, example: { declarationId, approvedAt: at } },
  { context, type: 'DeclarationRejected', version: 1, example: { declarationId, rejectedAt: at } },
  { context, type: 'DeclarationAcknowledged', version: 1, example: { declarationId, acknowledgedAt: at } },
  { context, type: 'CentralAwardFundsEntered', version: 1, example: { provinceCode: '410000', year: 2026, amount: '123456789000', enteredAt: at } },
  { context, type: 'FundingProjectEntered', version: 1, example: { ...project, month: '2026-10', enteredAt: at } },
  { context, type: 'FundingProjectReported', version: 1, example: { projectId, month: '2026-10', ...figures, reportedAt: at } },
  {
    context, type: 'FundingMonthEndTaken', version: 1,
    example: { month: '2026-10', dueAt: '2026-10-30T16:00:00.000Z', takenAt: '2026-10-30T16:00:01.000Z', projects: [{ ...snapshot, lastMonth: '2026-10', updatedThisMonth: true }] },
  },
];
