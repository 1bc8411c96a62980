import { Worker } from 'node:worker_threads';
import type { EventStore } from '../event-store/event-store.port.js';
import type { Logger, LogLevel } from '../logging/json-logger.js';
import { PositionWaiters } from './position-waiters.js';
import type { ProjectionStatus } from './projection-runner.js';

/** What the manager needs of a projection, wherever it runs. */
export interface ProjectionHandle {
  readonly position: number;
  snapshot(): ProjectionStatus;
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
}

/** Messages from the main thread to the projection worker. */
export type ToProjectionWorker = { type: 'appended'; head: number } | { type: 'stop' };
/** Messages from the projection worker to the main thread. */
export type FromProjectionWorker =
  | { type: 'ready'; statuses: ProjectionStatus[] }
  | { type: 'status'; status: ProjectionStatus }
  | { type: 'log'; level: LogLevel; message: string; fields?: Record<string, unknown> };

export interface ProjectionWorkerData {
  /** the service configuration: the worker opens its own connections to the same stores */
  config: unknown;
  schemaDirs: string[];
  names: string[];
}

const RESTART_MS = 1000;
const STOP_TIMEOUT_MS = 15_000;

/** A projection run by the worker, as the main thread sees it: the worker's last report. */
class RemoteProjection implements ProjectionHandle {
  private status: ProjectionStatus;
  private readonly waiters = new PositionWaiters();

  constructor(name: string, version: number) {
    this.status = { name, version, state: 'stopped', position: 0, lastProcessedAt: null, lastEventRecordedAt: null, error: null };
  }

  get position(): number {
    return this.status.position;
  }

  snapshot(): ProjectionStatus {
    return { ...this.status };
  }

  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(this.status.position, position, timeoutMs);
  }

  report(status: ProjectionStatus): void {
    this.status = status;
    this.waiters.reached(status.position);
  }

  halted(state: 'stopped' | 'failed', error: string | null): void {
    this.status = { ...this.status, state, error };
    if (state === 'stopped') this.waiters.releaseAll(this.status.position);
  }
}

/**
 * Runs projections in a worker thread, so that applying the log to read models (as much CPU as
 * the commands that wrote it, during a bulk import) uses the second core instead of delaying
 * the requests on the main thread. The worker opens its own connections to the same stores;
 * the main thread keeps a mirror of each projection's position for read-your-writes and lag,
 * and tells the worker about its appends so live projections do not wait for their poll.
 */
export class ProjectionWorkerHost {
  private readonly projections = new Map<string, RemoteProjection>();
  private worker: Worker | null = null;
  private stopping = false;
  private relay: AbortController | null = null;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly script: URL,
    private readonly data: Omit<ProjectionWorkerData, 'names'>,
    private readonly hostable: ReadonlySet<string>,
    private readonly events: EventStore,
    private readonly logger: Logger,
  ) {}

  /** Only projections the worker can import (the service's catalog) run there; test fixtures stay in-thread. */
  hosts(name: string): boolean {
    return this.hostable.has(name);
  }

  handle(name: string, version: number): ProjectionHandle {
    const projection = new RemoteProjection(name, version);
    this.projections.set(name, projection);
    return projection;
  }

  /** Resolves once the worker has opened the stores and read every checkpoint. */
  async start(): Promise<void> {
    if (this.projections.size === 0) return;
    this.stopping = false;
    await this.spawn();
    this.relayAppends();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.relay?.abort();
    const worker = this.worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'stop' } satisfies ToProjectionWorker);
      const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      this.worker = null;
    }
    for (const projection of this.projections.values()) projection.halted('stopped', null);
  }

  private spawn(): Promise<void> {
    const workerData: ProjectionWorkerData = { ...this.data, names: [...this.projections.keys()] };
    const worker = new Worker(this.script, { workerData });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromProjectionWorker) => {
        if (message.type === 'ready') {
          for (const status of message.statuses) this.projections.get(status.name)?.report(status);
          ready = true;
          resolve();
        } else if (message.type === 'status') {
          this.projections.get(message.status.name)?.report(message.status);
        } else {
          this.logger[message.level](message.message, { thread: 'projections', ...message.fields });
        }
      });
      worker.on('error', (error) => {
        this.logger.error('projection worker failed', { error });
        if (!ready) reject(error);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = null;
        if (this.stopping) return;
        // projections resume from their checkpoints in a new worker: nothing is lost or applied twice
        const error = `projection worker exited (code ${code}); restarting`;
        this.logger.error(error, {});
        for (const projection of this.projections.values()) projection.halted('failed', error);
        if (!ready) reject(new Error(error));
        this.restartTimer = setTimeout(() => void this.spawn().catch(() => undefined), RESTART_MS);
      });
    });
  }

  /** The worker's own store connection cannot see this thread's appends happen: pass the new head on. */
  private relayAppends(): void {
    if (!this.events.appendedElsewhere) return;
    this.relay = new AbortController();
    const signal = this.relay.signal;
    void (async () => {
      let sent = await this.events.headPosition();
      while (!signal.aborted) {
        await this.events.waitForAppend(sent, 60_000, signal);
        const head = await this.events.headPosition().catch(() => sent);
        if (head > sent) {
          sent = head;
          this.worker?.postMessage({ type: 'appended', head } satisfies ToProjectionWorker);
        }
      }
    })();
  }
}
