import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { ENROLMENT_EVENTS } from '../domain/enrolment.events.js';
import { assignmentImportsProjection } from './assignment-imports.projection.js';

const example = ENROLMENT_EVENTS.find((d) => d.type === 'ClassAssignmentsImported')!.example as Record<string, unknown>;

describe('class-assignment imports projection', () => {
  it('one document per batch: counts, log, institution and who uploaded it', () => {
    const p = projectEvents(assignmentImportsProjection, [recorded('ClassAssignmentsImported', example)]);
    const doc = p.doc('imports', String(example['batchId']));
    expect(doc).toMatchObject({ institutionCode: '1141010001', fileName: '分班表.xlsx', rows: 2, placed: 1, failed: 1, issues: [{ row: 3, column: 'B', code: 'class-unknown' }], importedAt: example['importedAt'] });
    expect(typeof doc?.['importedBy']).toBe('string');
    expect(doc?.['placements']).toBeUndefined(); // the reactor's intent, not part of the list or log
  });
  it('a second batch is a document of its own', () => {
    const other = { ...example, batchId: '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', rows: 7 };
    const p = projectEvents(assignmentImportsProjection, [recorded('ClassAssignmentsImported', example), recorded('ClassAssignmentsImported', other)]);
    expect(p.doc('imports', String(other['batchId']))).toMatchObject({ rows: 7 });
    expect(p.doc('imports', String(example['batchId']))).toMatchObject({ rows: 2 });
  });
});
