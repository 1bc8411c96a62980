import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import {
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  SKELETON_METADATA,
  type StreamAppend,
  checkAppends,
  WrongExpectedRevisionError,
} from './event-store.port.js';
import { compiledWorkerScript } from '../infrastructure/worker-script.js';
import { type FromLogWriter, SqliteLogWriter, type ToLogWriter, type WireItem, type WireOutcome, toWire } from './sqlite-log-writer.js';

/** One append of the queue: one stream, or several that are written together or not at all. */
interface PendingAppend {
  item: WireItem;
  resolve: (r: AppendResult[]) => void;
  reject: (e: unknown) => void;
}

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

export interface SqliteEventStoreOptions {
  /**
   * Where groups are written: `worker` (the default when the worker script is built) commits
   * on the store's own writer thread, so the fsync does not hold up the requests' thread (ADR
   * 31); `inline` writes on the caller's thread (TypeScript sources without a build).
   */
  writer?: 'worker' | 'inline';
}

const WRITER_SCRIPT = (): URL | null => compiledWorkerScript(import.meta.url, './sqlite-log-writer.worker.js');

/**
 * The embedded default event store: one SQLite file in WAL mode with synchronous=FULL, so
 * an acknowledged append has been fsynced. Appends are queued and written by group commit:
 * every append that arrives while the previous group is being written joins the next
 * transaction, so many concurrent commands share one fsync. Each append is checked against
 * its expected revision inside that transaction; a failing one is rejected alone and the
 * others still commit. An appendMany is one item of the group, written inside a savepoint:
 * all its streams or none. Groups are written by a writer thread (ADR 31), one at a time;
 * reads go through a connection of this thread, which sees only committed events.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';
  readonly atomicMultiStream = true;
  /** every read: sees committed events only, also while a group is being written */
  private readonly reader: Db;
  private readonly selectStream: Statement;
  private readonly selectAll: Statement;
  private readonly selectHead: Statement;
  /** readAll statements that decode only some types, by their type list */
  private readonly selectTyped = new Map<string, Statement>();
  /** the writer thread's script; null: groups are written inline */
  private readonly script: URL | null;
  private inline: SqliteLogWriter | null = null;
  private worker: Worker | null = null;
  /** the group being written, answered by the writer thread */
  private sent: { id: number; batch: PendingAppend[]; done: () => void } | null = null;
  private nextId = 1;
  /** the writer thread stopped: no append can be stored any more */
  private broken: Error | null = null;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** a group being written (by the writer thread, or over several turns inline) */
  private writing: Promise<void> | null = null;
  private waiters = new Set<Waiter>();
  private head: number;
  private closed = false;
  /** appends per commit of the last flushes: read by the benchmark */
  lastGroupSize = 0;

  constructor(private readonly file: string, options: SqliteEventStoreOptions = {}) {
    // the schema (and the chain's migration) before anyone reads; the writer opens its own connection
    SqliteLogWriter.open(file).close();
    this.script = options.writer === 'inline' ? null : WRITER_SCRIPT();
    if (options.writer === 'worker' && !this.script) throw new Error('the event store writer thread needs its built script (npm run build)');
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
    if (this.broken) return Promise.reject(this.broken);
    let item: WireItem;
    try {
      item = toWire(appends);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Sends the queued group to be written, unless one is being written: then it waits for that. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.writing) return;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const recordedAt = new Date().toISOString();
    this.writing = (this.script ? this.writeInWorker(this.script, batch, recordedAt) : this.writeInline(batch, recordedAt)).finally(() => {
      this.writing = null;
      if (this.queue.length > 0) this.schedule();
    });
  }

  private writeInWorker(script: URL, batch: PendingAppend[], recordedAt: string): Promise<void> {
    const worker = this.writerThread(script);
    if (this.broken) {
      this.fail(batch, this.broken);
      return Promise.resolve();
    }
    return new Promise<void>((done) => {
      const id = this.nextId++;
      this.sent = { id, batch, done };
      // the thread keeps the process alive only while a group is being written
      worker.ref();
      worker.postMessage({ type: 'write', id, items: batch.map((b) => b.item), recordedAt } satisfies ToLogWriter);
    });
  }

  private writerThread(script: URL): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(script, { workerData: { file: this.file } });
    worker.unref();
    worker.on('message', (message: FromLogWriter) => this.answered(message));
    const stopped = (error: Error): void => {
      if (this.broken) return;
      this.broken = error;
      const sent = this.sent;
      this.sent = null;
      if (sent) {
        this.fail(sent.batch, error);
        sent.done();
      }
      this.fail(this.queue.splice(0), error);
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => {
      if (!this.closed) stopped(new Error(`the event store's writer thread stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private answered(message: FromLogWriter): void {
    const sent = this.sent;
    if (!sent || sent.id !== message.id) return;
    this.sent = null;
    this.worker?.unref();
    if ('error' in message) this.fail(sent.batch, Object.assign(new Error(message.error.message), message.error));
    else this.settle(sent.batch, message.outcomes);
    sent.done();
  }

  /**
   * Without the writer thread: a small group (the usual case) is written and committed in this
   * turn of the event loop; a big one (an import's appendMany) in slices over several turns, so
   * requests are still served meanwhile. Readers see none of it before the commit.
   */
  private async writeInline(batch: PendingAppend[], recordedAt: string): Promise<void> {
    const writer = (this.inline ??= new SqliteLogWriter(this.file));
    try {
      writer.begin();
      const steps = writer.writeGroup(batch.map((b) => b.item), recordedAt);
      let step = steps.next();
      while (!step.done) {
        await new Promise((resolve) => setImmediate(resolve));
        step = steps.next();
      }
      writer.commit();
      this.settle(batch, step.value);
    } catch (error) {
      writer.rollBack();
      this.fail(batch, error);
    }
  }

  private settle(batch: readonly PendingAppend[], outcomes: readonly WireOutcome[]): void {
    this.lastGroupSize = batch.length;
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if ('wrong' in outcome) return item.reject(new WrongExpectedRevisionError(outcome.wrong.streamId, outcome.wrong.expected, outcome.wrong.actual));
      for (const result of outcome.ok) this.head = Math.max(this.head, result.position);
      item.resolve(outcome.ok);
    });
    this.wakeWaiters();
  }

  /** Nothing of this group is stored. */
  private fail(batch: readonly PendingAppend[], error: unknown): void {
    for (const item of batch) item.reject(error);
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
    // readiness: a store that can no longer write is not ready, however well it reads
    if (this.broken) throw this.broken;
    this.reader.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // commit what was already accepted into the queue (a group being written first)
    while (this.writing || this.queue.length > 0) {
      if (this.writing) await this.writing;
      else this.flush();
    }
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.wake();
    if (this.worker && !this.broken) {
      const worker = this.worker;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.ref(); // so the caller's code after close() still runs
      worker.postMessage({ type: 'close' } satisfies ToLogWriter);
      await exited;
    }
    this.inline?.close();
    this.reader.close();
  }
}

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
