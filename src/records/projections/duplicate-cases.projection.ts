import type { RecordedEvent } from '../../shared/event-store/event-store.port.js';
import type { DocKey, ProjectionDefinition } from '../../shared/projections/projection-definition.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import type { CaseEntry, EntryStatus } from '../domain/duplicate-case.decider.js';

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

export const duplicateCasesProjection: ProjectionDefinition = {
  name: 'duplicate-cases',
  version: 1,
  collections: {
    entries: {
      indexes: ['caseId', 'recordId', 'institutionCode', 'divisionCode', 'status', 'active', 'waitingFor', 'waitingSince'],
      compound: [['institutionCode', 'active', 'waitingSince'], ['divisionCode', 'waitingFor', 'waitingSince']],
    },
    arbitrations: { indexes: ['level', 'divisionCode', 'status', 'requestedAt'], compound: [['divisionCode', 'level', 'status', 'requestedAt']] },
  },
  handles: [
    'DuplicateCaseOpened', 'DuplicateEntryJoined', 'EvidenceFiled', 'EvidenceAccepted', 'EvidenceRejected', 'DuplicateEntryWithdrawn',
    'DuplicateEntryForceDeleted', 'ArbitrationRequested', 'ArbitrationCancelled', 'ArbitrationDecided', 'DuplicateCaseResolved',
  ],
  keys(event) {
    const d = event.data;
    const caseId = String(d['caseId']);
    const entries = (ids: unknown[]): DocKey[] => ids.map((id) => ({ collection: 'entries', id: entryDocId(caseId, String(id)) }));
    const arbitration: DocKey = { collection: 'arbitrations', id: caseId };
    switch (event.type) {
      case 'DuplicateCaseOpened':
        return entries((d['entries'] as CaseEntry[]).map((e) => e.recordId));
      case 'DuplicateEntryJoined':
        return entries([(d['entry'] as CaseEntry).recordId]);
      case 'ArbitrationRequested':
      case 'ArbitrationCancelled':
        return [...entries(d['waitingRecordIds'] as string[]), arbitration];
      case 'ArbitrationDecided':
        return [arbitration];
      case 'DuplicateCaseResolved':
        return [...entries([d['validRecordId'], ...(d['voidRecordIds'] as string[])].filter((id) => id !== null)), arbitration];
      default:
        return entries([d['recordId']]);
    }
  },
  evolve(collection, doc, event, id) {
    return collection === 'arbitrations' ? evolveArbitration(doc, event) : evolveEntry(doc, event, id);
  },
};

function evolveEntry(doc: Doc | null, event: RecordedEvent, id: string): Doc | null {
  const d = event.data;
  const at = event.metadata.occurredAt;
  const caseId = String(d['caseId']);
  if (event.type === 'DuplicateCaseOpened' || event.type === 'DuplicateEntryJoined') {
    const listed = event.type === 'DuplicateEntryJoined' ? [d['entry'] as CaseEntry] : (d['entries'] as CaseEntry[]);
    const entry = listed.find((e) => entryDocId(caseId, e.recordId) === id);
    return entry ? fresh(caseId, entry, at, event) : doc;
  }
  if (!doc) return null;
  const reason = event.metadata.reason ?? null;
  switch (event.type) {
    case 'EvidenceFiled':
      return status(doc, 'evidence-filed', at, { evidenceFiledAt: at, evidenceFiles: (d['files'] as unknown[]).length, evidenceReason: reason, reviewReason: null });
    case 'EvidenceAccepted':
      return status(doc, 'evidence-passed', at, { reviewReason: reason });
    case 'EvidenceRejected':
      return status(doc, 'evidence-failed', at, { reviewReason: reason });
    case 'DuplicateEntryWithdrawn':
      return closed(doc, String(d['how']) as EntryStatus, at, { caseStatus: doc['caseStatus'] });
    case 'DuplicateEntryForceDeleted':
      return closed(doc, 'force-deleted', at, { caseStatus: doc['caseStatus'], forceDeleteReason: reason });
    case 'ArbitrationRequested':
      return { ...doc, caseStatus: 'arbitration', waitingFor: 'arbitration', waitingSince: at, arbitrationLevel: d['level'], arbitrationDivision: d['divisionCode'], updatedAt: at };
    case 'ArbitrationCancelled':
      return { ...status(doc, doc['status'] as EntryStatus, at), caseStatus: 'open', arbitrationLevel: null, arbitrationDivision: null };
    case 'DuplicateCaseResolved':
      return closed(doc, d['validRecordId'] === doc['recordId'] ? 'valid' : 'void', at, { caseStatus: 'resolved', resolvedHow: d['how'] });
    default:
      return doc;
  }
}

/** An entry that joins (or rejoins after a correction) starts unhandled. */
function fresh(caseId: string, entry: CaseEntry, at: string, event: RecordedEvent): Doc {
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

function evolveArbitration(doc: Doc | null, event: RecordedEvent): Doc | null {
  const d = event.data;
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'ArbitrationRequested':
      return {
        id: String(d['caseId']), caseId: d['caseId'], level: d['level'], divisionCode: d['divisionCode'], status: 'pending',
        candidateRecordIds: d['candidateRecordIds'], proposedRecordId: d['proposedRecordId'], requestedAt: at, decidedAt: null, validRecordId: null, updatedAt: at,
      };
    case 'ArbitrationCancelled':
      return doc && { ...doc, status: 'cancelled', updatedAt: at };
    case 'ArbitrationDecided':
      return doc && { ...doc, status: 'decided', decidedAt: at, validRecordId: d['validRecordId'], followedProposal: d['validRecordId'] === d['proposedRecordId'], reason: event.metadata.reason ?? null, updatedAt: at };
    case 'DuplicateCaseResolved':
      // resolved without a decision (a candidate left): the arbitration is no longer asked
      return doc && (doc['status'] === 'pending' ? { ...doc, status: 'withdrawn', updatedAt: at } : doc);
    default:
      return doc;
  }
}
