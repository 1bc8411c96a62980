import type { EventRegistry } from '../events/event-registry.js';
import type { DomainEvent } from '../domain/decider.js';
import type { EventStore, RecordedEvent, TypedRecordedEvent } from '../event-store/event-store.port.js';
import { subscribeToAll } from '../event-store/subscription.js';
import type { Logger } from '../logging/json-logger.js';
import type { ReadStore } from '../read-store/read-store.port.js';
import { PositionWaiters } from './position-waiters.js';

/**
 * A process manager: reacts to stored events by sending commands (e.g. "a record was
 * submitted -> claim its de-duplication key"; "exactly one evidence passed -> void the
 * others"). Driven only by the durable log from its own checkpoint, never by in-process events.
 * A crash between a reaction and the checkpoint replays the reaction, so every reaction must be
 * an idempotent command: its decider returns no events when the effect is already there. That
 * is also why the checkpoint is written at most every CHECKPOINT_MS (and on stop), not after each
 * reaction: each write waits for the read store's write lock, and a restart merely repeats the
 * reactions of the last moments, changing nothing.
 */
export interface ReactorDefinition<E extends DomainEvent = DomainEvent> {
  name: string;
  handles: readonly E['type'][];
  // a method: a reactor typed over its own events is still a ReactorDefinition
  react(event: TypedRecordedEvent<E>): Promise<void>;
}

const RETRY_MS = 1000;
/** how often the stored checkpoint follows the reactions */
const CHECKPOINT_MS = 200;
/** how often a stretch of events the reactor does not handle moves its stored checkpoint */
const IDLE_CHECKPOINT_MS = 5000;

export class ReactorRunner {
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private position = 0;
  /** the checkpoint as stored, and when */
  private stored = { position: 0, at: 0 };
  private readonly waiters = new PositionWaiters();
  error: string | null = null;

  constructor(
    readonly definition: ReactorDefinition,
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly registry: EventRegistry,
    private readonly logger: Logger,
  ) {}

  private get checkpointKey(): string {
    return `reactor:${this.definition.name}`;
  }

  get processed(): number {
    return this.position;
  }

  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = null;
    // what it handled since the last write: a restart resumes after it
    if (this.position > this.stored.position) await this.store();
    this.waiters.releaseAll(this.position);
  }

  private async store(): Promise<void> {
    await this.reads.applyBatch(this.checkpointKey, [], this.position);
    this.stored = { position: this.position, at: Date.now() };
  }

  private async run(signal: AbortSignal): Promise<void> {
    const handled = new Set(this.definition.handles);
    while (!signal.aborted) {
      try {
        this.position = (await this.reads.getCheckpoint(this.checkpointKey)) ?? 0;
        this.stored = { position: this.position, at: Date.now() };
        let reacted = false;
        for await (const batch of subscribeToAll(this.events, { after: this.position, batchSize: 500, signal, types: this.definition.handles })) {
          for (const event of batch) {
            if (signal.aborted) return;
            if (handled.has(event.type)) {
              await this.definition.react(this.registry.upcast(event));
              reacted = true;
            }
            this.position = event.position;
            this.waiters.reached(event.position);
          }
          // after reactions now and then; over events it does not handle rarely: a restart merely skips them again
          if (!signal.aborted && Date.now() - this.stored.at >= (reacted ? CHECKPOINT_MS : IDLE_CHECKPOINT_MS)) {
            await this.store();
            reacted = false;
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        this.error = error instanceof Error ? error.message : String(error);
        this.logger.error('reactor failed; retrying from its checkpoint', { reactor: this.definition.name, error });
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /** Resolves true once the reactor has handled `position`, false after the timeout. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    return this.waiters.wait(this.position, position, timeoutMs);
  }
}
