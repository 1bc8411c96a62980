import { describe, expect, it } from '@jest/globals';
import { defaultSchemaDir, EventRegistry } from '../../shared/events/event-registry.js';
import { deciderSpec } from '../../shared/testing/decider-spec.js';
import { exportDecider } from './export.decider.js';
import { REPORTING_EVENTS } from './reporting.events.js';
import { type SnapshotCommand, type SnapshotEvent, cutoffOf, lastDayOf, latestDueMonth, snapshotDecider } from './snapshot.decider.js';

const registry = new EventRegistry([defaultSchemaDir()]);
registry.register(REPORTING_EVENTS);
const units = [{ unit: 'd:410102', parent: 'd:410100', counters: { children: 3 } }];
const take: SnapshotCommand = { type: 'TakeSnapshot', month: '2026-11', cutoffAt: '2026-11-29T16:00:00.000Z', cutoffPosition: 42, trigger: 'schedule', units, at: '2026-11-29T16:00:01.000Z' };
const taken: SnapshotEvent = { type: 'MonthlySnapshotTaken', data: { month: '2026-11', cutoffAt: take.cutoffAt, cutoffPosition: 42, trigger: 'schedule', units, takenAt: take.at } };

describe('month snapshot decider', () => {
  it('keeps a month once; a second run (cron and start-up, two instances) records nothing', () => {
    deciderSpec(snapshotDecider, registry).given([]).when(take).then([taken]);
    deciderSpec(snapshotDecider, registry).given([taken]).when({ ...take, trigger: 'start-up', cutoffPosition: 50 }).then([]);
  });

  it('the cut-off is 00:00 Beijing time on the last day of the month', () => {
    expect(lastDayOf('2027-02')).toBe('2027-02-28');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    expect(cutoffOf('2026-11').toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(latestDueMonth(new Date('2026-11-29T15:59:59.000Z'), '2026-11-29')).toBe('2026-10');
    expect(latestDueMonth(new Date('2026-11-29T16:00:00.000Z'), '2026-11-30')).toBe('2026-11');
    expect(latestDueMonth(new Date('2027-01-01T00:00:00.000Z'), '2027-01-01')).toBe('2026-12');
  });
});

describe('export job decider', () => {
  const exportId = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';
  const requested = { type: 'ExportRequested' as const, data: { exportId, kind: 'institution-children' as const, unit: 'i:1141010001', divisionCode: '410102', month: null, masked: true, requestedAt: '2026-11-30T02:00:00.000Z' } };
  it('is requested once, then completed or failed once', () => {
    deciderSpec(exportDecider, registry).given([]).when({ type: 'RequestExport', exportId, kind: 'institution-children', unit: 'i:1141010001', divisionCode: '410102', month: null, masked: true, at: '2026-11-30T02:00:00.000Z' }).then([requested]);
    deciderSpec(exportDecider, registry).given([requested]).when({ type: 'CompleteExport', rows: 3, fileId: 'exports/x.xlsx', bytes: 100, at: '2026-11-30T02:00:01.000Z' })
      .then([{ type: 'ExportCompleted', data: { exportId, rows: 3, fileId: 'exports/x.xlsx', bytes: 100, completedAt: '2026-11-30T02:00:01.000Z' } }]);
    const failed = { type: 'ExportFailed' as const, data: { exportId, reason: '服务重启，导出未完成，请重新导出', failedAt: '2026-11-30T02:05:00.000Z' } };
    deciderSpec(exportDecider, registry).given([requested, failed]).when({ type: 'CompleteExport', rows: 3, fileId: 'f', bytes: 1, at: 'x' }).then([]);
    deciderSpec(exportDecider, registry).given([]).when({ type: 'FailExport', reason: 'x', at: 'x' }).thenFails('export-not-started', 'conflict');
  });
});
