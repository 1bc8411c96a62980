import { expect } from '@jest/globals';
import type { RecordedEvent } from '../event-store/event-store.port.js';
import type { Doc } from '../read-store/read-store.port.js';
import { type DocCache, applyEvents, cacheKey } from '../projections/apply-events.js';
import { type ProjectionDefinition, physicalCollection } from '../projections/projection-definition.js';

/**
 * Runs events through a projection the way the runner does and returns the documents.
 * Every call also checks idempotency: the same events applied a second time (a replay)
 * must leave every document exactly as it was, and evolve must not mutate its input.
 */
export function projectEvents(definition: ProjectionDefinition, events: RecordedEvent[]) {
  // documents handed to evolve are frozen: a reducer that mutates its input throws here
  const projection: ProjectionDefinition = {
    ...definition,
    evolve: (collection, doc, event, id) => definition.evolve(collection, doc === null ? null : deepFreeze(structuredClone(doc)), event, id),
  };
  const cache: DocCache = new Map();
  applyEvents(projection, events, cache);
  const once = structuredClone([...cache.entries()]);
  const replayWrites = applyEvents(projection, events, cache);
  expect(replayWrites).toEqual([]);
  expect([...cache.entries()]).toEqual(once);
  // a fresh run fed each event twice in a row ends in the same documents
  const doubled: DocCache = new Map();
  applyEvents(projection, events.flatMap((e) => [e, e]), doubled);
  expect([...doubled.entries()]).toEqual(once);
  return {
    doc(collection: string, id: string): Doc | null {
      return cache.get(cacheKey(physicalCollection(projection, collection), id))?.doc ?? null;
    },
    docs(collection: string): Doc[] {
      const prefix = physicalCollection(projection, collection) + '\u0000';
      return [...cache.entries()].filter(([k, v]) => k.startsWith(prefix) && v.doc !== null).map(([, v]) => v.doc!);
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
