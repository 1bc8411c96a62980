import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { AUDIT_EVENTS } from '../domain/audit.events.js';
import { personalDataReadsProjection } from './personal-data-reads.projection.js';

const example = AUDIT_EVENTS[0]!.example as Record<string, unknown> & { readId: string };
const other = { recordId: '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f', institutionCode: '1141010004', divisionCode: '410103' };

describe('personal-data reads projection', () => {
  it('one document per child of each read: reader, route, client address, time, where the record lives', () => {
    const p = projectEvents(personalDataReadsProjection, [recorded('PersonalDataRead', { ...example, subjects: [...(example['subjects'] as object[]), other] })]);
    expect(p.doc('reads', `${example.readId}:6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7`)).toMatchObject({
      recordId: '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7', institutionCode: '1141010001', divisionCode: '410102',
      accountId: '5b1b0e4e-2f59-4f3c-8d0c-0c7e0d8e9a11', role: 'review', route: 'GET /api/v1/records/:id', clientAddress: '203.0.113.7', readAt: example['readAt'],
    });
    expect(p.doc('reads', `${example.readId}:${other.recordId}`)).toMatchObject({ ...other, readId: example.readId });
  });
});
