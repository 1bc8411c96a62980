import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
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
  compoundIndexes,
  decodeCursor,
  encodeCursor,
  normaliseSort,
  pageLimit,
  sortValues,
} from './read-store.port.js';


interface Collection {
  table: string;
  indexes: string[];
  upsert: Statement;
  tombstone: Statement;
}

/**
 * The embedded default read store: documents as JSON in SQLite, one table per collection.
 * Each indexed field is a generated column over the JSON with its own index, so filters and
 * sorts use real indexes. A batch of documents and the projection's checkpoint commit in one
 * transaction. synchronous=NORMAL: a crash may lose the newest batches, never half a batch;
 * the projection then replays from its checkpoint (read models are derived data).
 * Writes begin IMMEDIATE: the projection worker and the main thread write the same file, and a
 * deferred transaction that read first could not take the write lock once the other had
 * committed (SQLITE_BUSY at once, no busy wait); IMMEDIATE waits its turn (busy_timeout).
 * Deleted documents stay as tombstones (doc NULL) so a replayed older write cannot revive them.
 * Each collection has a version in `_versions`, moved in the transaction of every batch that
 * writes it and by a drop (never back), against which cached answers are checked (`collectionVersion`).
 */
export class SqliteReadStore implements ReadStore {
  readonly kind = 'sqlite';
  private readonly db: Db;
  private readonly collections = new Map<string, Collection>();
  /** prepared queries by their SQL: preparing one costs more than running it */
  private readonly statements = new Map<string, Statement>();
  private readonly setCheckpoint: Statement;
  private readonly bumpVersion: Statement;
  private readonly readVersion: Statement;

  /**
   * `checkpointsWal: false` for a connection that mostly reads while another (the projection
   * worker) writes: SQLite runs the WAL checkpoint on whichever connection commits past the
   * limit, and copying the worker's pages back would otherwise land on request handling.
   */
  constructor(file: string, options: { checkpointsWal?: boolean } = {}) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    if (options.checkpointsWal === false) this.db.pragma('wal_autocheckpoint = 0');
    this.db.pragma('busy_timeout = 5000');
    // 64 MiB of pages instead of SQLite's 2 MiB: a document update rewrites an entry in each of the
    // collection's indexes, and with the hot index pages in the connection's own cache a batch of
    // updates reads far fewer pages back from the file (ADR 34: -25 % per update at 100 k records)
    this.db.pragma('cache_size = -65536');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _collections (name TEXT PRIMARY KEY, indexes TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL);
    `);
    // kept when a collection is dropped, so a version never repeats (a rebuild moves it on)
    this.bumpVersion = this.db.prepare('INSERT INTO _versions (name, version) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET version = version + 1');
    this.readVersion = this.db.prepare('SELECT version FROM _versions WHERE name = ?').pluck();
    this.setCheckpoint = this.db.prepare(`
      INSERT INTO _checkpoints (projection, position, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (projection) DO UPDATE SET position = MAX(position, excluded.position), updated_at = excluded.updated_at`);
    const known = this.db.prepare('SELECT name, indexes FROM _collections').all() as Array<{ name: string; indexes: string }>;
    for (const row of known) this.register(row.name, JSON.parse(row.indexes) as string[]);
  }

  async ensureCollection(name: string, definition: CollectionDefinition): Promise<void> {
    const table = tableName(name);
    for (const field of definition.indexes) columnName(field);
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT, pos INTEGER NOT NULL)`);
      const columns = new Set((this.db.prepare(`PRAGMA table_xinfo(${table})`).all() as Array<{ name: string }>).map((c) => c.name));
      const compound = compoundIndexes(definition);
      const leading = new Set(compound.map((fields) => fields[0]));
      for (const field of definition.indexes) {
        const column = columnName(field);
        if (!columns.has(column)) {
          this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} GENERATED ALWAYS AS (json_extract(doc, '$.${field}')) VIRTUAL`);
        }
        // a compound index it leads serves it as well: one index less to write per document
        if (leading.has(field)) this.db.exec(`DROP INDEX IF EXISTS ${table}_${column}`);
        else this.db.exec(`CREATE INDEX IF NOT EXISTS ${table}_${column} ON ${table} (${column})`);
      }
      for (const fields of compound) {
        const columns = fields.map(columnName);
        this.db.exec(`CREATE INDEX IF NOT EXISTS ${table}_c_${columns.join('_')} ON ${table} (${columns.join(', ')}, id)`);
      }
      const indexes = [...new Set([...(this.collections.get(name)?.indexes ?? []), ...definition.indexes])];
      this.db.prepare('INSERT OR REPLACE INTO _collections (name, indexes) VALUES (?, ?)').run(name, JSON.stringify(indexes));
      this.register(name, indexes);
    }).immediate();
  }

  /** A cached prepared statement (each SQL text is always used in the same pluck mode). Forgotten when a table changes. */
  private statement(sql: string): Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      if (this.statements.size >= STATEMENT_CACHE) this.statements.clear();
      this.statements.set(sql, (prepared = this.db.prepare(sql)));
    }
    return prepared;
  }

  private register(name: string, indexes: string[]): void {
    this.statements.clear();
    const table = tableName(name);
    this.collections.set(name, {
      table,
      indexes,
      upsert: this.db.prepare(
        `INSERT INTO ${table} (id, doc, pos) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, pos = excluded.pos WHERE excluded.pos > ${table}.pos`,
      ),
      tombstone: this.db.prepare(
        `INSERT INTO ${table} (id, doc, pos) VALUES (?, NULL, ?)
         ON CONFLICT (id) DO UPDATE SET doc = NULL, pos = excluded.pos WHERE excluded.pos > ${table}.pos`,
      ),
    });
  }

  private collection(name: string): Collection {
    const found = this.collections.get(name);
    if (!found) throw new InvalidQueryError(`collection ${name} does not exist`);
    return found;
  }

  async dropCollection(name: string): Promise<void> {
    this.statements.clear();
    this.db.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${tableName(name)}`);
      this.db.prepare('DELETE FROM _collections WHERE name = ?').run(name);
      this.bumpVersion.run(name);
    }).immediate();
    this.collections.delete(name);
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<(T & { _pos: number }) | null> {
    const { table } = this.collection(collection);
    const row = this.statement(`SELECT doc, pos FROM ${table} WHERE id = ? AND doc IS NOT NULL`).get(id) as
      | { doc: string; pos: number }
      | undefined;
    return row ? { ...(JSON.parse(row.doc) as T), _pos: row.pos } : null;
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<Map<string, T & { _pos: number }>> {
    const { table } = this.collection(collection);
    const out = new Map<string, T & { _pos: number }>();
    // chunks keep the statement under SQLite's bound-parameter limit
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this
        .statement(`SELECT id, doc, pos FROM ${table} WHERE doc IS NOT NULL AND id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as Array<{ id: string; doc: string; pos: number }>;
      for (const row of rows) out.set(row.id, { ...(JSON.parse(row.doc) as T), _pos: row.pos });
    }
    return out;
  }

  async getStates(collection: string, ids: string[]): Promise<Map<string, { doc: Doc | null; pos: number }>> {
    const { table } = this.collection(collection);
    const out = new Map<string, { doc: Doc | null; pos: number }>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this
        .statement(`SELECT id, doc, pos FROM ${table} WHERE id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as Array<{ id: string; doc: string | null; pos: number }>;
      for (const row of rows) out.set(row.id, { doc: row.doc === null ? null : (JSON.parse(row.doc) as Doc), pos: row.pos });
    }
    return out;
  }

  async find<T extends Doc = Doc>(collection: string, filter: Filter, options: FindOptions = {}): Promise<Page<T>> {
    const { table, indexes } = this.collection(collection);
    checkFilterFields(filter, indexes);
    const sort = normaliseSort(options.sort, indexes);
    const limit = pageLimit(options.limit);
    const where = whereClause(filter);
    if (options.cursor) {
      const keyset = keysetClause(sort, decodeCursor(options.cursor, sort.length));
      where.sql.push(keyset.sql);
      where.params.push(...keyset.params);
    }
    const order = sort.map(([f, d]) => `${f === 'id' ? 'id' : columnName(f)} ${d === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
    const rows = this
      .statement(`SELECT doc FROM ${table} WHERE ${where.sql.join(' AND ')} ORDER BY ${order} LIMIT ?`)
      .pluck()
      .all(...where.params, limit + 1) as string[];
    const items = rows.slice(0, limit).map((doc) => JSON.parse(doc) as T);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(sortValues(last, sort)) : null };
  }

  async count(collection: string, filter: Filter): Promise<number> {
    const { table, indexes } = this.collection(collection);
    checkFilterFields(filter, indexes);
    const where = whereClause(filter);
    return this.statement(`SELECT COUNT(*) FROM ${table} WHERE ${where.sql.join(' AND ')}`).pluck().get(...where.params) as number;
  }

  async applyBatch(projection: string, writes: DocWrite[], checkpoint: number): Promise<void> {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      const written = new Set<string>();
      for (const write of writes) {
        const col = this.collection(write.collection);
        if (write.doc === null) col.tombstone.run(write.id, write.position);
        else col.upsert.run(write.id, JSON.stringify(write.doc), write.position);
        written.add(write.collection);
      }
      // in the writes' transaction: a reader sees the documents and their version move together
      for (const name of written) this.bumpVersion.run(name);
      this.setCheckpoint.run(projection, checkpoint, now);
    }).immediate();
  }

  /** How many batches (and drops) wrote the collection: 0 before the first; the `_versions` table every connection moves. */
  async collectionVersion(collection: string): Promise<string> {
    return String((this.readVersion.get(collection) as number | undefined) ?? 0);
  }

  async getCheckpoint(projection: string): Promise<number | null> {
    const value = this.db.prepare('SELECT position FROM _checkpoints WHERE projection = ?').pluck().get(projection) as number | undefined;
    return value ?? null;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    const rows = this.db.prepare('SELECT projection, position, updated_at FROM _checkpoints ORDER BY projection').all() as Array<{
      projection: string;
      position: number;
      updated_at: string;
    }>;
    return rows.map((r) => ({ projection: r.projection, position: r.position, updatedAt: r.updated_at }));
  }

  async deleteCheckpoint(projection: string): Promise<void> {
    this.db.prepare('DELETE FROM _checkpoints WHERE projection = ?').run(projection);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,100}$/;
/** distinct query texts kept prepared (filters x sorts x id-chunk sizes in use) */
const STATEMENT_CACHE = 500;

function tableName(collection: string): string {
  if (!NAME.test(collection)) throw new InvalidQueryError(`collection name ${collection} is not allowed`);
  return `doc_${collection}`;
}

function columnName(field: string): string {
  if (!NAME.test(field)) throw new InvalidQueryError(`field name ${field} is not allowed`);
  return `f_${field}`;
}

/** better-sqlite3 binds no booleans; json_extract yields 1/0 for them. */
function bindable(value: Scalar): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function whereClause(filter: Filter): { sql: string[]; params: Array<string | number | null> } {
  const sql = ['doc IS NOT NULL'];
  const params: Array<string | number | null> = [];
  for (const [field, condition] of Object.entries(filter)) {
    const column = field === 'id' ? 'id' : columnName(field);
    appendCondition(column, condition, sql, params);
  }
  return { sql, params };
}

function appendCondition(column: string, condition: FieldCondition, sql: string[], params: Array<string | number | null>): void {
  if (condition === null) {
    sql.push(`${column} IS NULL`);
  } else if (typeof condition !== 'object') {
    sql.push(`${column} = ?`);
    params.push(bindable(condition));
  } else if ('$in' in condition) {
    if (condition.$in.length === 0) sql.push('0');
    else {
      sql.push(`${column} IN (${condition.$in.map(() => '?').join(',')})`);
      params.push(...condition.$in.map(bindable));
    }
  } else if ('$prefix' in condition) {
    // a range on the index, not LIKE: no wildcard characters, and the index is used
    sql.push(`${column} >= ? AND ${column} < ?`);
    params.push(condition.$prefix, condition.$prefix + '\u{10FFFF}');
  } else {
    const ops: Array<[keyof typeof condition, string]> = [['$gt', '>'], ['$gte', '>='], ['$lt', '<'], ['$lte', '<=']];
    for (const [key, op] of ops) {
      const value = condition[key];
      if (value !== undefined) {
        sql.push(`${column} ${op} ?`);
        params.push(bindable(value));
      }
    }
  }
}

/** (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... with > or < per key's direction. */
function keysetClause(sort: Array<[string, SortDirection]>, values: Scalar[]): { sql: string; params: Array<string | number | null> } {
  const ors: string[] = [];
  const params: Array<string | number | null> = [];
  sort.forEach(([field, direction], i) => {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) {
      parts.push(`${col(sort[j]![0])} = ?`);
      params.push(bindable(values[j]!));
    }
    parts.push(`${col(field)} ${direction === 'asc' ? '>' : '<'} ?`);
    params.push(bindable(values[i]!));
    ors.push(`(${parts.join(' AND ')})`);
  });
  return { sql: `(${ors.join(' OR ')})`, params };
}

function col(field: string): string {
  return field === 'id' ? 'id' : columnName(field);
}
