import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { AUDIT_EVENTS } from '../domain/audit.events.js';
import { personalDataReadsProjection } from './personal-data-reads.projection.js';

const example = AUDIT_EVENTS[0]!.example as Record<string, unknown> & { readId: string; readAt: string };
const recordId = '6a1f0c1e-7b2d-4c3e-9f10-a2b3c4d5e6f7';
const other = { recordId: '9c3f2e4a-5d6b-4c7d-8e9f-0a1b2c3d4e5f', institutionCode: '1141010004', divisionCode: '410103' };
const read = (data: Record<string, unknown>) => recorded('PersonalDataRead', { ...example, ...data });
const docs = (p: ReturnType<typeof projectEvents>) => p.docs('reads').sort((a, b) => String(a['id']).localeCompare(String(b['id'])));

describe('personal-data reads projection', () => {
  it('one document per child of a read: reader, route, client address, time, where the record lives', () => {
    const p = projectEvents(personalDataReadsProjection, [read({ subjects: [...(example['subjects'] as object[]), other] })]);
    expect(p.docs('reads')).toHaveLength(2);
    expect(p.docs('reads').find((d) => d['recordId'] === recordId)).toMatchObject({
      readId: example.readId, recordId, institutionCode: '1141010001', divisionCode: '410102',
      accountId: '5b1b0e4e-2f59-4f3c-8d0c-0c7e0d8e9a11', role: 'review', route: 'GET /api/v1/records/:id', clientAddress: '203.0.113.7',
      firstReadAt: example.readAt, readAt: example.readAt, readCount: 1,
    });
    expect(p.docs('reads').find((d) => d['recordId'] === other.recordId)).toMatchObject({ ...other, readId: example.readId, readCount: 1 });
  });

  it('sums the repeated reads of a child by one reader, route and address within a Beijing day: count, first and last', () => {
    const later = '2026-09-05T09:30:00.000Z';
    const p = projectEvents(personalDataReadsProjection, [read({}), read({ readId: 'b2c3d4e5-0000-4000-8000-000000000002', readAt: later })]);
    expect(p.docs('reads')).toEqual([expect.objectContaining({ recordId, readId: 'b2c3d4e5-0000-4000-8000-000000000002', firstReadAt: example.readAt, readAt: later, readCount: 2 })]);
  });

  it('keeps apart what differs: another route, address, reader or Beijing day, or the record in another kindergarten', () => {
    const reader = example['reader'] as Record<string, unknown>;
    const p = projectEvents(personalDataReadsProjection, [
      read({}),
      read({ route: 'GET /api/v1/records/:id/history' }),
      read({ clientAddress: '198.51.100.23' }),
      read({ reader: { ...reader, accountId: '7d2e1f3a-0000-4000-8000-000000000003' } }),
      // 16:00 UTC is the next day in Beijing
      read({ readAt: '2026-09-05T16:00:00.000Z' }),
      read({ subjects: [{ recordId, institutionCode: '1141010004', divisionCode: '410103' }] }),
    ]);
    expect(docs(p).map((d) => d['readCount'])).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
