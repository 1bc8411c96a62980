import { INSTITUTION_REGISTRY_EVENT_TYPES } from '../../organisation/contracts/index.js';
import { RECORD_EVENT_TYPES } from '../../records/contracts/index.js';

export { INSTITUTION_REGISTRY_EVENT_TYPES, RECORD_EVENT_TYPES };

/**
 * The feed's entry kinds, one per published event type (docs/feed.md lists what each means).
 * A later context's events get their own kinds here; a kind never changes meaning (a new
 * meaning is a new kind, and a new shape a new `.vN` CloudEvents type).
 */
type FeedEventType = (typeof RECORD_EVENT_TYPES)[number] | (typeof INSTITUTION_REGISTRY_EVENT_TYPES)[number];

// every published type has its kind: a new record or institution event fails to compile until it is given one
export const FEED_KINDS: Record<FeedEventType, string> & Record<string, string | undefined> = {
  RecordSaved: 'record.created',
  RecordEdited: 'record.changed',
  RecordDeleted: 'record.deleted',
  RecordSubmitted: 'record.submitted',
  RecordPassedDeduplication: 'record.deduplication-passed',
  RecordFlaggedAsDuplicate: 'record.flagged-duplicate',
  RecordApproved: 'record.approved',
  RecordNumberIssued: 'record.numbered',
  RecordRejected: 'record.rejected',
  KeyInformationChanged: 'record.key-changed',
  RecordLeftDuplicateCase: 'record.left-duplicate-case',
  RecordKeptAfterDuplicateCase: 'record.kept-after-duplicate-case',
  RecordVoided: 'record.voided',
  RecordLeft: 'record.left',
  RecordCancelled: 'record.cancelled',
  RecordRestored: 'record.restored',
  RecordTransferApplied: 'record.transfer-applied',
  RecordTransferAgreed: 'record.transfer-agreed',
  RecordTransferRefused: 'record.transfer-refused',
  RecordTransferWithdrawn: 'record.transfer-withdrawn',
  RecordTransferred: 'record.transferred',
  RecordHandedOver: 'record.handed-over',
  RecordErased: 'record.erased',
  InstitutionRegistered: 'institution.registered',
  InstitutionRenamed: 'institution.renamed',
  InstitutionRegistryDetailsChanged: 'institution.changed',
  InstitutionRevoked: 'institution.revoked',
  InstitutionReinstated: 'institution.reinstated',
};

export const FEED_EVENT_TYPES: readonly string[] = [...RECORD_EVENT_TYPES, ...INSTITUTION_REGISTRY_EVENT_TYPES];
/** CloudEvents `type` of an entry kind: reverse-DNS, versioned by the entry's shape */
export const cloudEventType = (kind: string): string => `cn.preschool.${kind}.v1`;
