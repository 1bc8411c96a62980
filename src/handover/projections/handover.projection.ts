import type { Doc } from '../../shared/read-store/read-store.port.js';
import { type ProjectionDefinition, physicalCollection } from '../../shared/projections/projection-definition.js';
import type { PupilListEvent } from '../domain/pupil-list.decider.js';
import type { EntryStatus } from '../domain/pupil.js';

/**
 * The hand-over's read models (issue 16):
 * - entries: one document per pupil-list entry, the school's queues by status and the
 *   registration system's not-found list (personal data: name and idNumber, masked on answer
 *   where the caller may not see them);
 * - lists: one per upload, its validation log and the count of its entries by status, which the
 *   county and province progress adds up over the schools of their division;
 * - tallies: one per county of the kindergartens, how many of its children were handed over and to which schools.
 */
const STATUSES: EntryStatus[] = ['matched', 'to-confirm', 'not-found', 'none-match', 'supplemented', 'deleted'];
const zero = (): Record<EntryStatus, number> => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<EntryStatus, number>;

export const handoverProjection: ProjectionDefinition<PupilListEvent> = {
  name: 'handover',
  version: 1,
  collections: {
    entries: {
      indexes: ['listId', 'row', 'schoolCode', 'divisionCode', 'status', 'recordId', 'updatedAt'],
      compound: [['schoolCode', 'status', 'updatedAt'], ['divisionCode', 'status', 'updatedAt'], ['listId', 'row']],
      // sealed at rest with the pupil entry's key (the events' subject: list/entry); never searched by name or number
      personal: { subject: ['listId', 'id'], fields: ['name', 'idNumber'], nested: { supplement: { fields: ['name', 'idNumber', 'address'] } } },
    },
    // the log's values (a bad row's name or ID number as typed) sealed per row, as the record import's
    lists: { indexes: ['schoolCode', 'divisionCode', 'importedAt'], compound: [['schoolCode', 'importedAt']], personal: { subject: ['id'], nested: { issues: { subject: ['row'], fields: ['value'] } } } },
    tallies: { indexes: ['divisionCode'] },
  },
  handles: ['PupilListImported', 'PupilEntryCorrected', 'PupilEntryDeleted', 'PupilCandidateConfirmed', 'PupilCandidatesRejected', 'PupilEntrySupplemented'],
  keys(event) {
    const list = { collection: 'lists', id: event.data.listId };
    if (event.type === 'PupilListImported') return [list, ...event.data.entries.map((e) => ({ collection: 'entries', id: e.entryId }))];
    const keys = [list, { collection: 'entries', id: event.data.entryId }];
    return event.type === 'PupilEntrySupplemented' ? [...keys, { collection: 'tallies', id: event.data.kindergartenDivisionCode }] : keys;
  },
  evolve(collection, doc, event, id) {
    const at = event.metadata.occurredAt;
    if (collection === 'lists') return list(doc, event, at);
    if (collection === 'tallies') {
      if (event.type !== 'PupilEntrySupplemented') return doc;
      const school = event.data.schoolCode;
      const toSchools = { ...((doc?.['toSchools'] as Record<string, number> | undefined) ?? {}) };
      toSchools[school] = (toSchools[school] ?? 0) + 1;
      return { id, divisionCode: id, handedOver: Number(doc?.['handedOver'] ?? 0) + 1, toSchools, updatedAt: at };
    }
    switch (event.type) {
      case 'PupilListImported': {
        const entry = event.data.entries.find((e) => e.entryId === id)!;
        const { schoolCode, divisionCode, listId } = event.data;
        return {
          id, listId, schoolCode, divisionCode, row: entry.row, ...entry.pupil, ...matchFields(entry.match),
          status: entry.match.outcome, recordId: entry.match.recordId, importedAt: at, updatedAt: at,
        };
      }
      case 'PupilEntryCorrected':
        return doc && { ...doc, ...event.data.pupil, ...matchFields(event.data.match), status: event.data.match.outcome, recordId: event.data.match.recordId, updatedAt: at };
      case 'PupilEntryDeleted':
        return doc && { ...doc, status: 'deleted', updatedAt: at };
      case 'PupilCandidateConfirmed':
        return doc && { ...doc, status: 'matched', recordId: event.data.recordId, confirmed: true, updatedAt: at };
      case 'PupilCandidatesRejected':
        return doc && { ...doc, status: 'none-match', updatedAt: at };
      case 'PupilEntrySupplemented':
        return doc && { ...doc, status: 'supplemented', recordId: event.data.recordId, kindergartenCode: event.data.kindergartenCode, supplement: event.data.fields, supplementedAt: at, updatedAt: at };
      default:
        return doc;
    }
  },
};

const matchFields = (match: { outcome: string; candidates: string[]; basis: string | null }) => ({ outcome: match.outcome, candidates: match.candidates, basis: match.basis, confirmed: false });

/** The list's counts move with each entry: the event names the status the entry leaves. */
function list(doc: Doc | null, event: Parameters<typeof handoverProjection.evolve>[2], at: string): Doc | null {
  if (event.type === 'PupilListImported') {
    const { listId, schoolCode, divisionCode, fileName, fileSha256, rows, failed, issues, entries } = event.data;
    const counts = zero();
    for (const e of entries) counts[e.match.outcome]++;
    return { id: listId, schoolCode, divisionCode, fileName, fileSha256, rows, failed, issues, entries: entries.length, counts, importedAt: at, importedBy: event.metadata.actor.accountId, updatedAt: at };
  }
  if (!doc) return null;
  const [from, to]: [EntryStatus, EntryStatus] =
    event.type === 'PupilEntryCorrected' ? [event.data.from, event.data.match.outcome]
    : event.type === 'PupilEntryDeleted' ? [event.data.from, 'deleted']
    : event.type === 'PupilCandidateConfirmed' ? ['to-confirm', 'matched']
    : event.type === 'PupilCandidatesRejected' ? ['to-confirm', 'none-match']
    : ['matched', 'supplemented'];
  const counts = { ...zero(), ...(doc['counts'] as Record<EntryStatus, number>) };
  counts[from]--;
  counts[to]++;
  return { ...doc, counts, updatedAt: at };
}

export const ENTRIES = physicalCollection(handoverProjection, 'entries');
export const LISTS = physicalCollection(handoverProjection, 'lists');
export const TALLIES = physicalCollection(handoverProjection, 'tallies');
