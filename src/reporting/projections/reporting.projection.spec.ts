import { describe, expect, it } from '@jest/globals';
import { projectEvents } from '../../shared/testing/projection-spec.js';
import { recorded } from '../../shared/testing/recorded.js';
import { REPORTING_EVENTS } from '../domain/reporting.events.js';
import { reportingProjection } from './reporting.projection.js';

const sample = (type: string) => REPORTING_EVENTS.find((d) => d.type === type)!.example;

describe('reporting projection', () => {
  it('lists a kept month without its figures', () => {
    const p = projectEvents(reportingProjection, [recorded('MonthlySnapshotTaken', sample('MonthlySnapshotTaken'))]);
    expect(p.doc('snapshots', '2026-11')).toMatchObject({ month: '2026-11', cutoffPosition: 4711, trigger: 'schedule', units: 2 });
    expect(JSON.stringify(p.doc('snapshots', '2026-11'))).not.toContain('counters');
  });

  it('registers each export: who, what, when, masked, then its rows or why it failed', () => {
    const p = projectEvents(reportingProjection, [recorded('ExportRequested', sample('ExportRequested')), recorded('ExportCompleted', sample('ExportCompleted'))]);
    expect(p.doc('exports', '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f')).toMatchObject({ kind: 'institution-children', unit: 'i:1141010001', divisionCode: '410102', masked: false, requesterAccountId: 'test-account', status: 'completed', rows: 1200 });
    const failed = projectEvents(reportingProjection, [recorded('ExportRequested', sample('ExportRequested')), recorded('ExportFailed', sample('ExportFailed'))]);
    expect(failed.doc('exports', '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f')).toMatchObject({ status: 'failed', reason: '服务重启，导出未完成，请重新导出' });
  });
});
