import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  SKELETON_METADATA,
  type StreamAppend,
  checkAppends,
  WrongExpectedRevisionError,
  revisionMatches,
} from './event-store.port.js';
import { CHAIN_START, type ChainedRow, chainLink } from './event-chain.js';

/** One append of the queue: one stream, or several that are written together or not at all. */
interface PendingAppend {
  appends: readonly StreamAppend[];
  resolve: (r: AppendResult[]) => void;
  reject: (e: unknown) => void;
}

type Outcome = AppendResult[] | WrongExpectedRevisionError;

/** streams written per turn of the event loop in a big group (some tens of ms of work) */
const SLICE = 1000;

interface Waiter {
  after: number;
  wake: () => void;
}

interface EventRow {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  /** null in a typed read for a type the reader will not look at */
  data: string | null;
  metadata: string | null;
  recorded_at: string;
}

/**
 * The embedded default event store: one SQLite file in WAL mode with synchronous=FULL, so
 * an acknowledged append has been fsynced. Appends are queued and written by group commit:
 * every append that arrives while the event loop is busy joins the next transaction, so many
 * concurrent commands share one fsync. Each append is checked against its expected revision
 * inside that transaction; a failing one is rejected alone and the others still commit. An
 * appendMany is one item of the group, written inside a savepoint: all its streams or none.
 * Reads go through a second connection, which sees only committed events.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';
  readonly atomicMultiStream = true;
  /** the writing connection: appends only */
  private readonly db: Db;
  /** every read: sees committed events only, also while a big group is being written */
  private readonly reader: Db;
  private readonly insert: Statement;
  private readonly selectTail: Statement;
  /** the last position and chain link while a group is written (ADR 23: tamper evidence) */
  private tail = { position: 0, chain: CHAIN_START };
  private readonly lastRevision: Statement;
  private readonly selectStream: Statement;
  private readonly selectAll: Statement;
  private readonly selectHead: Statement;
  /** readAll statements that decode only some types, by their type list */
  private readonly selectTyped = new Map<string, Statement>();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** a big group being written over several turns (see flush) */
  private writing: Promise<void> | null = null;
  private waiters = new Set<Waiter>();
  private head: number;
  private closed = false;
  /** appends per commit of the last flushes: read by the benchmark */
  lastGroupSize = 0;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    // a big import grows the WAL past its usual size; once checkpointed, give the space back
    this.db.pragma('journal_size_limit = 67108864');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        position    INTEGER PRIMARY KEY,
        stream_id   TEXT    NOT NULL,
        revision    INTEGER NOT NULL,
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL,
        metadata    TEXT    NOT NULL,
        recorded_at TEXT    NOT NULL,
        chain       TEXT
      );
      CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, revision);
    `);
    this.chainExisting();
    this.insert = this.db.prepare(
      'INSERT INTO events (position, stream_id, revision, type, data, metadata, recorded_at, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectTail = this.db.prepare('SELECT position, chain FROM events ORDER BY position DESC LIMIT 1');
    this.lastRevision = this.db.prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').pluck();
    this.reader = new Database(file);
    this.reader.pragma('busy_timeout = 5000');
    this.selectStream = this.reader.prepare(
      'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.selectAll = this.reader.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
    this.selectHead = this.reader.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck();
    this.head = this.selectHead.get() as number;
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    return this.enqueue([{ streamId, events, expected }]).then(([result]) => result!);
  }

  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    try {
      checkAppends(appends);
    } catch (error) {
      return Promise.reject(error);
    }
    return appends.length === 0 ? Promise.resolve([]) : this.enqueue(appends);
  }

  private enqueue(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new Error('event store is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ appends, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Writes the queued group in one transaction. A small group (the usual case) is written and
   * committed in this turn of the event loop; a big one (an import's appendMany) in slices over
   * several turns, so requests are still served meanwhile. Readers use their own connection and
   * see none of it before the commit; appends arriving meanwhile wait for the next group.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.writing) return;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const steps = this.writeGroup(batch, new Date().toISOString());
    let step: IteratorResult<void, Outcome[]>;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      // read inside the write lock: whoever wrote last (another process too), the chain goes on from there
      const last = this.selectTail.get() as { position: number; chain: string } | undefined;
      this.tail = last ? { position: last.position, chain: last.chain } : { position: 0, chain: CHAIN_START };
      step = steps.next();
    } catch (error) {
      return this.rollBack(batch, error);
    }
    if (step.done) return this.commit(batch, step.value);
    this.writing = (async () => {
      try {
        while (!step.done) {
          await new Promise((resolve) => setImmediate(resolve));
          step = steps.next();
        }
        this.commit(batch, step.value);
      } catch (error) {
        this.rollBack(batch, error);
      }
    })().finally(() => {
      this.writing = null;
      if (this.queue.length > 0) this.schedule();
    });
  }

  /**
   * The group's appends in the open transaction, pausing after every SLICE streams. An append
   * of several streams runs in a savepoint: a revision that does not match undoes it alone.
   * Any other failure throws, and the caller rolls the whole group back.
   */
  private *writeGroup(batch: readonly PendingAppend[], recordedAt: string): Generator<void, Outcome[]> {
    const outcomes: Outcome[] = [];
    let sinceSlice = 0;
    for (const item of batch) {
      const several = item.appends.length > 1;
      const tailBefore = this.tail;
      if (several) this.db.exec('SAVEPOINT append_many');
      let outcome: AppendResult[] | WrongExpectedRevisionError = [];
      for (const append of item.appends) {
        const result = this.write(append, recordedAt);
        if (result instanceof WrongExpectedRevisionError) {
          outcome = result;
          break;
        }
        outcome.push(result);
        if (++sinceSlice >= SLICE) {
          sinceSlice = 0;
          yield;
        }
      }
      if (several) {
        if (outcome instanceof WrongExpectedRevisionError) {
          this.db.exec('ROLLBACK TO append_many');
          this.tail = tailBefore;
        }
        this.db.exec('RELEASE append_many');
      }
      outcomes.push(outcome);
    }
    return outcomes;
  }

  private commit(batch: readonly PendingAppend[], outcomes: Outcome[]): void {
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      return this.rollBack(batch, error);
    }
    this.lastGroupSize = batch.length;
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome instanceof WrongExpectedRevisionError) return item.reject(outcome);
      for (const result of outcome) this.head = Math.max(this.head, result.position);
      item.resolve(outcome);
    });
    this.wakeWaiters();
  }

  /** Nothing of this group is stored. */
  private rollBack(batch: readonly PendingAppend[], error: unknown): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // SQLite rolled back itself (an I/O error); the appends fail with the error that caused it
    }
    for (const item of batch) item.reject(error);
  }

  /** One stream's events at the next revisions; a revision that does not match writes nothing. */
  private write(item: StreamAppend, recordedAt: string): AppendResult | WrongExpectedRevisionError {
    // a new stream needs no lookup: the unique (stream, revision) index refuses revision 0 twice
    const current = item.expected === 'no_stream' ? -1 : ((this.lastRevision.get(item.streamId) as number | undefined) ?? -1);
    if (!revisionMatches(item.expected, current)) return new WrongExpectedRevisionError(item.streamId, item.expected, current);
    let revision = current;
    let position = 0;
    for (const event of item.events) {
      revision++;
      const row = { position: this.tail.position + 1, stream_id: item.streamId, revision, type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata), recorded_at: recordedAt };
      const chain = chainLink(this.tail.chain, row);
      try {
        this.insert.run(row.position, row.stream_id, row.revision, row.type, row.data, row.metadata, row.recorded_at, chain);
      } catch (error) {
        if (item.expected !== 'no_stream' || revision !== 0 || (error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
        return new WrongExpectedRevisionError(item.streamId, item.expected, this.lastRevision.get(item.streamId) as number);
      }
      this.tail = { position: row.position, chain };
      position = row.position;
    }
    return { revision, position };
  }

  /**
   * Migration of a log written before the chain (ADR 23): adds the column and links every event
   * without a link, in log order, once. Only the last event is looked at on a chained log.
   */
  private chainExisting(): void {
    const columns = (this.db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string }>).map((c) => c.name);
    if (!columns.includes('chain')) this.db.exec('ALTER TABLE events ADD COLUMN chain TEXT');
    const last = this.db.prepare('SELECT chain FROM events ORDER BY position DESC LIMIT 1').get() as { chain: string | null } | undefined;
    if (!last || last.chain !== null) return;
    const update = this.db.prepare('UPDATE events SET chain = ? WHERE position = ?');
    this.db.transaction(() => {
      let previous = CHAIN_START;
      const rows = this.db.prepare('SELECT position, stream_id, revision, type, data, metadata, recorded_at, chain FROM events ORDER BY position').all() as Array<ChainedRowWithLink>;
      for (const row of rows) {
        const link = row.chain ?? chainLink(previous, row);
        if (row.chain === null) update.run(link, row.position);
        previous = link;
      }
    }).immediate();
  }

  appendedElsewhere(head: number): void {
    if (head <= this.head) return;
    this.head = head;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    for (const waiter of this.waiters) {
      if (waiter.after < this.head) waiter.wake();
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = this.selectStream.all(streamId, options.fromRevision ?? 0, options.maxCount ?? -1) as EventRow[];
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    if (!options.types) return (this.selectAll.all(options.after, options.maxCount) as EventRow[]).map(toRecorded);
    // other types come back without their JSON: neither read from the page nor parsed
    const rows = this.typedStatement(options.types).all(options.after, options.maxCount) as EventRow[];
    return rows.map((row) => (row.data === null ? toSkeleton(row) : toRecorded(row)));
  }

  private typedStatement(types: readonly string[]): Statement {
    const key = [...types].sort().join(',');
    let statement = this.selectTyped.get(key);
    if (!statement) {
      const list = types.map((t) => `'${t.replaceAll("'", "''")}'`).join(',') || "''";
      statement = this.reader.prepare(
        `SELECT position, stream_id, revision, type, recorded_at,
                CASE WHEN type IN (${list}) THEN data END AS data, CASE WHEN type IN (${list}) THEN metadata END AS metadata
         FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      );
      this.selectTyped.set(key, statement);
    }
    return statement;
  }

  async headPosition(): Promise<number> {
    // another process (a rebuild CLI, a second instance) may have written: ask the file
    this.head = Math.max(this.head, this.selectHead.get() as number);
    return this.head;
  }

  waitForAppend(after: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (after < this.head || signal?.aborted || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(waiter);
        resolve();
      };
      const waiter: Waiter = { after, wake: done };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(waiter);
    });
  }

  async ping(): Promise<void> {
    this.reader.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // commit what was already accepted into the queue (a big group being written first)
    while (this.writing || this.queue.length > 0) {
      if (this.writing) await this.writing;
      else this.flush();
    }
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.wake();
    this.db.close();
    this.reader.close();
  }
}

type ChainedRowWithLink = ChainedRow & { chain: string | null };

function toSkeleton(row: EventRow): RecordedEvent {
  return { streamId: row.stream_id, revision: row.revision, position: row.position, type: row.type, data: {}, metadata: SKELETON_METADATA, recordedAt: row.recorded_at };
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data!) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata!) as RecordedEvent['metadata'],
    recordedAt: row.recorded_at,
  };
}
