import type { EventDefinition } from '../../shared/events/event-definition.js';

const exportId = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';
/** What reporting stores: month snapshots (one stream per month) and export jobs (one stream per export). */
export const REPORTING_EVENTS: EventDefinition[] = [
  {
    context: 'reporting', type: 'MonthlySnapshotTaken', version: 1,
    example: {
      month: '2026-11', cutoffAt: '2026-11-29T16:00:00.000Z', cutoffPosition: 4711, trigger: 'schedule', takenAt: '2026-11-29T16:00:01.000Z',
      units: [{ unit: 'i:1141010001', parent: 'd:410102', counters: { children: 120, 'g:1': 61, 'g:2': 59, 'st:numbered': 120 } }, { unit: 'd:410102', parent: 'd:410100', counters: { children: 120 } }],
    },
  },
  { context: 'reporting', type: 'ExportRequested', version: 1, example: { exportId, kind: 'institution-children', unit: 'i:1141010001', divisionCode: '410102', month: null, masked: false, requestedAt: '2026-11-30T02:00:00.000Z' } },
  { context: 'reporting', type: 'ExportCompleted', version: 1, example: { exportId, rows: 1200, fileId: 'exports/6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f.xlsx', bytes: 180000, completedAt: '2026-11-30T02:00:02.000Z' } },
  { context: 'reporting', type: 'ExportFailed', version: 1, example: { exportId, reason: '服务重启，导出未完成，请重新导出', failedAt: '2026-11-30T02:05:00.000Z' } },
];
