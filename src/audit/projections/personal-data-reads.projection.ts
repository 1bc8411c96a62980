import { createHash } from 'node:crypto';
import type { ReadSubject } from '../../shared/personal-data/read-audit.js';
import { type ProjectionDefinition, physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import { beijingDate } from '../../shared/time/beijing.js';
import type { PersonalDataReadEvent } from '../domain/personal-data-read.decider.js';

type Read = PersonalDataReadEvent['data'];

/** The same reader, the same way (route, address, role), the same child where it lived, the same Beijing day. */
function readKey(read: Read, subject: ReadSubject): string {
  const how = createHash('sha1').update(JSON.stringify([read.route, read.clientAddress, read.reader.role, read.reader.organisationId])).digest('hex').slice(0, 16);
  return `${subject.recordId}:${read.reader.accountId}:${beijingDate(read.readAt).replaceAll('-', '')}:${subject.institutionCode}:${subject.divisionCode}:${how}`;
}

/**
 * One document per child, reader, route, client address and Beijing day (ADR 0029): how many times,
 * first and last. The county's list of its jurisdiction's reads and a record's own read history are
 * filters on it (divisionCode, institutionCode, recordId, accountId), newest first. Each read stays
 * a fact of its own in the log (PersonalDataRead); the view sums what only repeats: a roster read
 * 2,000 times a second by one account touches its 40 documents once per projection batch instead
 * of writing 80,000 documents a second.
 */
export const personalDataReadsProjection: ProjectionDefinition<PersonalDataReadEvent> = {
  name: 'personal-data-reads',
  version: 2,
  collections: {
    reads: { indexes: ['recordId', 'institutionCode', 'divisionCode', 'accountId', 'readAt'], compound: [['divisionCode', 'readAt'], ['recordId', 'readAt']] },
  },
  handles: ['PersonalDataRead'],
  keys: (event) => event.data.subjects.map((s) => ({ collection: 'reads', id: readKey(event.data, s) })),
  evolve(_collection, doc, event, id) {
    const { readId, reader, route, clientAddress, subjects, readAt } = event.data;
    // the subjects of one read are distinct records: the id's leading record id names the one
    const subject = subjects.find((s) => id.startsWith(`${s.recordId}:`))!;
    const before = doc as (Doc & { firstReadAt: string; readCount: number }) | null;
    return {
      id, readId, ...subject, accountId: reader.accountId, role: reader.role, organisationId: reader.organisationId, route, clientAddress,
      firstReadAt: before?.firstReadAt ?? readAt, readAt, readCount: (before?.readCount ?? 0) + 1,
    };
  },
};

export const PERSONAL_DATA_READS = physicalCollection(personalDataReadsProjection, 'reads');
