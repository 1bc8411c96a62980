// MongoDB adapter of the read-store port: all MongoDB-driver-specific code lives in this file.
// Written against the mongodb 7.x type definitions (mongodb.d.ts). No server can run here; the
// contract suite runs against one when MONGODB_URL is set (see mongodb.read-store.spec.ts).
import { type AnyBulkWriteOperation, type Collection, type Db, type Document, MongoBulkWriteError, MongoClient } from 'mongodb';
import {
  type Checkpoint,
  type CollectionDefinition,
  type Doc,
  type DocWrite,
  type Filter,
  type FindOptions,
  type Page,
  type ReadStore,
  type Scalar,
  type SortDirection,
  InvalidQueryError,
  checkFilterFields,
  compoundIndexes,
  decodeCursor,
  encodeCursor,
  normaliseSort,
  pageLimit,
  sortValues,
} from './read-store.port.js';

const DUPLICATE_KEY = 11000;
const CHECKPOINTS = '_checkpoints';
const COLLECTIONS = '_collections';
// starts with a letter: no clash with _checkpoints/_collections, no system.* or $-names
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,100}$/;
const RANGE = ['$gt', '$gte', '$lt', '$lte'] as const;

type Stored = Document & { _id: string; _pos: number; _deleted?: true };
type StoredCheckpoint = { _id: string; position: number; updatedAt: string };
type StoredCollection = { _id: string; indexes: string[] };

/**
 * Documents are stored as { _id, ...fields, _pos }, deletions as tombstones { _id, _pos, _deleted: true }
 * so that a replayed older write cannot bring a deleted document back.
 *
 * The document writes and the checkpoint are NOT one transaction here (that would need a replica set
 * and a session per batch), so every write is guarded by position: a document is replaced only where
 * the stored _pos is lower, and the checkpoint only moves forwards. A crash between the document
 * writes and the checkpoint makes the runner replay the batch, and the replay changes nothing.
 */
export class MongoReadStore implements ReadStore {
  readonly kind = 'mongodb';
  /** indexed fields per collection; filled lazily from _collections so a restarted process knows them */
  private readonly indexes = new Map<string, string[]>();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  static async connect(url: string, dbName?: string): Promise<MongoReadStore> {
    // ignoreUndefined: undefined fields are left out as in JSON (the SQLite adapter), not stored as null
    const client = new MongoClient(url, { ignoreUndefined: true });
    try {
      await client.connect();
      const store = new MongoReadStore(client, client.db(dbName ?? dbNameFromUrl(url) ?? 'preschool'));
      await store.ping();
      return store;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  private col(name: string): Collection<Stored> {
    if (!NAME.test(name)) throw new InvalidQueryError(`collection name ${name} is not allowed`);
    return this.db.collection<Stored>(name);
  }

  private async indexesOf(name: string): Promise<string[]> {
    let found = this.indexes.get(name);
    if (!found) {
      found = (await this.db.collection<StoredCollection>(COLLECTIONS).findOne({ _id: name }))?.indexes;
      if (!found) throw new InvalidQueryError(`collection ${name} does not exist`);
      this.indexes.set(name, found);
    }
    return found;
  }

  async ensureCollection(name: string, definition: CollectionDefinition): Promise<void> {
    const col = this.col(name);
    for (const field of definition.indexes) if (!NAME.test(field)) throw new InvalidQueryError(`field name ${field} is not allowed`);
    const compound = compoundIndexes(definition);
    const leading = new Set(compound.map((f) => f[0]));
    // id is _id, indexed already; a field leading a compound index is served by it
    const fields = definition.indexes.filter((f) => f !== 'id' && !leading.has(f));
    const keys = [...fields.map((f) => ({ key: { [f]: 1 } })), ...compound.map((f) => ({ key: Object.fromEntries([...f.map((x) => [x, 1]), ['_id', 1]]) }))];
    // createIndexes is a no-op for an existing identical index, so this is idempotent
    if (keys.length > 0) await col.createIndexes(keys as Parameters<typeof col.createIndexes>[0]);
    const stored = await this.db
      .collection<StoredCollection>(COLLECTIONS)
      .findOneAndUpdate({ _id: name }, { $addToSet: { indexes: { $each: definition.indexes } } }, { upsert: true, returnDocument: 'after' });
    this.indexes.set(name, stored?.indexes ?? definition.indexes);
  }

  async dropCollection(name: string): Promise<void> {
    await this.col(name).drop(); // the driver already turns "ns not found" (code 26) into `false`
    await this.db.collection<StoredCollection>(COLLECTIONS).deleteOne({ _id: name });
    this.indexes.delete(name);
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<(T & { _pos: number }) | null> {
    const found = await this.col(collection).findOne({ _id: id, _deleted: { $ne: true } });
    return found ? ({ ...toDoc(found), _pos: found._pos } as T & { _pos: number }) : null;
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<Map<string, T & { _pos: number }>> {
    const out = new Map<string, T & { _pos: number }>();
    if (ids.length === 0) return out;
    for (const found of await this.col(collection).find({ _id: { $in: ids }, _deleted: { $ne: true } }).toArray()) {
      out.set(found._id, { ...toDoc(found), _pos: found._pos } as T & { _pos: number });
    }
    return out;
  }

  async getStates(collection: string, ids: string[]): Promise<Map<string, { doc: Doc | null; pos: number }>> {
    const out = new Map<string, { doc: Doc | null; pos: number }>();
    if (ids.length === 0) return out;
    for (const found of await this.col(collection).find({ _id: { $in: ids } }).toArray()) {
      out.set(found._id, { doc: found._deleted ? null : toDoc(found), pos: found._pos });
    }
    return out;
  }

  async find<T extends Doc = Doc>(collection: string, filter: Filter, options: FindOptions = {}): Promise<Page<T>> {
    const indexes = await this.indexesOf(collection);
    checkFilterFields(filter, indexes);
    const sort = normaliseSort(options.sort, indexes);
    const limit = pageLimit(options.limit);
    const query = toMongoFilter(filter);
    const where = options.cursor ? { $and: [query, keysetCondition(sort, decodeCursor(options.cursor, sort.length))] } : query;
    const rows = await this.col(collection)
      .find(where)
      .sort(sort.map(([f, d]) => [mongoField(f), d] as const))
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
      let replacement: Omit<Stored, '_id'>;
      if (write.doc === null) replacement = { _pos: write.position, _deleted: true };
      else {
        const { id: _ignored, ...fields } = write.doc;
        replacement = { ...fields, _pos: write.position };
      }
      const ops = byCollection.get(write.collection) ?? [];
      ops.push({ replaceOne: { filter: { _id: write.id, _pos: { $lt: write.position } }, replacement, upsert: true } });
      byCollection.set(write.collection, ops);
    }
    for (const [collection, ops] of byCollection) await guardedWrite(this.col(collection), ops);
    await guardedWrite(this.db.collection<StoredCheckpoint>(CHECKPOINTS), [
      {
        updateOne: {
          filter: { _id: projection, position: { $lt: checkpoint } },
          update: { $set: { position: checkpoint, updatedAt: new Date().toISOString() } },
          upsert: true,
        },
      },
    ]);
  }

  async getCheckpoint(projection: string): Promise<number | null> {
    return (await this.db.collection<StoredCheckpoint>(CHECKPOINTS).findOne({ _id: projection }))?.position ?? null;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    const rows = await this.db.collection<StoredCheckpoint>(CHECKPOINTS).find().sort({ _id: 1 }).toArray();
    return rows.map((r) => ({ projection: r._id, position: r.position, updatedAt: r.updatedAt }));
  }

  async deleteCheckpoint(projection: string): Promise<void> {
    await this.db.collection<StoredCheckpoint>(CHECKPOINTS).deleteOne({ _id: projection });
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/**
 * Runs position-guarded upserts (filter { _id, <position older than mine> }). When the stored version
 * is as new or newer, the filter misses, the upsert's insert collides on _id and fails with E11000:
 * a replay, skipped. The same error also comes from racing a concurrent first insert of an OLDER
 * version (upserts are not atomic), so the colliding operations are retried once: by then the
 * document exists, and a second E11000 can only mean it is at least as new.
 */
async function guardedWrite<T extends Document>(col: Collection<T>, ops: AnyBulkWriteOperation<T>[], retry = true): Promise<void> {
  try {
    await col.bulkWrite(ops, { ordered: false });
  } catch (error) {
    const collided = duplicateKeyOps(error);
    if (!collided) throw error;
    if (retry) await guardedWrite(col, collided.map((i) => ops[i]!), false);
  }
}

/** Indexes of the operations that failed with E11000, or null when anything else went wrong as well. */
function duplicateKeyOps(error: unknown): number[] | null {
  if (!(error instanceof MongoBulkWriteError) || error.err || error.result.getWriteConcernError()) return null;
  const errors = [error.writeErrors].flat();
  return errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY) ? errors.map((e) => e.index) : null;
}

/** The database named in a mongodb:// or mongodb+srv:// URL's path (hosts may be a comma list, so no `new URL`). */
export function dbNameFromUrl(url: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(url)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

function toDoc(stored: Document): Doc {
  const { _id, _pos, _deleted, ...fields } = stored;
  return { id: String(_id), ...fields };
}

function mongoField(field: string): string {
  return field === 'id' ? '_id' : field;
}

/** The port's filter as a MongoDB query; tombstones are always excluded. */
export function toMongoFilter(filter: Filter): Document {
  const query: Document = { _deleted: { $ne: true } };
  for (const [field, condition] of Object.entries(filter)) {
    const key = mongoField(field);
    if (condition === null || typeof condition !== 'object') query[key] = condition;
    else if ('$in' in condition) {
      if (!Array.isArray(condition.$in)) throw new InvalidQueryError(`$in on ${field} needs an array`);
      query[key] = { $in: condition.$in };
    } else if ('$prefix' in condition) {
      if (typeof condition.$prefix !== 'string') throw new InvalidQueryError(`$prefix on ${field} needs a string`);
      // anchored, case-sensitive regex: MongoDB answers it from the index as a range
      query[key] = { $regex: `^${condition.$prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` };
    } else {
      const range: Document = {};
      for (const [op, value] of Object.entries(condition)) {
        if (!(RANGE as readonly string[]).includes(op)) throw new InvalidQueryError(`operator ${op} is not supported`);
        if (value !== undefined) range[op] = value;
      }
      if (Object.keys(range).length > 0) query[key] = range;
    }
  }
  return query;
}

/**
 * The documents after the cursor: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ..., with < for descending keys.
 * null (and a missing field, which sorts as null) comes first in MongoDB's order, and $gt/$lt never
 * match across types, so: ascending after null = "not null"; descending after v also includes nulls.
 */
export function keysetCondition(sort: Array<[string, SortDirection]>, values: Scalar[]): Document {
  // the values come from a client-held cursor: scalars only (no operator objects), a string id last
  if (values.some((v) => v !== null && typeof v === 'object') || typeof values[values.length - 1] !== 'string') {
    throw new InvalidQueryError('cursor is not valid');
  }
  const branches: Document[] = [];
  sort.forEach(([field, direction], i) => {
    const key = mongoField(field);
    const value = values[i]!;
    const branch: Document = {};
    for (let j = 0; j < i; j++) branch[mongoField(sort[j]![0])] = values[j];
    if (direction === 'asc') branch[key] = value === null ? { $ne: null } : { $gt: value };
    else if (value === null) return; // nothing sorts below null
    else if (key === '_id') branch[key] = { $lt: value };
    else branch['$or'] = [{ [key]: { $lt: value } }, { [key]: null }];
    branches.push(branch);
  });
  return { $or: branches };
}
