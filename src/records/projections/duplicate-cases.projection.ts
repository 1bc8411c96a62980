import type { TypedRecordedEvent } from '../../shared/event-store/event-store.port.js';
import type { DocKey, ProjectionDefinition } from '../../shared/projections/projection-definition.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import type { CaseEntry, DuplicateCaseEvent, EntryStatus } from '../domain/duplicate-case.decider.js';

/**
 * The queues of duplicate cases (issue 5), one document per entry of a case and one per
 * arbitration:
 * - an institution: its entries still in open cases and what each waits for;
 * - a county: evidence to review, and entries their institutions leave unhandled;
 * - an arbitrator: the arbitrations asked of its office.
 * Each item carries `waitingSince`; the queries turn it into how long it has waited.
 */
export type WaitingFor = 'institution' | 'county-review' | 'other-entries' | 'arbitration';

const WAITING: Partial<Record<EntryStatus, WaitingFor>> = {
  unhandled: 'institution', 'evidence-filed': 'county-review', 'evidence-passed': 'other-entries', 'evidence-failed': 'institution',
};

export const entryDocId = (caseId: string, recordId: string): string => `${caseId}:${recordId}`;

type CaseEventRecorded = TypedRecordedEvent<DuplicateCaseEvent>;

export const duplicateCasesProjection: ProjectionDefinition<DuplicateCaseEvent> = {
  name: 'duplicate-cases',
  version: 1,
  collections: {
    entries: {
      indexes: ['caseId', 'recordId', 'institutionCode', 'divisionCode', 'status', 'active', 'waitingFor', 'waitingSince'],
      compound: [['institutionCode', 'active', 'waitingSince'], ['divisionCode', 'waitingFor', 'waitingSince']],
      personal: { subject: ['recordId'], fields: ['name'] },
    },
    arbitrations: { indexes: ['level', 'divisionCode', 'status', 'requestedAt'], compound: [['divisionCode', 'level', 'status', 'requestedAt']] },
  },
  handles: [
    'DuplicateCaseOpened', 'DuplicateEntryJoined', 'EvidenceFiled', 'EvidenceAccepted', 'EvidenceRejected', 'DuplicateEntryWithdrawn',
    'DuplicateEntryForceDeleted', 'ArbitrationRequested', 'ArbitrationCancelled', 'ArbitrationDecided', 'DuplicateCaseResolved',
  ],
  keys(event) {
    const { caseId } = event.data;
    const entries = (ids: readonly string[]): DocKey[] => ids.map((id) => ({ collection: 'entries', id: entryDocId(caseId, id) }));
    const arbitration: DocKey = { collection: 'arbitrations', id: caseId };
    switch (event.type) {
      case 'DuplicateCaseOpened':
        return entries(event.data.entries.map((e) => e.recordId));
      case 'DuplicateEntryJoined':
        return entries([event.data.entry.recordId]);
      case 'ArbitrationRequested':
      case 'ArbitrationCancelled':
        return [...entries(event.data.waitingRecordIds), arbitration];
      case 'ArbitrationDecided':
        return [arbitration];
      case 'DuplicateCaseResolved':
        return [...entries([event.data.validRecordId, ...event.data.voidRecordIds].filter((id) => id !== null)), arbitration];
      case 'DuplicateCaseRekeyed':
        return []; // not handled: key hashes are in no read model
      default:
        return entries([event.data.recordId]);
    }
  },
  evolve(collection, doc, event, id) {
    return collection === 'arbitrations' ? evolveArbitration(doc, event) : evolveEntry(doc, event, id);
  },
};

function evolveEntry(doc: Doc | null, event: CaseEventRecorded, id: string): Doc | null {
  const at = event.metadata.occurredAt;
  const { caseId } = event.data;
  if (event.type === 'DuplicateCaseOpened' || event.type === 'DuplicateEntryJoined') {
    const listed = event.type === 'DuplicateEntryJoined' ? [event.data.entry] : event.data.entries;
    const entry = listed.find((e) => entryDocId(caseId, e.recordId) === id);
    return entry ? fresh(caseId, entry, at, event) : doc;
  }
  if (!doc) return null;
  const reason = event.metadata.reason ?? null;
  switch (event.type) {
    case 'EvidenceFiled':
      return status(doc, 'evidence-filed', at, { evidenceFiledAt: at, evidenceFiles: event.data.files.length, evidenceReason: reason, reviewReason: null });
    case 'EvidenceAccepted':
      return status(doc, 'evidence-passed', at, { reviewReason: reason });
    case 'EvidenceRejected':
      return status(doc, 'evidence-failed', at, { reviewReason: reason });
    case 'DuplicateEntryWithdrawn':
      return closed(doc, event.data.how, at, { caseStatus: doc['caseStatus'] });
    case 'DuplicateEntryForceDeleted':
      return closed(doc, 'force-deleted', at, { caseStatus: doc['caseStatus'], forceDeleteReason: reason });
    case 'ArbitrationRequested':
      return { ...doc, caseStatus: 'arbitration', waitingFor: 'arbitration', waitingSince: at, arbitrationLevel: event.data.level, arbitrationDivision: event.data.divisionCode, updatedAt: at };
    case 'ArbitrationCancelled':
      return { ...status(doc, doc['status'] as EntryStatus, at), caseStatus: 'open', arbitrationLevel: null, arbitrationDivision: null };
    case 'DuplicateCaseResolved':
      return closed(doc, event.data.validRecordId === doc['recordId'] ? 'valid' : 'void', at, { caseStatus: 'resolved', resolvedHow: event.data.how });
    default:
      return doc;
  }
}

/** An entry that joins (or rejoins after a correction) starts unhandled. */
function fresh(caseId: string, entry: CaseEntry, at: string, event: CaseEventRecorded): Doc {
  return {
    id: entryDocId(caseId, entry.recordId), caseId, recordId: entry.recordId, institutionCode: entry.institutionCode, divisionCode: entry.divisionCode,
    prefectureCode: entry.prefectureCode, provinceCode: entry.provinceCode, name: entry.name, enteredAt: entry.enteredAt,
    status: 'unhandled', active: true, waitingFor: 'institution', waitingSince: at, caseStatus: 'open', joinedAt: at, joinedBy: event.type,
    evidenceFiledAt: null, evidenceFiles: 0, evidenceReason: null, reviewReason: null, arbitrationLevel: null, arbitrationDivision: null, updatedAt: at,
  };
}

/** A new status while the entry is still active: it waits for someone else from now on. */
function status(doc: Doc, next: EntryStatus, at: string, extra: Record<string, unknown> = {}): Doc {
  return { ...doc, ...extra, status: next, active: true, waitingFor: WAITING[next] ?? null, waitingSince: at, updatedAt: at };
}

function closed(doc: Doc, next: EntryStatus, at: string, extra: Record<string, unknown>): Doc {
  return { ...doc, ...extra, status: next, active: false, waitingFor: null, waitingSince: null, closedAt: at, updatedAt: at };
}

function evolveArbitration(doc: Doc | null, event: CaseEventRecorded): Doc | null {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'ArbitrationRequested': {
      const { caseId, level, divisionCode, candidateRecordIds, proposedRecordId } = event.data;
      return { id: caseId, caseId, level, divisionCode, status: 'pending', candidateRecordIds, proposedRecordId, requestedAt: at, decidedAt: null, validRecordId: null, updatedAt: at };
    }
    case 'ArbitrationCancelled':
      return doc && { ...doc, status: 'cancelled', updatedAt: at };
    case 'ArbitrationDecided':
      return doc && { ...doc, status: 'decided', decidedAt: at, validRecordId: event.data.validRecordId, followedProposal: event.data.validRecordId === event.data.proposedRecordId, reason: event.metadata.reason ?? null, updatedAt: at };
    case 'DuplicateCaseResolved':
      // resolved without a decision (a candidate left): the arbitration is no longer asked
      return doc && (doc['status'] === 'pending' ? { ...doc, status: 'withdrawn', updatedAt: at } : doc);
    default:
      return doc;
  }
}
