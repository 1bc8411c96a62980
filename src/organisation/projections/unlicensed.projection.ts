import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';

/** Unlicensed institutions recorded by counties: one document each, filtered by division and status. */
export const unlicensedProjection: ProjectionDefinition = {
  name: 'unlicensed-institutions',
  version: 1,
  collections: { unlicensed: { indexes: ['divisionCode', 'status', 'name'] } },
  handles: ['UnlicensedInstitutionRecorded', 'UnlicensedInstitutionUpdated'],
  keys: (event) => [{ collection: 'unlicensed', id: String(event.data['id']) }],
  evolve(_collection, doc, event) {
    const { id, recordedAt, updatedAt, ...details } = event.data;
    if (event.type === 'UnlicensedInstitutionRecorded') return { id: String(id), ...details, recordedAt, updatedAt: recordedAt };
    return doc && { ...doc, ...details, updatedAt };
  },
};
