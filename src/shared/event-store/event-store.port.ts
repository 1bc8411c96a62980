/**
 * The event store port. Every adapter (embedded SQLite, EventStoreDB) implements it and
 * passes the same contract suite (event-store.contract.ts).
 *
 * Revisions are 0-based per stream (the first event of a stream has revision 0).
 * Positions are the global log order: strictly increasing integers, > 0; position 0 means
 * "before the first event". Adapters map their native positions onto this.
 */

export type ExpectedRevision =
  | 'any'
  /** the stream must not exist yet */
  | 'no_stream'
  /** the stream must have at least one event */
  | 'stream_exists'
  /** the revision of the stream's last event */
  | number;

export const STORE_START = 0;

/** Who did it, for whom, why: stored with every event (the audit trail). */
export interface EventActor {
  accountId: string;
  role: string;
  organisationId: string;
}

export interface EventMetadata {
  eventId: string;
  actor: EventActor;
  correlationId: string;
  causationId: string | null;
  occurredAt: string;
  schemaVersion: number;
  reason?: string;
  /** where a command from HTTP came from (logins, lockouts, resets, kick-outs...: MLPS security audit) */
  clientAddress?: string;
}

export interface NewEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
}

/**
 * A stored event whose type and data are one of the union `E` (e.g. a context's published
 * events): consumers switch on `type` and read typed fields. The runner hands a projection or a
 * reactor only the types it `handles`, each upcast to its current schema and validated on write.
 */
export type TypedRecordedEvent<E extends { type: string; data: Record<string, unknown> }> = E extends unknown
  ? Omit<RecordedEvent, 'type' | 'data'> & { type: E['type']; data: E['data'] }
  : never;

export interface AppendResult {
  /** revision of the last event written */
  revision: number;
  /** global position of the last event written */
  position: number;
}

/** One stream's part of a multi-stream append (EventStore.appendMany). */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
}

export interface ReadStreamOptions {
  /** first revision to return (inclusive), default 0 */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** return events with position strictly greater than this */
  after: number;
  maxCount: number;
  /**
   * The types the reader will look at. An adapter may then return events of other types as
   * skeletons (type, stream, revision, position, recordedAt; empty data, SKELETON_METADATA),
   * so subscribers that handle a few types do not decode every event. Positions stay dense.
   */
  types?: readonly string[];
}

/** The metadata of a skeleton event: one the reader said it will not look at. */
export const SKELETON_METADATA: EventMetadata = Object.freeze({
  eventId: '',
  actor: Object.freeze({ accountId: '', role: '', organisationId: '' }),
  correlationId: '',
  causationId: null,
  occurredAt: '',
  schemaVersion: 0,
}) as EventMetadata;

export interface EventStore {
  readonly kind: string;
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * True when appendMany is one transaction (the embedded store); false when the store has no
   * multi-stream transaction (EventStoreDB): callers that need all-or-nothing then record their
   * intent first and compensate what an interrupted call left (the template import does).
   */
  readonly atomicMultiStream: boolean;
  /**
   * Appends to several streams (each at most once), each against its own expected revision;
   * the results are in the order of `appends`. Atomic stores write everything or nothing: one
   * revision that does not match rejects the call with a WrongExpectedRevisionError and stores
   * nothing. Other stores write stream by stream, several at a time: a failure starts no further
   * stream, and once those in flight have settled the call rejects with the first error; what
   * was written stays.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of every stream in global order. System events of the server are never returned. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the log (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * Resolves once an event after `after` may exist, or when the timeout elapses, or when
   * the signal aborts. Spurious wake-ups are allowed: readers always re-read the log.
   */
  waitForAppend(after: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Another connection in this process group (the main thread, when projections run in a
   * worker) appended up to `head`: wake this connection's waiters now instead of at their
   * timeout. Stores whose waits already see every writer need not implement it.
   */
  appendedElsewhere?(head: number): void;
  /** Throws when the store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

/** Raised by append when the stream's revision is not the expected one. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** the stream's actual last revision, -1 when it does not exist */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** Refuses what no adapter can append: a stream twice in one call, or a stream without events. */
export function checkAppends(appends: readonly StreamAppend[]): void {
  const seen = new Set<string>();
  for (const { streamId, events } of appends) {
    if (events.length === 0) throw new Error(`append to ${streamId} needs at least one event`);
    if (seen.has(streamId)) throw new Error(`appendMany takes each stream once: ${streamId} is there twice`);
    seen.add(streamId);
  }
}

/**
 * appendMany for a store without multi-stream transactions: each stream appended on its own,
 * `concurrency` at a time (a bulk import must not wait one round trip per stream).
 */
export async function appendEach(store: Pick<EventStore, 'append'>, appends: readonly StreamAppend[], concurrency: number): Promise<AppendResult[]> {
  checkAppends(appends);
  const results: AppendResult[] = new Array(appends.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    // after a failure nothing new is started; the appends in flight settle
    while (next < appends.length && !failure) {
      const i = next++;
      const { streamId, events, expected } = appends[i]!;
      try {
        results[i] = await store.append(streamId, events, expected);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, appends.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}

/** True when a stream whose last revision is `actual` (-1 = none) satisfies `expected`. */
export function revisionMatches(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === -1;
  if (expected === 'stream_exists') return actual >= 0;
  return expected === actual;
}
