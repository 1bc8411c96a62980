import type { DomainEvent } from '../domain/decider.js';
import type { RecordedEvent, TypedRecordedEvent } from '../event-store/event-store.port.js';
import type { CollectionDefinition, Doc, DocWrite, ReadStore } from '../read-store/read-store.port.js';

export interface DocKey {
  collection: string;
  id: string;
}

/**
 * A read model as pure reducers: `keys` says which documents an event touches, `evolve` gives
 * each document's next state (null = delete). The runner loads, applies and stores; a document
 * remembers the position of the last event applied to it, so replayed events are skipped.
 * Bump `version` to rebuild: the new version replays the log into new collections.
 */
export interface ProjectionDefinition<E extends DomainEvent = DomainEvent> {
  name: string;
  version: number;
  /** logical collection names of this projection, with their indexed fields */
  collections: Record<string, CollectionDefinition>;
  /** the event types it reads; others only move its checkpoint */
  handles: readonly E['type'][];
  // methods, not function properties: a projection typed over its own events is still a ProjectionDefinition
  keys(event: TypedRecordedEvent<E>): DocKey[];
  /** `id` is the document's key: one event may create several documents (e.g. one per entry it lists) */
  evolve(collection: string, doc: Doc | null, event: TypedRecordedEvent<E>, id: string): Doc | null;
  /**
   * For a read model whose events change documents they do not name (ADR 26's summary counters:
   * a RecordEdited moves the counters of the record's institution, which only the record's fact
   * document knows). When present the runner calls it instead of keys/evolve for each batch: it
   * loads what it needs through `load` (logical collection names; each document with its stored
   * position) and answers the writes (logical collection names). It keeps the position guard
   * itself: no change to a document whose stored position is at or after the event.
   */
  applyBatch?(events: readonly RecordedEvent[], load: BatchLoad): Promise<DocWrite[]>;
  /**
   * Runs on the service's main thread, never in the projection worker: a reader on that thread
   * holds it at a log position (`ProjectionManager.readAt`, the month-end snapshot of ADR 26).
   */
  mainThread?: boolean;
}

/** Loads documents of a projection's (logical) collection with their stored positions; missing ids are absent. */
export type BatchLoad = (collection: string, ids: readonly string[]) => Promise<Map<string, { doc: Doc | null; pos: number }>>;

/** Physical collection of a projection version: rebuilding a new version never touches the old one. */
export const physicalCollection = (projection: Pick<ProjectionDefinition, 'name' | 'version'>, collection: string): string =>
  `${projection.name}_v${projection.version}_${collection}`.replaceAll('-', '_');

/** Creates (or completes) the projection's collections and indexes on this connection of the read store. */
export async function ensureCollections(reads: ReadStore, projection: ProjectionDefinition): Promise<void> {
  for (const [name, collection] of Object.entries(projection.collections)) await reads.ensureCollection(physicalCollection(projection, name), collection);
}

export const checkpointKey = (projection: Pick<ProjectionDefinition, 'name' | 'version'>): string => `${projection.name}@v${projection.version}`;

/** The projection version a checkpoint belongs to; null for other checkpoints (a reactor's `reactor:<name>`). */
export function parseCheckpointKey(key: string): { name: string; version: number } | null {
  const match = /^(.+)@v(\d+)$/.exec(key);
  return match ? { name: match[1]!, version: Number(match[2]) } : null;
}
