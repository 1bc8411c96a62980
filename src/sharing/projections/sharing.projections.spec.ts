import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { SHARING_EVENTS } from '../domain/sharing.events.js';
import { apiClientsProjection } from './api-clients.projection.js';
import { feedEntitiesProjection } from './feed-entities.projection.js';

const sample = (type: string) => SHARING_EVENTS.find((d) => d.type === type)!.example;
const clientId = 'cl_3f9a2c7e5b1d4a60';
const recordId = 'rec-1';
const key = { name: '王小明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: '410102202203150011' };
const saved = recorded('RecordSaved', { recordId, institutionCode: '1141010001', divisionCode: '410102', child: { ...key, address: '郑州市中原区建设路 12 号', guardians: [{ phone: '13800000000' }] }, overAgeConfirmed: false, importRef: null, savedAt: 'x' }, { streamId: `record-${recordId}` });

describe('api-clients projection', () => {
  it('lists a client without its secret hash, and shows rotation and revocation', () => {
    const p = projectEvents(apiClientsProjection, [
      recorded('ApiClientRegistered', sample('ApiClientRegistered')),
      recorded('ApiClientSecretRotated', sample('ApiClientSecretRotated')),
      recorded('ApiClientRevoked', sample('ApiClientRevoked'), { reason: '门户停用' }),
    ]);
    const doc = p.doc('clients', clientId)!;
    expect(doc).toMatchObject({ clientId, level: 'county', divisionCode: '410102', profile: 'masked', status: 'revoked', secretRotatedAt: '2026-10-01T02:00:00.000Z', revokedAt: '2026-11-01T02:00:00.000Z' });
    expect(JSON.stringify(doc)).not.toContain('sha256');
  });
});

describe('feed-entities projection', () => {
  it('keeps a record’s key fields, status and number, never the rest of the child form', () => {
    const p = projectEvents(feedEntitiesProjection, [
      saved,
      recorded('RecordSubmitted', { recordId, dedupeKey: 'id:x', submittedAt: 'x' }),
      recorded('RecordApproved', { recordId, approvedAt: 'x' }),
      recorded('RecordNumberIssued', { recordId, recordNumber: `G${key.idNumber}`, issuedAt: 'x' }),
      recorded('KeyInformationChanged', { recordId, before: key, after: { ...key, name: '王晓明' }, dedupeKey: 'id:x', changedAt: 'x' }),
    ]);
    const doc = p.doc('records', recordId)!;
    expect(doc).toMatchObject({ recordId, institutionCode: '1141010001', divisionCode: '410102', status: 'submitted', recordNumber: `G${key.idNumber}`, name: '王晓明', idNumber: key.idNumber });
    expect(JSON.stringify(doc)).not.toMatch(/13800000000|建设路/);
  });

  it('a deleted record stays, where it was, without its personal data', () => {
    const p = projectEvents(feedEntitiesProjection, [saved, recorded('RecordDeleted', { recordId, deletedAt: 'x' }, { reason: '误录' })]);
    expect(p.doc('records', recordId)).toEqual({ id: recordId, recordId, institutionCode: '1141010001', divisionCode: '410102', status: 'deleted', recordNumber: null, updatedAt: expect.any(String) });
  });

  it('institutions by code, renamed and revoked', () => {
    const batchId = 'b1';
    const p = projectEvents(feedEntitiesProjection, [
      recorded('InstitutionRegistered', { code: '1141010001', name: '一园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: null, batchId }, { streamId: 'registry-batch-b1' }),
      recorded('InstitutionRenamed', { code: '1141010001', from: '一园', to: '实验园', batchId }, { streamId: 'registry-batch-b1' }),
      recorded('InstitutionRevoked', { code: '1141010001', batchId }),
    ]);
    expect(p.doc('institutions', '1141010001')).toMatchObject({ code: '1141010001', name: '实验园', divisionCode: '410102', status: 'revoked' });
  });

  it('follows a record out of the kindergarten and back: left or cancelled, then restored to where it was', () => {
    const numbered = [saved, recorded('RecordApproved', { recordId, approvedAt: 'x' }), recorded('RecordNumberIssued', { recordId, recordNumber: `G${key.idNumber}`, issuedAt: 'x' })];
    const left = projectEvents(feedEntitiesProjection, [...numbered, recorded('RecordLeft', { recordId, leaveType: 'graduated', leaveDate: '2027-07-01', leftAt: 'x' })]);
    expect(left.doc('records', recordId)).toMatchObject({ status: 'left', leaveType: 'graduated', leaveDate: '2027-07-01', recordNumber: `G${key.idNumber}` });
    const restored = projectEvents(feedEntitiesProjection, [
      ...numbered,
      recorded('RecordCancelled', { recordId, accidentDate: '2027-03-01', proofFileIds: ['a'.repeat(64)], cancelledAt: 'x' }),
      recorded('RecordRestored', { recordId, applicationId: '8b2e1d3f-4c5a-4b6c-8d7e-9f0a1b2c3d4e', restoredAt: 'x' }),
    ]);
    expect(restored.doc('records', recordId)).toMatchObject({ status: 'numbered', leaveType: null, leaveDate: null, recordNumber: `G${key.idNumber}` });
  });
});
