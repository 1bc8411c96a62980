import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { RECORD_EVENTS } from '../domain/record.events.js';
import { recordImportsProjection } from './record-imports.projection.js';

const summary = RECORD_EVENTS.find((d) => d.type === 'RecordsImported')!.example as Record<string, unknown>;
const batchId = String(summary['batchId']);

describe('record imports projection', () => {
  it('one document per upload: its summary, its validation log and who uploaded it', () => {
    const p = projectEvents(recordImportsProjection, [recorded('RecordsImported', summary)]);
    const { batchId: _b, ...rest } = summary;
    expect(p.doc('imports', batchId)).toEqual({ id: batchId, ...rest, importedBy: 'test-account' });
    expect(p.doc('imports', batchId)).toMatchObject({ institutionCode: '1141010001', importedAt: '2026-09-05T02:00:00.000Z', rows: 3, saved: 1, failed: 1, alreadyPresent: 1 });
    expect((p.doc('imports', batchId)!['issues'] as unknown[]).length).toBe(2);
  });

  it('uploads of other batches are documents of their own', () => {
    const other = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
    const p = projectEvents(recordImportsProjection, [recorded('RecordsImported', summary), recorded('RecordsImported', { ...summary, batchId: other, institutionCode: '1141010002' })]);
    expect(p.docs('imports').map((d) => `${d.id}:${String(d['institutionCode'])}`).sort()).toEqual([`${other}:1141010002`, `${batchId}:1141010001`].sort());
  });
});
