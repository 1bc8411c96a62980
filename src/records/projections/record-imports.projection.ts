import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';
import type { ImportEvent } from '../domain/record-import.decider.js';

/** One document per template upload: its summary and validation log (导入数据校验日志). */
export const recordImportsProjection: ProjectionDefinition<ImportEvent> = {
  name: 'record-imports',
  version: 1,
  // the refused rows' values, each sealed by its own subject (batch/row), as in the event (ADR 23)
  collections: { imports: { indexes: ['institutionCode', 'importedAt'], personal: { subject: ['id'], nested: { issues: { subject: ['row'], fields: ['value'] } } } } },
  handles: ['RecordsImported'],
  keys: (event) => [{ collection: 'imports', id: event.data.batchId }],
  evolve(_collection, _doc, event) {
    const { batchId, ...rest } = event.data;
    return { id: batchId, ...rest, importedBy: event.metadata.actor.accountId };
  },
};
