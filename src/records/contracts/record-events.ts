import type { TypedRecordedEvent } from '../../shared/event-store/event-store.port.js';
import type { RecordEvent } from '../domain/record.decider.js';

/**
 * The record's lifecycle events other contexts may react to (reports, the feed, classes,
 * transfers): the union, the stream they live in, their type names. Everything else of records
 * (de-duplication keys, duplicate cases, import batches) is internal and may change shape.
 */
export type { RecordEvent, RecordStatus, LeaveType } from '../domain/record.decider.js';
export type { TransferStep } from '../domain/record-transfer.js';
export { LEAVE_TYPES } from '../domain/record.decider.js';
export type { ChildFields, KeyInformation } from '../domain/child.js';
export { recordStream } from '../domain/record.decider.js';

/** A stored record event, typed: `switch (event.type)` narrows `event.data`. */
export type PublishedRecordEvent = TypedRecordedEvent<RecordEvent>;

export const RECORD_EVENT_TYPES = [
  'RecordSaved', 'RecordEdited', 'RecordDeleted', 'RecordSubmitted', 'RecordPassedDeduplication', 'RecordFlaggedAsDuplicate',
  'RecordApproved', 'RecordNumberIssued', 'RecordRejected', 'KeyInformationChanged',
  'RecordLeftDuplicateCase', 'RecordKeptAfterDuplicateCase', 'RecordVoided', 'RecordLeft', 'RecordCancelled', 'RecordRestored',
  'RecordTransferApplied', 'RecordTransferAgreed', 'RecordTransferRefused', 'RecordTransferWithdrawn', 'RecordTransferred',
  'RecordHandedOver',
  'RecordErased',
] as const satisfies readonly RecordEvent['type'][];

// every type of the union is listed (a new record event must be added here, or this fails to compile)
type Unlisted = Exclude<RecordEvent['type'], (typeof RECORD_EVENT_TYPES)[number]>;
const allListed: Unlisted extends never ? true : Unlisted = true;
void allListed;
