// MongoDB adapter of the read-store port: all MongoDB-driver-specific code lives in this file.
// Written from the driver's type definitions (mongodb 7.x mongodb.d.ts): bulkWrite with
// ordered:false, MongoBulkWriteError.writeErrors (OneOrMore<WriteError>, code 11000 =
// duplicate key), countDocuments, createIndex, db.command({ ping: 1 }). Not run against a
// server here (none can be installed); the contract suite runs when MONGODB_URL is set.
import { type AnyBulkWriteOperation, type Collection, type Db, type Document, MongoBulkWriteError, MongoClient, MongoServerError } from 'mongodb';
import {
  type Checkpoint,
  type CollectionDefinition,
  type Doc,
  type DocWrite,
  type FieldCondition,
  type Filter,
  type FindOptions,
  type Page,
  type ReadStore,
  type Scalar,
  type SortDirection,
  InvalidQueryError,
  checkFilterFields,
  decodeCursor,
  encodeCursor,
  normaliseSort,
  sortValues,
} from './read-store.port.js';

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 50;
const DUPLICATE_KEY = 11000;
const CHECKPOINTS = '_checkpoints';
const COLLECTIONS = '_collections';
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,100}$/;

type Stored = Document & { _id: string; _pos: number; _deleted?: boolean };

/**
 * Documents are stored as { _id, ...fields, _pos } and deletions as tombstones
 * { _id, _pos, _deleted: true }. Documents and the checkpoint are not one transaction here
 * (that would need a replica set and cost a round trip per batch), so every write is guarded
 * by position: it applies only where the stored _pos is older. A crash between the document
 * writes and the checkpoint replays the batch, and the replay changes nothing.
 */
export class MongoReadStore implements ReadStore {
  readonly kind = 'mongodb';
  private readonly indexes = new Map<string, string[]>();
  private loaded = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  static async connect(url: string, dbName?: string): Promise<MongoReadStore> {
    const client = new MongoClient(url);
    await client.connect();
    const fromPath = new URL(url).pathname.replace(/^\//, '');
    const store = new MongoReadStore(client, client.db(dbName ?? (fromPath || 'preschool')));
    await store.ping();
    return store;
  }

  private col(name: string): Collection<Stored> {
    if (!NAME.test(name)) throw new InvalidQueryError(`collection name ${name} is not allowed`);
    return this.db.collection<Stored>(name);
  }

  /** Indexed fields survive restarts: they are kept in _collections. */
  private async indexesOf(name: string): Promise<string[]> {
    if (!this.loaded) {
      for (const row of await this.db.collection<{ _id: string; indexes: string[] }>(COLLECTIONS).find().toArray()) this.indexes.set(row._id, row.indexes);
      this.loaded = true;
    }
    const found = this.indexes.get(name);
    if (!found) throw new InvalidQueryError(`collection ${name} does not exist`);
    return found;
  }

  async ensureCollection(name: string, definition: CollectionDefinition): Promise<void> {
    const col = this.col(name);
    for (const field of definition.indexes) {
      if (!NAME.test(field)) throw new InvalidQueryError(`field name ${field} is not allowed`);
      await col.createIndex({ [field]: 1 });
    }
    const known = this.loaded || this.indexes.has(name) ? (this.indexes.get(name) ?? []) : await this.indexesOf(name).catch(() => []);
    const indexes = [...new Set([...known, ...definition.indexes])];
    await this.db.collection<{ _id: string; indexes: string[] }>(COLLECTIONS).replaceOne({ _id: name }, { indexes }, { upsert: true });
    this.indexes.set(name, indexes);
  }

  async dropCollection(name: string): Promise<void> {
    try {
      await this.col(name).drop();
    } catch (error) {
      if (!(error instanceof MongoServerError && error.codeName === 'NamespaceNotFound')) throw error;
    }
    await this.db.collection<{ _id: string }>(COLLECTIONS).deleteOne({ _id: name });
    this.indexes.delete(name);
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<(T & { _pos: number }) | null> {
    const found = await this.col(collection).findOne({ _id: id, _deleted: { $ne: true } });
    return found ? ({ ...toDoc(found), _pos: found._pos } as T & { _pos: number }) : null;
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<Map<string, T & { _pos: number }>> {
    const out = new Map<string, T & { _pos: number }>();
    for (const found of await this.col(collection).find({ _id: { $in: ids }, _deleted: { $ne: true } }).toArray()) {
      out.set(found._id, { ...toDoc(found), _pos: found._pos } as T & { _pos: number });
    }
    return out;
  }

  async getStates(collection: string, ids: string[]): Promise<Map<string, { doc: Doc | null; pos: number }>> {
    const out = new Map<string, { doc: Doc | null; pos: number }>();
    for (const found of await this.col(collection).find({ _id: { $in: ids } }).toArray()) {
      out.set(found._id, { doc: found._deleted ? null : toDoc(found), pos: found._pos });
    }
    return out;
  }

  async find<T extends Doc = Doc>(collection: string, filter: Filter, options: FindOptions = {}): Promise<Page<T>> {
    const indexes = await this.indexesOf(collection);
    checkFilterFields(filter, indexes);
    const sort = normaliseSort(options.sort, indexes);
    const limit = Math.min(Math.max(options.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
    const conditions: Document[] = [toMongoFilter(filter)];
    if (options.cursor) conditions.push(keysetCondition(sort, decodeCursor(options.cursor, sort.length)));
    const rows = await this.col(collection)
      .find({ $and: conditions })
      .sort(sort.map(([f, d]) => [f === 'id' ? '_id' : f, d === 'asc' ? 1 : -1] as [string, 1 | -1]))
      .limit(limit + 1)
      .toArray();
    const items = rows.slice(0, limit).map((row) => toDoc(row) as T);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(sortValues(last, sort)) : null };
  }

  async count(collection: string, filter: Filter): Promise<number> {
    checkFilterFields(filter, await this.indexesOf(collection));
    return this.col(collection).countDocuments(toMongoFilter(filter));
  }

  async applyBatch(projection: string, writes: DocWrite[], checkpoint: number): Promise<void> {
    const byCollection = new Map<string, AnyBulkWriteOperation<Stored>[]>();
    for (const write of writes) {
      const { id: _id, ...fields } = write.doc ?? { id: write.id };
      const replacement = write.doc === null ? { _pos: write.position, _deleted: true } : { ...fields, _pos: write.position };
      const ops = byCollection.get(write.collection) ?? [];
      // matches only an older (or no) document; a newer one makes the upsert collide on _id: a replay, skipped
      ops.push({ replaceOne: { filter: { _id: write.id, _pos: { $lt: write.position } }, replacement: replacement as Stored, upsert: true } });
      byCollection.set(write.collection, ops);
    }
    for (const [collection, ops] of byCollection) await ignoreReplays(() => this.col(collection).bulkWrite(ops, { ordered: false }));
    const checkpoints = this.db.collection<{ _id: string; position: number; updatedAt: string }>(CHECKPOINTS);
    await ignoreReplays(() =>
      checkpoints.updateOne({ _id: projection, position: { $lt: checkpoint } }, { $set: { position: checkpoint, updatedAt: new Date().toISOString() } }, { upsert: true }),
    );
  }

  async getCheckpoint(projection: string): Promise<number | null> {
    const found = await this.db.collection<{ _id: string; position: number }>(CHECKPOINTS).findOne({ _id: projection });
    return found ? found.position : null;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    const rows = await this.db.collection<{ _id: string; position: number; updatedAt: string }>(CHECKPOINTS).find().sort({ _id: 1 }).toArray();
    return rows.map((r) => ({ projection: r._id, position: r.position, updatedAt: r.updatedAt }));
  }

  async deleteCheckpoint(projection: string): Promise<void> {
    await this.db.collection<{ _id: string }>(CHECKPOINTS).deleteOne({ _id: projection });
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Runs a guarded write; duplicate-key errors mean "a newer version is stored" and are dropped. */
async function ignoreReplays(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof MongoBulkWriteError) {
      const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      if (errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY) && !error.err) return;
    } else if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) {
      return;
    }
    throw error;
  }
}

function toDoc(stored: Document): Doc {
  const { _id, _pos, _deleted, ...fields } = stored;
  return { id: String(_id), ...fields };
}

/** The port's filter as a MongoDB query (tombstones excluded). */
export function toMongoFilter(filter: Filter): Document {
  const query: Document = { _deleted: { $ne: true } };
  for (const [field, condition] of Object.entries(filter)) query[field === 'id' ? '_id' : field] = toCondition(condition);
  return query;
}

function toCondition(condition: FieldCondition): unknown {
  if (condition === null || typeof condition !== 'object') return condition;
  if ('$in' in condition) return { $in: condition.$in };
  if ('$prefix' in condition) return { $regex: `^${condition.$prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` };
  const out: Document = {};
  for (const key of ['$gt', '$gte', '$lt', '$lte'] as const) if (condition[key] !== undefined) out[key] = condition[key];
  return out;
}

/** (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...: the page after the cursor, per key direction. */
export function keysetCondition(sort: Array<[string, SortDirection]>, values: Scalar[]): Document {
  const key = (field: string): string => (field === 'id' ? '_id' : field);
  return {
    $or: sort.map(([field, direction], i) => {
      const clause: Document = {};
      for (let j = 0; j < i; j++) clause[key(sort[j]![0])] = values[j];
      clause[key(field)] = { [direction === 'asc' ? '$gt' : '$lt']: values[i] };
      return clause;
    }),
  };
}
