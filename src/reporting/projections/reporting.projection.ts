import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';
import type { ExportEvent } from '../domain/export.decider.js';
import type { SnapshotEvent } from '../domain/snapshot.decider.js';

/**
 * The lists of reporting: the months kept (without their figures, which stay in the snapshot
 * event) and the export register an administrator reads (who, what, when, rows, masked or not).
 */
export const reportingProjection: ProjectionDefinition<SnapshotEvent | ExportEvent> = {
  name: 'reporting',
  version: 1,
  collections: {
    snapshots: { indexes: ['month'] },
    exports: { indexes: ['requestedAt', 'divisionCode', 'institutionCode', 'requesterAccountId', 'status'] },
  },
  handles: ['MonthlySnapshotTaken', 'ExportRequested', 'ExportCompleted', 'ExportFailed'],
  keys: (event) => (event.type === 'MonthlySnapshotTaken' ? [{ collection: 'snapshots', id: event.data.month }] : [{ collection: 'exports', id: event.data.exportId }]),
  evolve(_collection, doc, event) {
    switch (event.type) {
      case 'MonthlySnapshotTaken': {
        const { month, cutoffAt, cutoffPosition, trigger, takenAt, units } = event.data;
        return { id: month, month, cutoffAt, cutoffPosition, trigger, takenAt, units: units.length };
      }
      case 'ExportRequested': {
        const { exportId, kind, unit, divisionCode, month, masked, requestedAt } = event.data;
        const { accountId, role, organisationId } = event.metadata.actor;
        return { id: exportId, exportId, kind, unit, month, masked, requestedAt, requesterAccountId: accountId, requesterRole: role, requesterOrganisation: organisationId, divisionCode, institutionCode: unit.startsWith('i:') ? unit.slice(2) : null, status: 'running', rows: null, bytes: null, fileId: null, reason: null, endedAt: null };
      }
      case 'ExportCompleted':
        return doc && { ...doc, status: 'completed', rows: event.data.rows, bytes: event.data.bytes, fileId: event.data.fileId, endedAt: event.data.completedAt };
      case 'ExportFailed':
        return doc && { ...doc, status: 'failed', reason: event.data.reason, endedAt: event.data.failedAt };
      default:
        return doc;
    }
  },
};
