import type { PublishedRecordEvent, RecordEvent } from '../../records/contracts/index.js';
import { INSTITUTION_REGISTRY_EVENT_TYPES, RECORD_EVENT_TYPES } from '../domain/feed-kinds.js';
import type { ProjectionDefinition } from '../../shared/projections/projection-definition.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';

/**
 * The current representation of every entity the feed carries, in full: a feed entry shows it
 * shaped by the client's profile. Unlike the records list, a deleted record stays (as status
 * 'deleted', without its personal data), so the feed can place its deletion in a jurisdiction.
 * The fields are those of the service's records read model (key fields, status, numbers).
 */
export const feedEntitiesProjection: ProjectionDefinition = {
  name: 'feed-entities',
  version: 1,
  collections: { records: { indexes: ['divisionCode'], personal: { subject: ['id'], fields: ['name', 'idNumber', 'recordNumber'] } }, institutions: { indexes: ['divisionCode'] } },
  handles: [...RECORD_EVENT_TYPES, ...INSTITUTION_REGISTRY_EVENT_TYPES],
  keys: (event) =>
    event.type.startsWith('Institution') ? [{ collection: 'institutions', id: String(event.data['code']) }] : [{ collection: 'records', id: String(event.data['recordId']) }],
  evolve(collection, doc, event) {
    return collection === 'records' ? evolveRecord(doc, event as unknown as PublishedRecordEvent) : evolveInstitution(doc, event.type, event.data, event.recordedAt);
  },
};

type ChildKey = { name: string; gender: string; birthDate: string; idType: string; idNumber: string | null };
const keyOf = ({ name, gender, birthDate, idType, idNumber }: ChildKey) => ({ name, gender, birthDate, idType, idNumber: idNumber ?? null });

function evolveRecord(doc: Doc | null, event: PublishedRecordEvent): Doc | null {
  const at = event.metadata.occurredAt;
  const e = event as unknown as RecordEvent;
  if (e.type === 'RecordSaved') {
    const { recordId, institutionCode, divisionCode, child } = e.data;
    return { id: recordId, recordId, institutionCode, divisionCode, status: 'saved', recordNumber: null, ...keyOf(child as ChildKey), updatedAt: at };
  }
  if (!doc) return null;
  const to = (status: string, extra: Record<string, unknown> = {}): Doc => ({ ...doc, ...extra, status, updatedAt: at });
  switch (e.type) {
    case 'RecordEdited':
      return to(String(doc['status']), keyOf(e.data.child as ChildKey));
    case 'RecordDeleted':
      // the deletion is shared, the child's data is not
      return { id: doc.id, recordId: doc['recordId'], institutionCode: doc['institutionCode'], divisionCode: doc['divisionCode'], status: 'deleted', recordNumber: null, updatedAt: at };
    case 'RecordErased':
      // erased (issue 21): like a deletion, the erasure is shared and the child's data is gone
      return { id: doc.id, recordId: doc['recordId'], institutionCode: doc['institutionCode'], divisionCode: doc['divisionCode'], status: 'erased', recordNumber: null, updatedAt: at };
    case 'RecordSubmitted':
      return to('submitted');
    case 'RecordPassedDeduplication':
      return to('dedupe-passed');
    case 'RecordFlaggedAsDuplicate':
      return to('problem');
    case 'RecordApproved':
      return to('numbered');
    case 'RecordNumberIssued':
      return to(String(doc['status']), { recordNumber: e.data.recordNumber });
    case 'RecordRejected':
      return to('rejected');
    case 'RecordKeptAfterDuplicateCase':
      return to(e.data.status);
    case 'RecordVoided':
      return to('void');
    case 'KeyInformationChanged':
      return to('submitted', keyOf(e.data.after as ChildKey));
    case 'RecordLeft':
      // a restoration puts the record back exactly as it was: remember where it was
      return to('left', { leaveType: e.data.leaveType, leaveDate: e.data.leaveDate, statusBeforeLeave: doc['status'] });
    case 'RecordCancelled':
      return to('cancelled', { leaveType: 'accident', leaveDate: e.data.accidentDate, statusBeforeLeave: doc['status'] });
    case 'RecordRestored':
      return to(String(doc['statusBeforeLeave'] ?? 'numbered'), { leaveType: null, leaveDate: null, statusBeforeLeave: null });
    case 'RecordTransferred':
      // now the receiving kindergarten's (issue 15): the feed places it in its new jurisdiction
      return to(e.data.status, { institutionCode: e.data.toInstitutionCode, divisionCode: e.data.toDivisionCode, leaveType: null, leaveDate: null, statusBeforeLeave: null });
    default:
      return to(String(doc['status']));
  }
}

function evolveInstitution(doc: Doc | null, type: string, d: Record<string, unknown>, at: string): Doc | null {
  switch (type) {
    case 'InstitutionRegistered':
      return { id: String(d['code']), code: d['code'], name: d['name'], type: d['type'], ownership: d['ownership'], divisionCode: d['divisionCode'], status: 'active', updatedAt: at };
    case 'InstitutionRenamed':
      return doc && { ...doc, name: d['to'], updatedAt: at };
    case 'InstitutionRegistryDetailsChanged':
      return doc && { ...doc, type: d['type'], ownership: d['ownership'], divisionCode: d['divisionCode'], updatedAt: at };
    case 'InstitutionRevoked':
      return doc && { ...doc, status: 'revoked', updatedAt: at };
    case 'InstitutionReinstated':
      return doc && { ...doc, status: 'active', updatedAt: at };
    default:
      return doc;
  }
}
