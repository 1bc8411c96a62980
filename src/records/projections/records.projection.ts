import type { DomainEvent } from '../../shared/domain/decider.js';
import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import { type ChildFields, dedupeKey } from '../domain/child.js';
import { type RecordEvent, visibleAbove } from '../domain/record.decider.js';

/**
 * One document per live child record: the queues (saved, review, rejected, problem) and the
 * search of every level are filters on it. Full ID numbers are stored; the query side masks
 * them for callers who may not see them. A deleted record leaves the lists (its history stays
 * in its stream).
 */
/**
 * The class a record is in, for the search's class filter: the enrolment context's placement
 * events, read by their published shape (records imports nothing of enrolment, which sits downstream).
 */
type PlacementFact =
  | DomainEvent<'ChildPlaced', { recordId: string; classId: string }>
  | DomainEvent<'ChildUnplaced', { recordId: string; classId: string }>;

export const recordsProjection: ProjectionDefinition<RecordEvent | PlacementFact> = {
  name: 'records',
  // 2: search fields as 128-bit search tokens instead of 64-hex hashes (ADR 34); replayed into new collections
  version: 2,
  collections: {
    records: {
      indexes: ['institutionCode', 'divisionCode', 'status', 'name', 'idNumber', 'recordNumber', 'presenceKey', 'visibleAbove', 'importBatchId', 'updatedAt', 'classId'],
      // the institution's queues (saved, review, rejected, problems) and the county's search, page by page in order
      compound: [['institutionCode', 'status', 'updatedAt'], ['divisionCode', 'visibleAbove', 'updatedAt']],
      // sealed at rest, searched by keyed hash; a name by its first 1 to 3 characters (ADR 23)
      personal: { subject: ['id'], fields: ['name', 'idNumber', 'presenceKey', 'recordNumber'], search: ['name', 'idNumber', 'presenceKey', 'recordNumber'], prefix: { name: 3 } },
    },
  },
  handles: [
    'RecordSaved', 'RecordEdited', 'RecordDeleted', 'RecordSubmitted', 'RecordPassedDeduplication', 'RecordFlaggedAsDuplicate',
    'RecordApproved', 'RecordNumberIssued', 'RecordRejected', 'KeyInformationChanged',
    'RecordLeftDuplicateCase', 'RecordKeptAfterDuplicateCase', 'RecordVoided', 'RecordLeft', 'RecordCancelled', 'RecordRestored', 'RecordTransferred', 'RecordHandedOver', 'RecordErased',
    'ChildPlaced', 'ChildUnplaced',
  ],
  keys: (event) => [{ collection: 'records', id: event.data.recordId }],
  evolve(_collection, doc, event) {
    const at = event.metadata.occurredAt;
    if (event.type === 'RecordSaved') {
      const { recordId, institutionCode, divisionCode, importRef, overAgeConfirmed, child } = event.data;
      const base = {
        id: recordId, institutionCode, divisionCode, status: 'saved', recordNumber: null,
        importBatchId: importRef?.batchId ?? null, importRow: importRef?.row ?? null, classId: null, caseId: null, rejectReason: null,
        savedAt: at, submittedAt: null, approvedAt: null, overAgeConfirmed, visibleAbove: false,
      };
      return withChild(base, child, at);
    }
    if (!doc) return null;
    switch (event.type) {
      case 'RecordEdited':
        return { ...withChild(doc, event.data.child, at), overAgeConfirmed: event.data.overAgeConfirmed };
      case 'RecordDeleted':
      // erased (issue 21): out of every list and search, its hashes with it; the stream shows it as erased
      case 'RecordErased':
        return null;
      case 'RecordSubmitted':
        return moved(doc, 'submitted', at, { submittedAt: at, rejectReason: null });
      case 'RecordPassedDeduplication':
        return moved(doc, 'dedupe-passed', at);
      case 'RecordFlaggedAsDuplicate':
        return moved(doc, 'problem', at, { caseId: event.data.caseId });
      case 'RecordApproved':
        return moved(doc, 'numbered', at, { approvedAt: at });
      case 'RecordNumberIssued':
        return moved(doc, String(doc['status']), at, { recordNumber: event.data.recordNumber });
      case 'RecordRejected':
        return moved(doc, 'rejected', at, { rejectReason: event.metadata.reason ?? null });
      case 'RecordLeftDuplicateCase':
        return moved(doc, String(doc['status']), at, { caseId: null });
      case 'RecordKeptAfterDuplicateCase':
        return moved(doc, event.data.status, at, { caseId: null });
      case 'RecordVoided':
        return moved(doc, 'void', at, { voidReason: event.metadata.reason ?? null });
      case 'ChildPlaced':
        return { ...doc, classId: event.data.classId };
      case 'ChildUnplaced':
        return doc['classId'] === event.data.classId ? { ...doc, classId: null } : doc;
      case 'RecordLeft':
        return moved(doc, 'left', at, { leaveType: event.data.leaveType, leaveDate: event.data.leaveDate });
      case 'RecordCancelled':
        return moved(doc, 'cancelled', at, { leaveType: 'accident', leaveDate: event.data.accidentDate });
      case 'RecordRestored':
        return moved(doc, 'numbered', at, { leaveType: null, leaveDate: null });
      case 'RecordTransferred': {
        // the receiving kindergarten's record now, out of any class of the sending one (issue 15)
        const { toInstitutionCode: institutionCode, toDivisionCode: divisionCode, status } = event.data;
        const key = { name: String(doc['name']), gender: String(doc['gender']), birthDate: String(doc['birthDate']), idType: String(doc['idType']), idNumber: (doc['idNumber'] as string | null) ?? null };
        return moved({ ...doc, institutionCode, divisionCode, presenceKey: dedupeKey(key, institutionCode) }, status, at, { classId: null, leaveType: null, leaveDate: null, transferredAt: at });
      }
      case 'RecordHandedOver':
        return { ...doc, handedOverTo: event.data.schoolCode, handedOverAt: event.data.handedOverAt, updatedAt: at };
      case 'KeyInformationChanged': {
        const after = event.data.after;
        return moved({ ...doc, ...after, presenceKey: dedupeKey(after, String(doc['institutionCode'])) }, 'submitted', at, { submittedAt: at });
      }
      default:
        return doc;
    }
  },
};

function withChild(doc: Record<string, unknown>, child: ChildFields, at: string): Doc {
  const { name, gender, birthDate, idType, idNumber } = child;
  return {
    ...(doc as Doc),
    name, gender, birthDate, idType, idNumber,
    presenceKey: dedupeKey(child, String(doc['institutionCode'])),
    updatedAt: at,
  };
}

function moved(doc: Doc, status: string, at: string, extra: Record<string, unknown> = {}): Doc {
  const next: Doc = { ...doc, ...extra, status, updatedAt: at };
  return { ...next, visibleAbove: visibleAbove(status, (next['recordNumber'] as string | null) ?? null) };
}
