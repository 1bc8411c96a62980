import { Worker } from 'node:worker_threads';
import type { Logger } from '../logging/json-logger.js';
import {
  type Checkpoint,
  type CollectionDefinition,
  type Doc,
  type DocWrite,
  type Filter,
  type FindOptions,
  type Page,
  type ReadStore,
  InvalidQueryError,
} from './read-store.port.js';

/** The queries a reader thread answers, and the set-up it repeats after the local store. */
export type ReaderOp =
  | { op: 'find'; args: [collection: string, filter: Filter, options?: FindOptions] }
  | { op: 'count'; args: [collection: string, filter: Filter] }
  | { op: 'get'; args: [collection: string, id: string] }
  | { op: 'getMany'; args: [collection: string, ids: string[]] }
  | { op: 'ensureCollection'; args: [name: string, definition: CollectionDefinition] };

export type ToReaderThread = ({ id: number } & ReaderOp) | { id: number; op: 'close' };
/**
 * An answer crosses as JSON text: one JSON.parse of a page on the request thread costs less than
 * the structured clone's deserialisation (a page of 50 records documents: 119-128 against 146-147
 * µs). A Map (getMany) crosses as its entries.
 */
export type FromReaderThread =
  | { id: number; json: string }
  | { id: number; error: { name: string; message: string } }
  | { id: 0; ready: true };

export interface ReaderThreadData {
  /** the service configuration: the thread opens its own connection to the same read store (and key store) */
  config: unknown;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** the same answer from the local store, should the thread die before it answers */
  here(): Promise<unknown>;
}

interface Reader {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
  /** resolves once the thread has opened its stores; rejects if it exits before */
  opened: Promise<void>;
}

const RESTART_MS = 1000;
const NOTHING = (): Promise<null> => Promise.resolve(null);
const CLOSE_TIMEOUT_MS = 5000;

/**
 * Queries answered by reader threads (issue 23 item 3, ADR 33): `find`, `count`, `get` and
 * `getMany` run on one of n worker threads, each with its own connection to the same SQLite
 * read store (WAL: readers never wait for the projection worker's writes, nor for each other)
 * and, with encryption at rest, its own key store, so the SQL, the JSON parsing and the opening of
 * sealed values leave the request thread. Everything else (writes, checkpoints, the stored form of
 * a search value, collection versions) stays on the local store. A thread's connection sees every
 * transaction committed before the query was posted, so read-your-writes holds as before: the
 * consistency check waits for the projection's checkpoint, then posts the query.
 *
 * A query goes to the thread with the fewest in flight. A thread that dies has its queries in
 * flight answered by the local store instead (they are reads: asking again changes nothing), and
 * is replaced after a pause; while none is alive, queries run on the local store.
 */
export class ReaderThreadsReadStore implements ReadStore {
  readonly kind: string;
  private readonly readers: Reader[] = [];
  /** every collection set up so far, repeated to a thread that replaces a dead one */
  private readonly definitions = new Map<string, CollectionDefinition>();
  private nextId = 1;
  private closing = false;
  readonly storedForm?: (collection: string, field: string, value: string) => string;
  readonly collectionVersion?: (collection: string) => Promise<string | null>;

  constructor(
    private readonly local: ReadStore,
    private readonly script: URL,
    private readonly data: ReaderThreadData,
    threads: number,
    private readonly logger: Pick<Logger, 'error'>,
  ) {
    this.kind = local.kind;
    if (local.storedForm) this.storedForm = local.storedForm.bind(local);
    if (local.collectionVersion) this.collectionVersion = local.collectionVersion.bind(local);
    for (let i = 0; i < threads; i++) this.readers.push(this.spawn());
  }

  /** Resolves once every thread has opened its stores (a query posted before waits in the thread's queue anyway). */
  async ready(): Promise<void> {
    await Promise.all(this.readers.map((reader) => reader.opened));
  }

  get threads(): number {
    return this.readers.filter((r) => r.alive).length;
  }

  private spawn(): Reader {
    const worker = new Worker(this.script, { workerData: this.data });
    let opened!: () => void;
    let failed!: (error: Error) => void;
    const reader: Reader = { worker, pending: new Map(), alive: true, opened: new Promise((resolve, reject) => ((opened = resolve), (failed = reject))) };
    reader.opened.catch(() => undefined);
    worker.on('message', (message: FromReaderThread) => {
      if ('ready' in message) return opened();
      const pending = reader.pending.get(message.id);
      if (!pending) return;
      reader.pending.delete(message.id);
      if ('error' in message) pending.reject(rebuiltError(message.error));
      else pending.resolve(JSON.parse(message.json));
    });
    worker.on('error', (error) => this.logger.error('reader thread failed', { error }));
    worker.on('exit', (code) => {
      reader.alive = false;
      failed(new Error(`reader thread exited (code ${code}) before it opened the read store`));
      for (const pending of reader.pending.values()) pending.here().then(pending.resolve, pending.reject);
      reader.pending.clear();
      if (this.closing) return;
      this.logger.error('reader thread exited; starting another', { code });
      // a thread that cannot open the store would fail again at once: a pause between attempts, queries run locally meanwhile
      setTimeout(() => this.replace(reader), RESTART_MS).unref();
    });
    return reader;
  }

  private replace(dead: Reader): void {
    const index = this.readers.indexOf(dead);
    if (this.closing || index < 0) return;
    const replacement = this.spawn();
    this.readers[index] = replacement;
    for (const [name, definition] of this.definitions) void this.call(replacement, { op: 'ensureCollection', args: [name, definition] }, NOTHING).catch(() => undefined);
  }

  private call(reader: Reader, message: ReaderOp, here: () => Promise<unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      reader.pending.set(id, { resolve, reject, here });
      reader.worker.postMessage({ id, ...message } satisfies ToReaderThread);
    });
  }

  /** The live thread with the fewest queries in flight; null when none is alive. */
  private pick(): Reader | null {
    let best: Reader | null = null;
    for (const reader of this.readers) {
      if (reader.alive && (!best || reader.pending.size < best.pending.size)) best = reader;
    }
    return best;
  }

  private query<T>(message: ReaderOp, here: () => Promise<T>): Promise<T> {
    const reader = this.pick();
    return reader ? (this.call(reader, message, here) as Promise<T>) : here();
  }

  find<T extends Doc = Doc>(collection: string, filter: Filter, options?: FindOptions): Promise<Page<T>> {
    return this.query({ op: 'find', args: [collection, filter, options] }, () => this.local.find<T>(collection, filter, options));
  }

  count(collection: string, filter: Filter): Promise<number> {
    return this.query({ op: 'count', args: [collection, filter] }, () => this.local.count(collection, filter));
  }

  get<T extends Doc = Doc>(collection: string, id: string): Promise<(T & { _pos: number }) | null> {
    return this.query({ op: 'get', args: [collection, id] }, () => this.local.get<T>(collection, id));
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<Map<string, T & { _pos: number }>> {
    // the thread answers the Map's entries (JSON has no Map)
    const entries = await this.query({ op: 'getMany', args: [collection, ids] }, async () => [...(await this.local.getMany<T>(collection, ids)).entries()]);
    return new Map(entries);
  }

  /** The local store creates the collection; each thread then learns its indexes and personal fields (its own DDL finds nothing to do). */
  async ensureCollection(name: string, definition: CollectionDefinition): Promise<void> {
    await this.local.ensureCollection(name, definition);
    this.definitions.set(name, definition);
    await this.everyThread({ op: 'ensureCollection', args: [name, definition] });
  }

  /**
   * Only a rebuild drops collections, and rebuilds run offline (the CLI opens no reader threads):
   * the threads are not told, so until the collection is set up again their queries of it fail
   * as a missing table.
   */
  async dropCollection(name: string): Promise<void> {
    await this.local.dropCollection(name);
    this.definitions.delete(name);
  }

  private async everyThread(message: ReaderOp): Promise<void> {
    // the local store did it already: a thread that dies meanwhile leaves nothing to answer
    await Promise.all(this.readers.filter((r) => r.alive).map((reader) => this.call(reader, message, NOTHING)));
  }

  getStates(collection: string, ids: string[]): Promise<Map<string, { doc: Doc | null; pos: number }>> {
    return this.local.getStates(collection, ids);
  }

  applyBatch(projection: string, writes: DocWrite[], checkpoint: number): Promise<void> {
    return this.local.applyBatch(projection, writes, checkpoint);
  }

  getCheckpoint(projection: string): Promise<number | null> {
    return this.local.getCheckpoint(projection);
  }

  listCheckpoints(): Promise<Checkpoint[]> {
    return this.local.listCheckpoints();
  }

  deleteCheckpoint(projection: string): Promise<void> {
    return this.local.deleteCheckpoint(projection);
  }

  ping(): Promise<void> {
    return this.local.ping();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.readers.map(async (reader) => {
        if (!reader.alive) return;
        const exited = new Promise<void>((resolve) => reader.worker.once('exit', () => resolve()));
        reader.worker.postMessage({ id: 0, op: 'close' } satisfies ToReaderThread);
        const timer = setTimeout(() => void reader.worker.terminate(), CLOSE_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
    await this.local.close();
  }
}

/** An error crosses the thread as name and message: a refused query stays an InvalidQueryError (400), anything else a plain Error. */
function rebuiltError(error: { name: string; message: string }): Error {
  if (error.name === 'InvalidQueryError') return new InvalidQueryError(error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
