import type { EventRegistry } from '../events/event-registry.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { Logger } from '../logging/json-logger.js';
import type { ReadStore } from '../read-store/read-store.port.js';
import { type ProjectionDefinition, ensureCollections } from './projection-definition.js';
import { type ProjectionStatus, ProjectionRunner } from './projection-runner.js';
import type { ProjectionHandle, ProjectionWorkerHost } from './projection-worker-host.js';
import { type ReactorDefinition, ReactorRunner } from './reactor.js';

export interface ProjectionLag extends ProjectionStatus {
  head: number;
  /** head minus position: events on the embedded store, log bytes on EventStoreDB */
  behind: number;
  /** age of the newest event processed when behind, 0 when caught up */
  lagMs: number;
  /** where it runs: the projection worker thread or the main thread (ADR 8) */
  thread: 'worker' | 'main';
}

/**
 * All projections and process managers of the service: start, stop, wait for a position, report
 * lag. With a worker host, the service's projections run in a worker thread (ADR 8); process
 * managers always run here, since they send commands through this thread's command path.
 */
export class ProjectionManager {
  private readonly runners = new Map<string, ProjectionHandle>();
  private readonly local = new Map<string, ProjectionRunner>();
  private readonly hosted: ProjectionDefinition[] = [];
  private readonly reactors = new Map<string, ReactorRunner>();

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly registry: EventRegistry,
    private readonly logger: Logger,
    private readonly worker: ProjectionWorkerHost | null = null,
  ) {}

  register(definitions: readonly ProjectionDefinition[]): void {
    for (const def of definitions) {
      if (this.runners.has(def.name)) throw new Error(`projection ${def.name} is registered twice`);
      if (this.worker?.hosts(def.name)) {
        this.runners.set(def.name, this.worker.handle(def.name, def.version));
        this.hosted.push(def);
        continue;
      }
      const runner = new ProjectionRunner(def, this.events, this.reads, this.registry, this.logger);
      this.local.set(def.name, runner);
      this.runners.set(def.name, runner);
    }
  }

  /** Where the projections run, for the start-up log. */
  get thread(): 'worker' | 'main' {
    return this.worker && this.local.size < this.runners.size ? 'worker' : 'main';
  }

  /** Process managers start after the projections and stop before them. */
  registerReactors(definitions: readonly ReactorDefinition[]): void {
    for (const def of definitions) {
      if (this.reactors.has(def.name)) throw new Error(`reactor ${def.name} is registered twice`);
      this.reactors.set(def.name, new ReactorRunner(def, this.events, this.reads, this.registry, this.logger));
    }
  }

  reactor(name: string): ReactorRunner {
    const reactor = this.reactors.get(name);
    if (!reactor) throw new Error(`unknown reactor ${name}`);
    return reactor;
  }

  names(): string[] {
    return [...this.runners.keys()];
  }

  runner(name: string): ProjectionHandle {
    const runner = this.runners.get(name);
    if (!runner) throw new Error(`unknown projection ${name}`);
    return runner;
  }

  async start(): Promise<void> {
    for (const runner of this.local.values()) await runner.prepare();
    // queries on this thread read what the worker writes: its collections (and indexes) must be known here too
    for (const def of this.hosted) await ensureCollections(this.reads, def);
    await this.worker?.start();
    for (const runner of this.local.values()) runner.start();
    for (const reactor of this.reactors.values()) reactor.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.reactors.values()].map((r) => r.stop()));
    await Promise.all([...this.local.values()].map((r) => r.stop()));
    await this.worker?.stop();
  }

  /** How far each process manager is behind the log (log positions). */
  async reactorLag(): Promise<Array<{ name: string; position: number; behind: number; error: string | null }>> {
    const head = await this.events.headPosition();
    return [...this.reactors.values()].map((r) => ({ name: r.definition.name, position: r.processed, behind: Math.max(0, head - r.processed), error: r.error }));
  }

  /**
   * Runs `read` with the named projection held exactly at `position` (ProjectionRunner.readAt);
   * null when it is past it or does not get there in time. The projection must run on this thread
   * (`mainThread` in its definition).
   */
  readAt<T>(name: string, position: number, read: () => Promise<T>, timeoutMs: number): Promise<T | null> {
    const runner = this.local.get(name);
    if (!runner) throw new Error(`projection ${name} does not run on this thread: it cannot be held at a position`);
    return runner.readAt(position, read, timeoutMs);
  }

  /** True when every named projection (all when none named) has processed `position` in time. */
  async waitFor(position: number, timeoutMs: number, names: readonly string[] = this.names()): Promise<boolean> {
    const results = await Promise.all(names.map((n) => this.runner(n).waitFor(position, timeoutMs)));
    return results.every(Boolean);
  }

  async lag(): Promise<ProjectionLag[]> {
    const head = await this.events.headPosition();
    const now = Date.now();
    return [...this.runners.values()].map((runner) => {
      const status = runner.snapshot();
      const behind = Math.max(0, head - status.position);
      const lagMs = behind > 0 && status.lastEventRecordedAt ? Math.max(0, now - Date.parse(status.lastEventRecordedAt)) : 0;
      return { ...status, head, behind, lagMs, thread: this.local.has(status.name) ? ('main' as const) : ('worker' as const) };
    });
  }
}
