import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { Doc, DocWrite } from '../read-store/read-store.port.js';
import { type ProjectionDefinition, physicalCollection } from './projection-definition.js';

export interface StoredDoc {
  doc: Doc | null;
  /** position of the last event applied (0 = never written) */
  pos: number;
}

/** key -> current document, as loaded from the read store (missing = never written) */
export type DocCache = Map<string, StoredDoc>;

export const cacheKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

/** The document keys a batch touches, grouped by physical collection. */
export function touchedKeys(projection: ProjectionDefinition, events: readonly RecordedEvent[]): Map<string, Set<string>> {
  const byCollection = new Map<string, Set<string>>();
  const handled = new Set(projection.handles);
  for (const event of events) {
    if (!handled.has(event.type)) continue;
    for (const key of projection.keys(event)) {
      const physical = physicalCollection(projection, key.collection);
      let ids = byCollection.get(physical);
      if (!ids) byCollection.set(physical, (ids = new Set()));
      ids.add(key.id);
    }
  }
  return byCollection;
}

/**
 * Applies a batch to cached documents and returns the writes. An event at or before a
 * document's stored position was applied already and is skipped: replays change nothing.
 */
export function applyEvents(projection: ProjectionDefinition, events: readonly RecordedEvent[], cache: DocCache): DocWrite[] {
  const dirty = new Map<string, DocWrite>();
  const handled = new Set(projection.handles);
  for (const event of events) {
    if (!handled.has(event.type)) continue;
    for (const key of projection.keys(event)) {
      const collection = physicalCollection(projection, key.collection);
      const k = cacheKey(collection, key.id);
      const current = cache.get(k) ?? { doc: null, pos: 0 };
      if (event.position <= current.pos) continue;
      const next = projection.evolve(key.collection, current.doc, event, key.id);
      const doc = next === null ? null : { ...next, id: key.id };
      cache.set(k, { doc, pos: event.position });
      // a document that never existed and is still absent needs no write
      if (doc === null && current.doc === null && !dirty.has(k)) continue;
      dirty.set(k, doc === null ? { collection, id: key.id, doc: null, position: event.position } : { collection, id: key.id, doc, position: event.position });
    }
  }
  return [...dirty.values()];
}
