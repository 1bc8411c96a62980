import { describe, expect, it } from '@jest/globals';
import { EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import type { DeclarationKindState } from './declaration-kind.decider.js';
import { type DeclarationEvent, declarationDecider, specOf } from './declaration.decider.js';
import { SUPERVISION_EVENTS } from './supervision.events.js';

const registry = new EventRegistry().register(SUPERVISION_EVENTS);
const at = '2026-09-29T02:00:00.000Z';
const declarationId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const kindId = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const kind: DeclarationKindState = {
  status: 'active', kindId, ownerLevel: 'province', ownerDivision: '410000', name: '园长变更', handling: 'review',
  fields: [{ key: 'newPrincipal', label: '新园长', required: true }, { key: 'effectiveDate', label: '生效日期', required: false }],
  attachments: [{ key: 'appointment', label: '任命文件', required: true }],
};
const file = { key: 'appointment', sha256: 'a'.repeat(64), size: 10, contentType: 'application/pdf', fileName: '任命.pdf' };
const declare = { type: 'Declare' as const, declarationId, kind, institutionCode: '1141010001', divisionCode: '410102', fields: { newPrincipal: '王园长' }, attachments: [file], reason: '原园长退休', at };
const declared: DeclarationEvent = {
  type: 'ChangeDeclared', reason: '原园长退休',
  data: { declarationId, kindId, kindName: '园长变更', handling: 'review', institutionCode: '1141010001', divisionCode: '410102', fields: { newPrincipal: '王园长' }, attachments: [file], spec: specOf(kind), declaredAt: at },
};
const rejected: DeclarationEvent = { type: 'DeclarationRejected', data: { declarationId, rejectedAt: at }, reason: '缺少盖章' };

describe('declaration decider', () => {
  const spec = deciderSpec(declarationDecider, registry);

  it('declares with the kind’s fields and attachments', () => {
    spec.given([]).when(declare).then([declared]);
  });
  it('names every missing field and attachment at once', () => {
    const error = spec.given([]).when({ ...declare, fields: { other: 'x' }, attachments: [] }).thenFails('validation-failed', 'validation');
    expect(error.errors.map((e) => e.code).sort()).toEqual(['attachment-required', 'field-required', 'field-unknown']);
  });
  it('refuses a retired kind', () => {
    spec.given([]).when({ ...declare, kind: { ...kind, status: 'retired' } }).thenFails('declaration-kind-retired', 'rule');
  });
  it('a review kind is approved or rejected with a reason, never acknowledged', () => {
    spec.given([declared]).when({ type: 'Approve', opinion: '', at }).then([{ type: 'DeclarationApproved', data: { declarationId, approvedAt: at } }]);
    spec.given([declared]).when({ type: 'Reject', reason: '', at }).thenFails('validation-failed', 'validation');
    spec.given([declared]).when({ type: 'Acknowledge', opinion: '', at }).thenFails('review-required', 'rule');
  });
  it('an acknowledge-only kind is acknowledged, not approved', () => {
    const ack = { ...declared, data: { ...declared.data, handling: 'acknowledge' as const } } as DeclarationEvent;
    spec.given([ack]).when({ type: 'Approve', opinion: '', at }).thenFails('acknowledge-only', 'rule');
    spec.given([ack]).when({ type: 'Acknowledge', opinion: '已阅', at }).then([{ type: 'DeclarationAcknowledged', data: { declarationId, acknowledgedAt: at }, reason: '已阅' }]);
  });
  it('resubmits only after a rejection, keeping attachments not uploaded again', () => {
    spec.given([declared]).when({ type: 'Resubmit', fields: { newPrincipal: '王园长' }, attachments: [], reason: '已补充', at }).thenFails('declaration-not-rejected', 'conflict');
    spec.given([declared, rejected]).when({ type: 'Resubmit', fields: { newPrincipal: '王园长' }, attachments: [], reason: '已补充盖章', at })
      .then([{ type: 'DeclarationResubmitted', data: { declarationId, fields: { newPrincipal: '王园长' }, attachments: [file], resubmittedAt: at }, reason: '已补充盖章' }]);
  });
  it('withdraws before handling, not after approval', () => {
    spec.given([declared]).when({ type: 'Withdraw', reason: '', at }).then([{ type: 'DeclarationWithdrawn', data: { declarationId, withdrawnAt: at } }]);
    spec.given([declared, { type: 'DeclarationApproved', data: { declarationId, approvedAt: at } }]).when({ type: 'Withdraw', reason: '', at }).thenFails('declaration-handled', 'conflict');
  });
  it('a handled declaration is not handled again', () => {
    spec.given([declared, rejected]).when({ type: 'Approve', opinion: '', at }).thenFails('declaration-handled', 'conflict');
  });
});
