import type { EventRegistry } from '../events/event-registry.js';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port.js';
import { subscribeToAll } from '../event-store/subscription.js';
import type { Logger } from '../logging/json-logger.js';
import type { ReadStore } from '../read-store/read-store.port.js';
import { type DocCache, applyEvents, cacheKey, touchedKeys } from './apply-events.js';
import { PositionWaiters } from './position-waiters.js';
import { type BatchLoad, type ProjectionDefinition, checkpointKey, ensureCollections, physicalCollection } from './projection-definition.js';

export interface ProjectionStatus {
  name: string;
  version: number;
  state: 'starting' | 'running' | 'failed' | 'stopped';
  /** global position of the last event this projection has processed */
  position: number;
  lastProcessedAt: string | null;
  /** recordedAt of the newest event processed: now minus this is the time lag */
  lastEventRecordedAt: string | null;
  error: string | null;
}

const BATCH_SIZE = 2000;
const RETRY_MS = 1000;

/**
 * Runs one projection: subscribes to the log from its checkpoint, applies batches with the
 * pure reducers and writes documents plus checkpoint together. Driven only by the durable
 * log (never by in-process events), so what it shows has been committed.
 */
export class ProjectionRunner {
  private status: ProjectionStatus;
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private readonly waiters = new PositionWaiters();
  private hold: { position: number; release: Promise<void>; open: () => void } | null = null;
  /** the batch being applied by the live loop, if any (a read held at a position waits for it) */
  private inFlight: Promise<void> | null = null;

  constructor(
    readonly definition: ProjectionDefinition,
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly registry: EventRegistry,
    private readonly logger: Logger,
    /** told after every batch and state change (the worker host forwards it to the main thread) */
    private readonly onStatus: (status: ProjectionStatus) => void = () => {},
  ) {
    this.status = {
      name: definition.name,
      version: definition.version,
      state: 'stopped',
      position: 0,
      lastProcessedAt: null,
      lastEventRecordedAt: null,
      error: null,
    };
  }

  get position(): number {
    return this.status.position;
  }

  snapshot(): ProjectionStatus {
    return { ...this.status };
  }

  async prepare(): Promise<void> {
    await ensureCollections(this.reads, this.definition);
    this.status.position = (await this.reads.getCheckpoint(checkpointKey(this.definition))) ?? 0;
  }

  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.status.state = 'starting';
    this.loop = this.run(this.controller.signal);
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    this.hold?.open();
    await this.loop;
    this.loop = null;
    this.status.state = 'stopped';
    this.waiters.releaseAll(this.status.position);
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.prepare();
        this.status.state = 'running';
        this.status.error = null;
        this.onStatus(this.snapshot());
        for await (const batch of subscribeToAll(this.events, { after: this.status.position, batchSize: BATCH_SIZE, signal, types: this.definition.handles })) {
          await this.processHeld(batch, signal);
          if (signal.aborted) break;
        }
      } catch (error) {
        if (signal.aborted) break;
        this.status.state = 'failed';
        this.status.error = error instanceof Error ? error.message : String(error);
        this.logger.error('projection failed; retrying from its checkpoint', { projection: this.definition.name, error });
        this.onStatus(this.snapshot());
        await sleep(RETRY_MS, signal);
      }
    }
  }

  /** A batch, cut at the position a reader holds the projection at (readAt), waiting there until it is done. */
  private async processHeld(batch: RecordedEvent[], signal: AbortSignal): Promise<void> {
    let rest = batch;
    while (rest.length > 0 && !signal.aborted) {
      const hold = this.hold;
      const cut = hold && hold.position >= this.status.position ? rest.findIndex((e) => e.position > hold.position) : -1;
      const applying = this.processBatch(cut === -1 ? rest : rest.slice(0, cut));
      this.inFlight = applying;
      try {
        await applying;
      } finally {
        this.inFlight = null;
      }
      rest = cut === -1 ? [] : rest.slice(cut);
      if (cut !== -1 && hold) {
        // the events up to the held position were of other types: the checkpoint stands there all the same
        if (this.status.position < hold.position) {
          this.status.position = hold.position;
          this.waiters.reached(hold.position);
        }
        await hold.release;
      }
    }
  }

  /** Applies one batch read from the log and moves the checkpoint to its last event. */
  async processBatch(batch: RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    // only handled events are upcast (others may be skeletons without data)
    const handled = new Set(this.definition.handles);
    const events = batch.filter((e) => handled.has(e.type)).map((e) => this.registry.upcast(e));
    const writes = this.definition.applyBatch ? await this.batchWrites(events) : await this.documentWrites(events);
    const last = batch[batch.length - 1]!;
    await this.reads.applyBatch(checkpointKey(this.definition), writes, last.position);
    this.status.position = last.position;
    this.status.lastProcessedAt = new Date().toISOString();
    this.status.lastEventRecordedAt = last.recordedAt;
    this.waiters.reached(last.position);
    this.onStatus(this.snapshot());
  }

  private async documentWrites(events: RecordedEvent[]) {
    const cache: DocCache = new Map();
    for (const [collection, ids] of touchedKeys(this.definition, events)) {
      const states = await this.reads.getStates(collection, [...ids]);
      for (const [id, state] of states) cache.set(cacheKey(collection, id), state);
    }
    return applyEvents(this.definition, events, cache);
  }

  private async batchWrites(events: RecordedEvent[]) {
    if (events.length === 0) return [];
    const load: BatchLoad = async (collection, ids) => (ids.length === 0 ? new Map() : this.reads.getStates(physicalCollection(this.definition, collection), [...ids]));
    const writes = await this.definition.applyBatch!(events, load);
    return writes.map((w) => ({ ...w, collection: physicalCollection(this.definition, w.collection) }));
  }

  /**
   * Runs `read` while the projection stands exactly at log position `position` (its batches are
   * cut there, and it waits until `read` is done): the month-end snapshot reads the counters of its
   * cut-off this way. Null when the projection is already past the position, another read holds
   * it, or it does not get there within the timeout. Only for a runner on this thread.
   */
  async readAt<T>(position: number, read: () => Promise<T>, timeoutMs: number): Promise<T | null> {
    if (this.status.position > position || this.hold) return null;
    let open!: () => void;
    const release = new Promise<void>((resolve) => (open = resolve));
    this.hold = { position, release, open };
    try {
      if (!(await this.waitFor(position, timeoutMs))) return null;
      // a batch that started before the hold was set may still be writing past the position
      while (this.inFlight) await this.inFlight.catch(() => undefined);
      if (this.status.position !== position) return null;
      return await read();
    } finally {
      this.hold = null;
      open();
    }
  }

  /** Resolves true once the projection has processed `position`, false after the timeout. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(this.status.position, position, timeoutMs);
  }

  /**
   * Drops this version's documents and checkpoint, then replays the whole log into fresh
   * collections. Used by the rebuild CLI while the service is stopped.
   */
  async rebuild(onProgress?: (position: number, head: number) => void): Promise<{ events: number; position: number }> {
    for (const name of Object.keys(this.definition.collections)) {
      await this.reads.dropCollection(physicalCollection(this.definition, name));
    }
    await this.reads.deleteCheckpoint(checkpointKey(this.definition));
    // the documents first, their indexes once at the end: one sorted build per index instead of an
    // insert at a random place of every index for every write (the replay reads documents by id only)
    for (const [name, { personal }] of Object.entries(this.definition.collections)) {
      // personal fields are sealed (and hashed) from the first write on (ADR 23)
      await this.reads.ensureCollection(physicalCollection(this.definition, name), { indexes: [], ...(personal ? { personal } : {}) });
    }
    this.status.position = 0;
    const head = await this.events.headPosition();
    let count = 0;
    let after = 0;
    for (;;) {
      // events of other types arrive as skeletons (not decoded), as in the live subscription
      const batch = await this.events.readAll({ after, maxCount: BATCH_SIZE * 5, types: this.definition.handles });
      if (batch.length === 0) break;
      await this.processBatch(batch);
      count += batch.length;
      after = batch[batch.length - 1]!.position;
      onProgress?.(after, head);
      if (after >= head) break;
    }
    await ensureCollections(this.reads, this.definition);
    return { events: count, position: after };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
