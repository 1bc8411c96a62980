import type { EventRegistry } from '../events/event-registry.js';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port.js';
import { subscribeToAll } from '../event-store/subscription.js';
import type { Logger } from '../logging/json-logger.js';
import type { ReadStore } from '../read-store/read-store.port.js';
import { type DocCache, applyEvents, cacheKey, touchedKeys } from './apply-events.js';
import { PositionWaiters } from './position-waiters.js';
import { type ProjectionDefinition, checkpointKey, ensureCollections, physicalCollection } from './projection-definition.js';

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
          await this.processBatch(batch);
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

  /** Applies one batch read from the log and moves the checkpoint to its last event. */
  async processBatch(batch: RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    // only handled events are upcast (others may be skeletons without data)
    const handled = new Set(this.definition.handles);
    const events = batch.filter((e) => handled.has(e.type)).map((e) => this.registry.upcast(e));
    const cache: DocCache = new Map();
    for (const [collection, ids] of touchedKeys(this.definition, events)) {
      const states = await this.reads.getStates(collection, [...ids]);
      for (const [id, state] of states) cache.set(cacheKey(collection, id), state);
    }
    const writes = applyEvents(this.definition, events, cache);
    const last = batch[batch.length - 1]!;
    await this.reads.applyBatch(checkpointKey(this.definition), writes, last.position);
    this.status.position = last.position;
    this.status.lastProcessedAt = new Date().toISOString();
    this.status.lastEventRecordedAt = last.recordedAt;
    this.waiters.reached(last.position);
    this.onStatus(this.snapshot());
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
