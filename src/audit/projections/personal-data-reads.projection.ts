import { type ProjectionDefinition, physicalCollection } from '../../shared/projections/projection-definition.js';
import type { PersonalDataReadEvent } from '../domain/personal-data-read.decider.js';

/**
 * One document per child read in an answer: the county's list of its jurisdiction's reads and a
 * record's own read history are filters on it (divisionCode, institutionCode, recordId), newest first.
 */
export const personalDataReadsProjection: ProjectionDefinition<PersonalDataReadEvent> = {
  name: 'personal-data-reads',
  version: 1,
  collections: {
    reads: { indexes: ['recordId', 'institutionCode', 'divisionCode', 'accountId', 'readAt'], compound: [['divisionCode', 'readAt'], ['recordId', 'readAt']] },
  },
  handles: ['PersonalDataRead'],
  keys: (event) => event.data.subjects.map((s) => ({ collection: 'reads', id: `${event.data.readId}:${s.recordId}` })),
  evolve(_collection, _doc, event, id) {
    const { readId, reader, route, clientAddress, subjects, readAt } = event.data;
    const subject = subjects.find((s) => id === `${readId}:${s.recordId}`)!;
    return { id, readId, ...subject, accountId: reader.accountId, role: reader.role, organisationId: reader.organisationId, route, clientAddress, readAt };
  },
};

export const PERSONAL_DATA_READS = physicalCollection(personalDataReadsProjection, 'reads');
