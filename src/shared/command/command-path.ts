import { randomUUID } from 'node:crypto';
import { DomainError } from '../domain/domain-error.js';
import { type Decider, type DomainEvent, fold } from '../domain/decider.js';
import type { EventRegistry } from '../events/event-registry.js';
import { type FoldedState, StateCache } from './state-cache.js';
import { type Clock, systemClock } from '../time/clock.js';
import {
  type AppendResult,
  type EventActor,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store/event-store.port.js';

/** Who sends the command and in which conversation: becomes the metadata of every event. */
export interface CommandContext {
  actor: EventActor;
  correlationId: string;
  causationId: string | null;
  /** the revision the client pinned with If-Match: a mismatch is answered 412, never retried */
  expectedRevision?: number;
  /** the client's address (X-Forwarded-For's behind TRUST_PROXY) of a command from HTTP: security audit, issue 21 */
  clientAddress?: string;
}

export interface CommandOutcome<S> {
  streamId: string;
  /** revision of the stream after the command (-1: the stream still does not exist) */
  revision: number;
  /** global position a reader can wait for (read-your-writes) */
  position: number;
  /** the events this command appended (none when the command changed nothing) */
  events: NewEvent[];
  state: S;
}

export interface RunCommand<C, S, E extends DomainEvent> {
  streamId: string;
  decider: Decider<C, S, E>;
  command: C;
  context: CommandContext;
  /**
   * Checks the caller may act on this stream (e.g. the record is its institution's), on the
   * state the command is decided on: throw a DomainError to refuse. Saves a load beforehand.
   */
  authorise?: (state: S) => void;
}

/** A new stream's decided events, not yet appended (see CommandPath.prepareStart). */
export interface PreparedStart<S> {
  streamId: string;
  events: NewEvent[];
  state: S;
}

/** Events decided on a state the caller holds, not yet appended (see CommandPath.prepareOn). */
export interface PreparedAppend<S> extends PreparedStart<S> {
  /** the revision of the state they were decided on (-1: the stream does not exist yet) */
  expectedRevision: number;
}

/** What a runAll plan decided: the streams' appends (in log order) and how to answer once they are stored. */
export interface PlannedWrite<R> {
  prepared: Array<PreparedAppend<unknown> & { decider?: object }>;
  result: (outcomes: Array<CommandOutcome<unknown>>) => R;
}

const MAX_ATTEMPTS = 8;
/** streams whose folded state is kept (accounts of the sessions, settings, records being worked on) */
const STATE_CACHE_STREAMS = 50_000;

/**
 * The one write path: load the stream, fold evolve, decide, validate the new events against
 * their schemas, append with the loaded revision as expected revision. A concurrent writer
 * makes the append fail; the command is then decided again on the fresh state, unless the
 * client pinned a revision (412).
 */
export class CommandPath {
  private inFlight = 0;
  /** folded states of the streams used last: a load reads only what was appended since */
  private readonly states = new StateCache(STATE_CACHE_STREAMS);
  /** tail of the queue of commands per stream in this process */
  private readonly streamQueues = new Map<string, Promise<unknown>>();
  private drained: Array<() => void> = [];
  private readonly writeListeners: Array<(streamId: string) => void> = [];

  constructor(
    private readonly store: EventStore,
    private readonly registry: EventRegistry,
    /** stamps each decision's events (occurredAt); the service passes its CLOCK */
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Called with each stream this path appended to, right after the append (before the command's
   * answer): caches of other states built from a stream (the session check's) drop it at once.
   */
  onWrite(listener: (streamId: string) => void): void {
    this.writeListeners.push(listener);
  }

  private written(streamId: string): void {
    for (const listener of this.writeListeners) listener(streamId);
  }

  /**
   * A stream's current state, revision and position. Folded from the cached state of an earlier
   * load with only the events appended since (every load still asks the store for them, so a
   * write by another process is always seen).
   */
  async load<S, E extends DomainEvent>(streamId: string, decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>): Promise<FoldedState<S>> {
    const cached = this.states.get<S>(decider, streamId);
    const fresh = (await this.store.readStream(streamId, cached ? { fromRevision: cached.revision + 1 } : {})).map((e) => this.registry.upcast(e));
    if (cached && fresh.length === 0) return cached;
    // evolve sees events in the shape decide produced them: type, data, and the reason from the metadata
    const state = (fresh.map(toDomainEvent) as E[]).reduce(decider.evolve, cached?.state ?? decider.initialState);
    const last = fresh[fresh.length - 1];
    const folded = { state, revision: last ? last.revision : -1, position: last ? last.position : 0 };
    if (last) this.states.set(decider, streamId, folded);
    return folded;
  }

  /**
   * A stream's state known to hold every event of the stream up to global `position`: the cached
   * state when it does (no read), otherwise a load. For a reactor asking whether the effect of the
   * event at `position` is already there (a request wrote it in the same write): only an answer of
   * "done" may be trusted without a load, and only for effects that stay done (a note, a release).
   */
  async loadIncluding<S, E extends DomainEvent>(streamId: string, decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>, position: number): Promise<FoldedState<S>> {
    const cached = this.states.get<S>(decider, streamId);
    return cached && cached.position >= position ? cached : this.load(streamId, decider);
  }

  /** The state and the whole history it was folded from (case views, evidence, audits). */
  async loadWithHistory<S, E extends DomainEvent>(streamId: string, decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>) {
    const events = await this.history(streamId);
    const state = fold(decider, events.map(toDomainEvent) as E[]);
    const last = events[events.length - 1];
    return { state, events, revision: last ? last.revision : -1, position: last ? last.position : 0 };
  }

  /** A stream's events, upcast to their current schema versions (histories, audits). */
  async history(streamId: string): Promise<RecordedEvent[]> {
    return (await this.store.readStream(streamId)).map((e) => this.registry.upcast(e));
  }

  async run<C, S, E extends DomainEvent>(args: RunCommand<C, S, E>): Promise<CommandOutcome<S>> {
    this.inFlight++;
    try {
      return await this.serialised(args.streamId, () => this.attempt(args));
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  /**
   * A command that starts a new stream (a fresh id nobody else knows yet): decided on the initial
   * state without reading, appended with "no stream". Bulk imports create thousands of streams;
   * concurrent calls share the store's group commit.
   */
  async start<C, S, E extends DomainEvent>(args: RunCommand<C, S, E>): Promise<CommandOutcome<S>> {
    return this.commitStart(this.prepareStart(args));
  }

  /**
   * The decision half of `start`: decides and checks the events against their schemas, stores
   * nothing. An import decides each row as it is read and appends only once the whole file has
   * been read, so a file refused late changes nothing.
   */
  prepareStart<C, S, E extends DomainEvent>(args: RunCommand<C, S, E>): PreparedStart<S> {
    return this.prepareOn(args, { state: args.decider.initialState, revision: -1 });
  }

  /**
   * The decision half of `run` for a caller that holds the stream's state itself, e.g. the
   * province generator deciding each stream's commands one after another in memory: decides on
   * `from`, checks the events against their schemas, stores nothing. `commit` appends them with
   * `from.revision` as the expected revision, so a stream changed meanwhile is refused.
   */
  prepareOn<C, S, E extends DomainEvent>({ streamId, decider, command, context }: RunCommand<C, S, E>, from: { state: S; revision: number }): PreparedAppend<S> {
    const decided = decider.decide(command, from.state);
    return { streamId, events: this.toNewEvents(decided, context), state: decided.reduce(decider.evolve, from.state), expectedRevision: from.revision };
  }

  /** The append half of `start`: the stream must still not exist. */
  commitStart<S>(prepared: PreparedStart<S>): Promise<CommandOutcome<S>> {
    return this.commit({ ...prepared, expectedRevision: -1 });
  }

  /** True when commitAll is all or nothing (the store has multi-stream transactions). */
  get atomicMultiStream(): boolean {
    return this.store.atomicMultiStream;
  }

  /**
   * The append half of many prepareOn/prepareStart in one store call (EventStore.appendMany),
   * each stream against the revision its events were decided on. All or nothing when
   * `atomicMultiStream`; otherwise stream by stream, and a failure may leave some written.
   * Outcomes are in the order given.
   */
  async commitAll(prepared: ReadonlyArray<PreparedAppend<unknown>>): Promise<Array<CommandOutcome<unknown>>> {
    this.inFlight++;
    try {
      const writing = prepared.filter((p) => p.events.length > 0);
      const results = await this.store.appendMany(writing.map((p) => ({ streamId: p.streamId, events: p.events, expected: p.expectedRevision === -1 ? 'no_stream' : p.expectedRevision })));
      for (const p of writing) this.written(p.streamId);
      const byStream = new Map(writing.map((p, i) => [p.streamId, results[i]!]));
      return prepared.map(({ streamId, events, state, expectedRevision }) => {
        const result = byStream.get(streamId);
        return { streamId, revision: result?.revision ?? expectedRevision, position: result?.position ?? 0, events, state };
      });
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  /**
   * A command that changes several streams in one durable write (ADR 0028): `plan` loads the
   * streams it needs (this.load), decides each with prepareOn and returns them; they are appended
   * in one appendMany, each against the revision it was decided on, so a concurrent writer on
   * any of them makes the whole write fail and the plan is decided again on fresh states. Only for
   * a store with multi-stream transactions (`atomicMultiStream`): elsewhere a failure could leave
   * a part written, and callers keep their stream-by-stream sequence. Steps naming their decider
   * keep their new state in the cache, so the next load reads nothing.
   */
  async runAll<R>(plan: () => Promise<PlannedWrite<R>>): Promise<R> {
    if (!this.store.atomicMultiStream) throw new Error('runAll needs a store with multi-stream transactions');
    for (let attempt = 1; ; attempt++) {
      const { prepared, result } = await plan();
      try {
        const outcomes = await this.commitAll(prepared);
        prepared.forEach((p, i) => {
          const o = outcomes[i]!;
          if (p.decider && p.events.length > 0) this.states.set(p.decider, p.streamId, { state: o.state, revision: o.revision, position: o.position });
        });
        return result(outcomes);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw new DomainError('conflict', 'concurrent-modification', '该数据正被他人同时修改，请稍后重试');
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * Facts that guard no invariant (the read audit, ADR 0029): events decided without a load
   * (prepareStart), appended to several streams in one appendMany with expected revision 'any', so
   * writers of one stream never race into retries. Atomic on the embedded store; stream by stream
   * on KurrentDB (each fact stands alone, a partial write loses nothing another fact needs).
   */
  async appendFacts(facts: ReadonlyArray<{ streamId: string; events: readonly NewEvent[] }>): Promise<AppendResult[]> {
    const release = this.hold();
    try {
      const writing = facts.filter((f) => f.events.length > 0);
      if (writing.length === 0) return [];
      const results = await this.store.appendMany(writing.map((f) => ({ streamId: f.streamId, events: f.events, expected: 'any' as const })));
      for (const f of writing) this.written(f.streamId);
      return results;
    } finally {
      release();
    }
  }

  /**
   * Counts work that will append as a command in flight until `release` is called: a writer that
   * queues appends (the read audit's group commit) holds the path so shutdown's drain waits for them.
   */
  hold(): () => void {
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
    };
  }

  /** The append half of `prepareOn`: the stream must still be at the revision the events were decided on. */
  async commit<S>({ streamId, events, state, expectedRevision }: PreparedAppend<S>): Promise<CommandOutcome<S>> {
    this.inFlight++;
    try {
      if (events.length === 0) return { streamId, revision: expectedRevision, position: 0, events, state };
      const result = await this.store.append(streamId, events, expectedRevision === -1 ? 'no_stream' : expectedRevision);
      this.written(streamId);
      return { streamId, revision: result.revision, position: result.position, events, state };
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  private async attempt<C, S, E extends DomainEvent>({ streamId, decider, command, context, authorise }: RunCommand<C, S, E>): Promise<CommandOutcome<S>> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(streamId, decider);
      authorise?.(loaded.state);
      checkPinned(context.expectedRevision, loaded.revision);
      const decided = decider.decide(command, loaded.state);
      if (decided.length === 0) {
        return { streamId, revision: loaded.revision, position: loaded.position, events: [], state: loaded.state };
      }
      const toAppend = this.toNewEvents(decided, context);
      try {
        const result = await this.store.append(streamId, toAppend, loaded.revision === -1 ? 'no_stream' : loaded.revision);
        this.written(streamId);
        const state = decided.reduce(decider.evolve, loaded.state);
        this.states.set(decider, streamId, { state, revision: result.revision, position: result.position });
        return { streamId, revision: result.revision, position: result.position, events: toAppend, state };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (context.expectedRevision !== undefined) throw stale(context.expectedRevision, error.actual);
        if (attempt >= MAX_ATTEMPTS) {
          throw new DomainError('conflict', 'concurrent-modification', '该数据正被他人同时修改，请稍后重试');
        }
        await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      }
    }
  }

  /**
   * Commands on one stream run one after another in this process, so they do not race each
   * other into conflicts and retries; writers in other processes are still caught by the
   * expected revision and retried.
   */
  private async serialised<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.streamQueues.get(streamId) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.streamQueues.set(streamId, tail);
    try {
      return await current;
    } finally {
      if (this.streamQueues.get(streamId) === tail) this.streamQueues.delete(streamId);
    }
  }

  /** The events of one decision share one occurredAt, read from the clock once. */
  private toNewEvents(events: DomainEvent[], context: CommandContext): NewEvent[] {
    if (events.length === 0) return [];
    const occurredAt = this.clock.now().toISOString();
    return events.map((e) => this.toNewEvent(e, context, occurredAt));
  }

  private toNewEvent(event: DomainEvent, context: CommandContext, occurredAt: string): NewEvent {
    const def = this.registry.definition(event.type);
    this.registry.validate(event.type, event.data, def.version);
    return {
      type: event.type,
      data: event.data,
      metadata: {
        eventId: randomUUID(),
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId,
        occurredAt,
        schemaVersion: def.version,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        ...(context.clientAddress !== undefined ? { clientAddress: context.clientAddress } : {}),
      },
    };
  }

  /** Resolves when no command is running (graceful shutdown). */
  drain(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }
}

function toDomainEvent(event: RecordedEvent): DomainEvent {
  return event.metadata.reason !== undefined ? { type: event.type, data: event.data, reason: event.metadata.reason } : { type: event.type, data: event.data };
}

/** If-Match: a command pinned to a revision (`expected`) refused with a 412 unless the stream is at it. */
export function checkPinned(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) throw stale(expected, actual);
}

/** The answer (412) to a command whose If-Match revision is not the stream's current one. */
export function stale(expected: number, actual: number): DomainError {
  return new DomainError('stale', 'stale-revision', `该数据已被修改（您提交的版本为 ${expected}，当前版本为 ${actual}），请刷新后再操作`, [], {
    expectedRevision: expected,
    currentRevision: actual,
  });
}
