import type { PublishedRecordEvent, RecordEvent } from '../../records/contracts/index.js';
import type { TypedRecordedEvent } from '../../shared/event-store/event-store.port.js';
import { beijingDate } from '../../shared/time/beijing.js';
import { type DocKey, type ProjectionDefinition, physicalCollection } from '../../shared/projections/projection-definition.js';
import type { Doc } from '../../shared/read-store/read-store.port.js';
import type { ClassEvent } from '../domain/class.decider.js';
import type { RestorationEvent } from '../domain/restoration.decider.js';

type Handled = RecordEvent | ClassEvent | RestorationEvent;
type Event = TypedRecordedEvent<Handled>;


const STATUS_OF: Partial<Record<RecordEvent['type'], string>> = {
  RecordSubmitted: 'submitted', RecordPassedDeduplication: 'dedupe-passed', RecordFlaggedAsDuplicate: 'problem', RecordApproved: 'numbered',
  RecordRejected: 'rejected', RecordVoided: 'void', KeyInformationChanged: 'submitted', RecordRestored: 'numbered',
};

/**
 * The kindergarten's year at a glance: its classes, every child with its class and marks (the
 * rosters, the children not yet in a class, head counts by gender, the leave history), and the
 * restoration applications of the counties. Built from the records' published events and the
 * classes' own; full ID numbers are stored and masked by the queries.
 */
export const enrolmentProjection: ProjectionDefinition<Handled> = {
  name: 'enrolment',
  version: 1,
  collections: {
    classes: { indexes: ['institutionCode', 'divisionCode', 'name'] },
    children: {
      indexes: ['institutionCode', 'divisionCode', 'classId', 'status', 'hasLeft', 'departedFrom', 'departedFromDivision'], compound: [['institutionCode', 'classId'], ['institutionCode', 'status', 'classId']],
      personal: { subject: ['id'], fields: ['name', 'idNumber', 'recordNumber'] },
    },
    restorations: { indexes: ['institutionCode', 'divisionCode', 'status', 'appliedAt'] },
  },
  handles: [
    'RecordSaved', 'RecordEdited', 'RecordDeleted', 'RecordErased', 'RecordSubmitted', 'RecordPassedDeduplication', 'RecordFlaggedAsDuplicate', 'RecordApproved',
    'RecordNumberIssued', 'RecordRejected', 'KeyInformationChanged', 'RecordKeptAfterDuplicateCase', 'RecordVoided', 'RecordLeft', 'RecordCancelled', 'RecordRestored', 'RecordTransferred',
    'ClassCreated', 'ClassRenamed', 'ClassTeachersChanged', 'ClassDeleted', 'ChildrenJoinedClass', 'ChildrenLeftClass', 'ChildMarked', 'ClassPromoted',
    'ClassGraduationDecided', 'ClassGraduationCompleted', 'RestorationApplied', 'RestorationApproved', 'RestorationRejected',
  ],
  keys(event): DocKey[] {
    const e = event as Event;
    switch (e.type) {
      case 'ChildrenJoinedClass':
      case 'ChildrenLeftClass':
        return e.data.recordIds.map((id) => ({ collection: 'children', id }));
      case 'ChildMarked':
        return [{ collection: 'children', id: e.data.recordId }];
      case 'ClassPromoted':
        return [...e.data.stayed, ...e.data.consumedMarks].map((id) => ({ collection: 'children', id }));
      case 'RestorationApplied':
      case 'RestorationApproved':
      case 'RestorationRejected':
        return [{ collection: 'restorations', id: e.data.applicationId }];
      default:
        if (e.type.startsWith('Class')) return [{ collection: 'classes', id: (e.data as { classId: string }).classId }];
        return [{ collection: 'children', id: (e.data as { recordId: string }).recordId }];
    }
  },
  evolve(collection, doc, event) {
    const e = event as Event;
    if (collection === 'classes') return classDoc(doc, e);
    if (collection === 'restorations') return restorationDoc(doc, e);
    return childDoc(doc, e);
  },
};

function classDoc(doc: Doc | null, e: Event): Doc | null {
  const at = e.metadata.occurredAt;
  if (e.type === 'ClassCreated') {
    const { classId, institutionCode, divisionCode, name, grade, schoolYear, teachers } = e.data;
    return { id: classId, institutionCode, divisionCode, name, grade, schoolYear, teachers, graduating: null, createdAt: at, updatedAt: at };
  }
  if (!doc) return null;
  switch (e.type) {
    case 'ClassRenamed':
      return { ...doc, name: e.data.name, updatedAt: at };
    case 'ClassTeachersChanged':
      return { ...doc, teachers: e.data.teachers, updatedAt: at };
    case 'ClassDeleted':
      return null;
    case 'ClassGraduationDecided':
      return { ...doc, graduating: e.data.graduationId, updatedAt: at };
    case 'ClassGraduationCompleted':
      return { ...doc, graduating: null, lastGraduatedAt: at, updatedAt: at };
    default:
      return doc;
  }
}

function childDoc(doc: Doc | null, e: Event): Doc | null {
  const at = e.metadata.occurredAt;
  if (e.type === 'RecordSaved') {
    const { recordId, institutionCode, divisionCode, child } = e.data;
    return { id: recordId, institutionCode, divisionCode, name: child.name, gender: child.gender, birthDate: child.birthDate, idNumber: child.idNumber, recordNumber: null, status: 'saved', classId: null, mark: null, leaves: [], hasLeft: false, updatedAt: at };
  }
  if (!doc) return null;
  const status = STATUS_OF[e.type as RecordEvent['type']];
  const next: Doc = status ? { ...doc, status, updatedAt: at } : { ...doc, updatedAt: at };
  switch (e.type) {
    case 'RecordEdited':
      return { ...next, name: e.data.child.name, gender: e.data.child.gender, birthDate: e.data.child.birthDate, idNumber: e.data.child.idNumber };
    case 'KeyInformationChanged':
      return { ...next, name: e.data.after.name, gender: e.data.after.gender, birthDate: e.data.after.birthDate, idNumber: e.data.after.idNumber };
    case 'RecordDeleted':
    // erased (issue 21): gone from the rosters like a deletion
    case 'RecordErased':
      return null;
    case 'RecordNumberIssued':
      return { ...next, recordNumber: e.data.recordNumber };
    case 'RecordKeptAfterDuplicateCase':
      return { ...next, status: e.data.status };
    case 'RecordLeft':
      return { ...next, status: 'left', hasLeft: true, leaves: [...(doc['leaves'] as unknown[]), { leaveType: e.data.leaveType, leaveDate: e.data.leaveDate, classId: doc['classId'], reason: e.metadata.reason ?? null, enteredAt: at }] };
    case 'RecordCancelled':
      return { ...next, status: 'cancelled', hasLeft: true, leaves: [...(doc['leaves'] as unknown[]), { leaveType: 'accident', leaveDate: e.data.accidentDate, classId: doc['classId'], reason: e.metadata.reason ?? null, enteredAt: at }] };
    case 'RecordTransferred': {
      // the receiving kindergarten's child now, in no class; the sending one keeps it in its leave
      // history (departedFrom), with a transfer-out leave unless it already left so (issue 15)
      const { fromInstitutionCode, fromDivisionCode, toInstitutionCode, toDivisionCode, status: arrived } = e.data;
      const leaves = doc['status'] === 'left' ? (doc['leaves'] as unknown[]) : [...(doc['leaves'] as unknown[]), { leaveType: 'transfer-out', leaveDate: beijingDate(at), classId: doc['classId'], reason: '调转至其他幼儿园', enteredAt: at }];
      return { ...next, institutionCode: toInstitutionCode, divisionCode: toDivisionCode, status: arrived, classId: null, mark: null, hasLeft: false, leaves, departedFrom: fromInstitutionCode, departedFromDivision: fromDivisionCode };
    }
    case 'ChildrenJoinedClass':
      return { ...next, classId: e.data.classId, mark: null };
    case 'ChildrenLeftClass':
      return doc['classId'] === e.data.classId ? { ...next, classId: null, mark: null } : doc;
    case 'ChildMarked':
      return { ...next, mark: e.data.mark };
    case 'ClassPromoted':
      return { ...next, mark: null };
    default:
      return next;
  }
}

function restorationDoc(doc: Doc | null, e: Event): Doc | null {
  const at = e.metadata.occurredAt;
  if (e.type === 'RestorationApplied') {
    const { applicationId, institutionCode, divisionCode, category, recordIds } = e.data;
    return { id: applicationId, institutionCode, divisionCode, category, recordIds, reason: e.metadata.reason ?? null, status: 'pending', appliedAt: at, decidedAt: null, decisionReason: null };
  }
  if (!doc) return null;
  if (e.type === 'RestorationApproved') return { ...doc, status: 'approved', decidedAt: at };
  if (e.type === 'RestorationRejected') return { ...doc, status: 'rejected', decidedAt: at, decisionReason: e.metadata.reason ?? null };
  return doc;
}

export type { PublishedRecordEvent };

export const CLASSES = physicalCollection(enrolmentProjection, 'classes');
export const CHILDREN = physicalCollection(enrolmentProjection, 'children');
export const RESTORATIONS = physicalCollection(enrolmentProjection, 'restorations');
