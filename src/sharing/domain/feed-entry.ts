import { maskPersonal } from '../../records/contracts/index.js';
import type { Profile } from './api-client.decider.js';
import { FEED_KINDS, cloudEventType } from './feed-kinds.js';

/** One feed entry: a CloudEvents 1.0 event in structured JSON mode, `cursor` its extension. */
export interface FeedEntry {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** resume after this entry with `?after=<cursor>` (or Last-Event-ID) */
  cursor: string;
  data: {
    entity: 'record' | 'institution';
    id: string;
    kind: string;
    /** natural keys as they are now (record number masked where the profile says so) */
    keys: { recordNumber?: string | null; institutionCode: string };
    /** key information changed: the key fields before and after, shaped like the representation */
    change?: { before: Record<string, unknown>; after: Record<string, unknown> };
    /** the entity now, shaped by the profile; a deleted record keeps only where it was */
    representation: Record<string, unknown>;
  };
}

/** Fields a summary profile receives of a record: what statistics need, no personal data. */
const SUMMARY_FIELDS = ['recordId', 'institutionCode', 'divisionCode', 'status', 'gender', 'updatedAt'];
const RECORD_FIELDS = ['recordId', 'institutionCode', 'divisionCode', 'status', 'recordNumber', 'name', 'gender', 'birthDate', 'idType', 'idNumber', 'updatedAt'];

const pick = (doc: Record<string, unknown>, fields: readonly string[]) => Object.fromEntries(fields.filter((f) => f in doc).map((f) => [f, doc[f]]));

/** A record as a profile may see it: summary fields, masked personal data, or everything the feed holds. */
export function shapeRecord(doc: Record<string, unknown>, profile: Profile): Record<string, unknown> {
  if (profile === 'summary') return pick(doc, SUMMARY_FIELDS);
  const full = pick(doc, RECORD_FIELDS);
  return profile === 'personal' ? full : maskPersonal(full);
}

export interface EntrySource {
  eventId: string;
  type: string;
  position: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** The entry of one event for one client, or null for an event the feed does not carry. */
export function feedEntry(event: EntrySource, entity: Record<string, unknown>, profile: Profile, source: string): FeedEntry | null {
  const kind = FEED_KINDS[event.type];
  if (!kind) return null;
  const isRecord = kind.startsWith('record.');
  const representation = isRecord ? shapeRecord(entity, profile) : { ...entity };
  delete representation['id'];
  delete representation['_pos'];
  const id = String(isRecord ? entity['recordId'] : entity['code']);
  const keys = isRecord
    ? { recordNumber: profile === 'summary' ? null : ((profile === 'personal' ? entity : maskPersonal({ recordNumber: entity['recordNumber'] }))['recordNumber'] as string | null), institutionCode: String(entity['institutionCode']) }
    : { institutionCode: id };
  const entry: FeedEntry = {
    specversion: '1.0',
    id: event.eventId,
    source,
    type: cloudEventType(kind),
    subject: `${isRecord ? 'records' : 'institutions'}/${id}`,
    time: event.occurredAt,
    datacontenttype: 'application/json',
    cursor: String(event.position),
    data: { entity: isRecord ? 'record' : 'institution', id, kind, keys, representation },
  };
  if (event.type === 'KeyInformationChanged' && profile !== 'summary') {
    const before = event.data['before'] as Record<string, unknown>;
    const after = event.data['after'] as Record<string, unknown>;
    entry.data.change = profile === 'personal' ? { before, after } : { before: maskPersonal(before), after: maskPersonal(after) };
  }
  return entry;
}
