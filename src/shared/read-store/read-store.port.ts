/**
 * The read-store port for projections. Adapters: embedded SQLite documents (default) and
 * MongoDB. Both pass read-store.contract.ts.
 *
 * Documents are plain JSON objects with a string `id`. Only fields declared as indexes can
 * be filtered or sorted on. Every written document carries the global position of the last
 * event applied to it (`_pos`), which is how replays are recognised and skipped.
 */
import type { PersonalShape } from '../personal-data/personal-shape.js';

export type Doc = { id: string } & Record<string, unknown>;

export type Scalar = string | number | boolean | null;

export type FieldCondition =
  | Scalar
  | { $in: Scalar[] }
  | { $gt?: Scalar; $gte?: Scalar; $lt?: Scalar; $lte?: Scalar }
  | { $prefix: string };

/** Conjunction of conditions on indexed fields (and `id`). */
export type Filter = Record<string, FieldCondition>;

export type SortDirection = 'asc' | 'desc';

export interface FindOptions {
  /** sort keys, applied in order; `id` is appended as the final tie-breaker */
  sort?: Array<[field: string, direction: SortDirection]>;
  limit?: number;
  /** opaque cursor from a previous page's nextCursor */
  cursor?: string;
  /**
   * The documents as stored, for equality matching without reading anyone's personal data: the
   * searchable personal fields in their stored form (`storedForm`), the other personal fields left
   * out. A store without encryption at rest stores values as they are and ignores this.
   */
  storedForm?: boolean;
}

export interface Page<T> {
  items: T[];
  /** null when this is the last page */
  nextCursor: string | null;
}

export interface CollectionDefinition {
  /** indexed fields (top-level, scalar values); each may be filtered and sorted on */
  indexes: string[];
  /**
   * Fields queried together, equality fields first and the sort field last (each also in
   * `indexes`): one index serves the filter and the page order (adapters append `id`, the
   * tie-breaker), so a queue of 50 is read as 50 index entries, not by sorting every match.
   * A field leading a compound index needs no index of its own.
   */
  compound?: string[][];
  /**
   * The collection's personal fields, sealed at rest with the child's data key (ADR 23).
   */
  personal?: PersonalCollection;
}

export interface PersonalCollection extends PersonalShape {
  /**
   * Top-level personal fields stored as keyed hashes (the sealed value beside them), so equality
   * filters still work; an indexed personal field must be one of them. Declared here, not taken
   * from `indexes`, so a rebuild that creates its indexes last seals the same way.
   */
  search?: readonly string[];
  /** hashed prefixes of a search field up to that many characters (a name by its first characters) */
  prefix?: Readonly<Record<string, number>>;
}

/** The compound indexes of a definition, checked: every field is one of its indexed fields. */
export function compoundIndexes(definition: CollectionDefinition): string[][] {
  for (const fields of definition.compound ?? []) {
    for (const field of fields) if (!definition.indexes.includes(field)) throw new InvalidQueryError(`compound index field ${field} is not in indexes`);
  }
  return definition.compound ?? [];
}

export type DocWrite =
  | { collection: string; id: string; doc: Doc; position: number }
  | { collection: string; id: string; doc: null; position: number };

export interface Checkpoint {
  projection: string;
  position: number;
  updatedAt: string;
}

export interface ReadStore {
  readonly kind: string;
  /** Creates the collection and its indexes if missing (idempotent). */
  ensureCollection(name: string, definition: CollectionDefinition): Promise<void>;
  dropCollection(name: string): Promise<void>;
  get<T extends Doc = Doc>(collection: string, id: string): Promise<(T & { _pos: number }) | null>;
  getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<Map<string, T & { _pos: number }>>;
  /**
   * What the projection runner needs to apply events: each existing id's document (null for a
   * deleted one, i.e. a tombstone) with the position of the last event applied to it.
   */
  getStates(collection: string, ids: string[]): Promise<Map<string, { doc: Doc | null; pos: number }>>;
  find<T extends Doc = Doc>(collection: string, filter: Filter, options?: FindOptions): Promise<Page<T>>;
  count(collection: string, filter: Filter): Promise<number>;
  /**
   * Writes documents (doc null = delete) and moves the projection's checkpoint, as one unit
   * where the store can (SQLite: one transaction). Where it cannot (MongoDB), every write is
   * guarded by position, so replaying the same writes changes nothing.
   */
  applyBatch(projection: string, writes: DocWrite[], checkpoint: number): Promise<void>;
  getCheckpoint(projection: string): Promise<number | null>;
  listCheckpoints(): Promise<Checkpoint[]>;
  deleteCheckpoint(projection: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The stored form of a searchable field's value (a keyed hash under encryption at rest); absent: the value itself. */
  storedForm?(collection: string, field: string, value: string): string;
  /**
   * An opaque token that changes whenever what the collection's documents read as may have
   * changed, on this connection or any other (another thread's or process's applyBatch, a drop, a
   * rebuild; under encryption at rest also a destroyed data key): equal tokens, same answers. The
   * SQLite store keeps a version per collection, moved in the transaction of the writes. Read it
   * BEFORE the documents, so a write racing the read can only make an answer look older. Absent
   * or null: the store keeps no versions (MongoDB), so nothing read from it may be cached.
   */
  collectionVersion?(collection: string): Promise<string | null>;
}

export const READ_STORE = Symbol('ReadStore');

export class InvalidQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidQueryError';
  }
}

/** Page sizes every adapter applies: the default, and the most one find returns (page on with the cursor). */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 1000;

export function pageLimit(requested: number | undefined): number {
  return Math.min(Math.max(Math.floor(requested ?? DEFAULT_PAGE_LIMIT) || 1, 1), MAX_PAGE_LIMIT);
}

/** Every document matching the filter, page after page (one find returns at most MAX_PAGE_LIMIT). */
export async function* findEach<T extends Doc = Doc>(store: ReadStore, collection: string, filter: Filter, options: Pick<FindOptions, 'storedForm'> = {}): AsyncGenerator<T & { _pos: number }> {
  let cursor: string | undefined;
  do {
    const page = await store.find<T & { _pos: number }>(collection, filter, { ...options, limit: MAX_PAGE_LIMIT, ...(cursor ? { cursor } : {}) });
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** findEach, collected. */
export async function findAll<T extends Doc = Doc>(store: ReadStore, collection: string, filter: Filter, options: Pick<FindOptions, 'storedForm'> = {}): Promise<Array<T & { _pos: number }>> {
  const docs: Array<T & { _pos: number }> = [];
  for await (const doc of findEach<T>(store, collection, filter, options)) docs.push(doc);
  return docs;
}

/** Cursor = base64url JSON of the last item's sort values and id. Shared by the adapters. */
export function encodeCursor(values: Scalar[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, expectedLength: number): Scalar[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidQueryError('cursor is not valid');
  }
  if (!Array.isArray(parsed) || parsed.length !== expectedLength) throw new InvalidQueryError('cursor is not valid');
  return parsed as Scalar[];
}

/** The sort with `id` appended as final tie-breaker, and every field checked to be indexed. */
export function normaliseSort(sort: FindOptions['sort'], indexes: readonly string[]): Array<[string, SortDirection]> {
  const keys = (sort ?? []).filter(([f]) => f !== 'id');
  for (const [field] of keys) {
    if (!indexes.includes(field)) throw new InvalidQueryError(`field ${field} is not indexed`);
  }
  const idDirection = keys.length > 0 ? keys[keys.length - 1]![1] : 'asc';
  return [...keys, ['id', idDirection]];
}

export function checkFilterFields(filter: Filter, indexes: readonly string[]): void {
  for (const field of Object.keys(filter)) {
    if (field !== 'id' && !indexes.includes(field)) throw new InvalidQueryError(`field ${field} is not indexed`);
  }
}

export function sortValues(doc: Record<string, unknown>, sort: Array<[string, SortDirection]>): Scalar[] {
  return sort.map(([field]) => (doc[field] ?? null) as Scalar);
}
