import { type ProjectionDefinition, physicalCollection } from '../../shared/projections/projection-definition.js';
import type { AssignmentImportEvent } from '../domain/assignment-import.decider.js';

/** One document per class-assignment upload: its counts and its validation log. */
export const assignmentImportsProjection: ProjectionDefinition<AssignmentImportEvent> = {
  name: 'class-assignment-imports',
  version: 1,
  collections: { imports: { indexes: ['institutionCode', 'importedAt'], personal: { subject: ['id'], nested: { issues: { subject: ['row'], fields: ['value'] } } } } },
  handles: ['ClassAssignmentsImported'],
  keys: (event) => [{ collection: 'imports', id: event.data.batchId }],
  evolve(_collection, _doc, event) {
    // the placements are the batch's intent for the reactor; the list and the log show counts and issues
    const { batchId, placements: _placements, ...rest } = event.data;
    return { id: batchId, ...rest, importedBy: event.metadata.actor.accountId };
  },
};

export const ASSIGNMENT_IMPORTS = physicalCollection(assignmentImportsProjection, 'imports');
