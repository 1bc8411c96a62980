/**
 * KurrentDB (EventStoreDB's successor) adapter of the event-store port, on
 * @kurrent/kurrentdb-client 1.x (moved from @eventstore/db-client 6.2, whose successor it is: same
 * gRPC protocol, the same calls). Every client-specific line lives in this file.
 *
 * Checked against the client's .d.ts and compiled dist/*.js (1.3.1):
 * - appendToStream takes `streamState` ANY | NO_STREAM | STREAM_EXISTS | bigint (6.x called it
 *   expectedRevision) and resolves { nextExpectedRevision: bigint, position?: {commit, prepare} };
 *   with the default throwOnAppendFailure it rejects with WrongExpectedVersionError whose
 *   actualState is 'no_stream' | bigint (6.x: actualVersion).
 * - readAll returns an async iterator; ending it early is `return()` (6.x had cancel()).
 * - readStream rejects (async iterator throws) with StreamNotFoundError for a missing stream.
 * - readAll in 6.2.1 has NO server-side filter (it always sends NoFilter), so system events are
 *   skipped here; fromPosition {commit, prepare} is inclusive for forward reads.
 * - RecordedEvent.created is a Date; position is optional on stream reads (servers >= 22.6 send
 *   it) and always present on $all reads.
 * - subscribeToAll({fromPosition: END, filter: excludeSystemEvents()}) is a Readable of
 *   AllStreamResolvedEvent; excludeSystemEvents() filters on event type (regex ^[^$].*).
 * Verified from the EventStoreDB server source (StorageWriterService.WritePrepares,
 * AllReader.ReadAllEventsForward, StorageChaser): an append over gRPC writes one prepare
 * record per event, flagged IsCommitted (implicit transaction, no commit record), and $all
 * reports such an event at TFPos(its own log position, its own log position). So commit ==
 * prepare, and every event of a multi-event append has its OWN commit position, increasing
 * with its order. The append result's position is the log position of the last prepare (the
 * one flagged TransactionEnd), i.e. the position of the last event written.
 * Assumed (not testable here, no server): the above holds for the server version deployed;
 * positions stay below 2^53 (9 PB of log) so Number() is exact; events sharing one commit
 * position exist only for explicit transactions of the legacy TCP API, which this adapter
 * never writes (such foreign events would break the one-integer-per-event mapping).
 * EventStoreDB has no transaction across streams (a gRPC append is one stream), so appendMany is
 * stream by stream (atomicMultiStream = false): callers that need all-or-nothing record their
 * intent first and compensate (the template import, docs/adr/0011).
 */
import {
  ANY,
  BACKWARDS,
  END,
  KurrentDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendStreamState,
  type CurrentStreamState,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
} from '@kurrent/kurrentdb-client';
import {
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  WrongExpectedRevisionError,
  appendEach,
} from './event-store.port.js';

const HEAD_PAGE = 256;
const MAX_SLACK = 4096;
const PING_TIMEOUT_MS = 5000;
/**
 * appends in flight in an appendMany: enough to keep the connection busy (the server takes about
 * a hundred concurrent HTTP/2 streams per connection; the client queues the rest) without
 * holding tens of thousands of pending calls
 */
const APPEND_CONCURRENCY = 256;

export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb';
  readonly atomicMultiStream = false;
  private live: AllStreamSubscription | undefined;
  /** highest user-event position the live subscription has delivered */
  private livePosition = 0;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(private readonly client: KurrentDBClient) {}

  /** `url` is a connection string, e.g. kurrentdb://localhost:2113?tls=false. Fails when unreachable. */
  static async connect(url: string): Promise<EventStoreDbEventStore> {
    const store = new EventStoreDbEventStore(KurrentDBClient.connectionString(url));
    try {
      await store.ping();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const data = events.map((e) => jsonEvent({ id: e.metadata.eventId, type: e.type, data: e.data, metadata: e.metadata }));
    let result;
    try {
      result = await this.client.appendToStream(streamId, data, { streamState: toClientExpected(expected) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, toActual(error.actualState));
      }
      throw error;
    }
    const revision = Number(result.nextExpectedRevision);
    // the server reports the last written event's position; read it back only if it did not
    const commit = result.position?.commit;
    if (commit === undefined) {
      const [last] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
      if (!last) throw new Error(`append to ${streamId}: the server returned no position`);
      return { revision, position: last.position };
    }
    return { revision, position: Number(commit) };
  }

  /** Stream by stream, several at a time (no multi-stream transaction: see the top of this file). */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    return appendEach(this, appends, APPEND_CONCURRENCY);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(options.fromRevision ?? 0),
        maxCount: options.maxCount, // undefined: the client's default, all
      });
      for await (const resolved of read) if (resolved.event) out.push(toRecorded(resolved.event));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    if (options.maxCount <= 0) return out;
    // cursor: position of the last event looked at (user or system); everything <= it is skipped
    let cursor = options.after;
    // extra events per page, grown while pages are eaten by skipped system events
    let slack = 0;
    for (;;) {
      // fromPosition is inclusive, so a page from an event's own position starts with that event
      const inclusive = cursor > 0;
      const pageSize = options.maxCount - out.length + (inclusive ? 1 : 0) + slack;
      const from: ReadPosition = inclusive ? { commit: BigInt(cursor), prepare: BigInt(cursor) } : START;
      const page = await this.readAllPage(from, FORWARDS, pageSize);
      for (const resolved of page) {
        const event = resolved.event;
        if (!event) continue;
        const position = Number(event.position.commit);
        if (position <= cursor) continue;
        cursor = position;
        if (isSystem(event)) continue;
        out.push(toRecorded(event));
        if (out.length === options.maxCount) return out;
      }
      // a short page is the end of the log; a full page of mostly system events: read on
      if (page.length < pageSize) return out;
      slack = Math.min(Math.max(slack * 2, 32), MAX_SLACK);
    }
  }

  async headPosition(): Promise<number> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage(from, BACKWARDS, HEAD_PAGE);
      for (const resolved of page) {
        if (resolved.event && !isSystem(resolved.event)) return Number(resolved.event.position.commit);
      }
      const last = page[page.length - 1]?.event;
      if (page.length < HEAD_PAGE || !last) return 0;
      // backward reads exclude the event at fromPosition, so this continues just before it
      from = last.position;
    }
  }

  waitForAppend(after: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.closed || signal?.aborted || this.livePosition > after) return Promise.resolve();
    this.openLive();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  async ping(): Promise<void> {
    // reads ignore the client's deadline option (they run with an infinite deadline), hence the timer
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    const drained = (async () => {
      for await (const _ of read) {
        // one event at most: the round trip is the point
      }
    })();
    drained.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`EventStoreDB did not answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([drained, timeout]);
    } finally {
      clearTimeout(timer);
      // ends the read: the client's iterator closes its gRPC call on return()
      await read.return?.().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    const live = this.live;
    this.live = undefined;
    await live?.unsubscribe().catch(() => undefined);
    await this.client.dispose();
  }

  private async readAllPage(fromPosition: ReadPosition, direction: typeof FORWARDS | typeof BACKWARDS, maxCount: number) {
    const page: AllStreamResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition, direction, maxCount })) page.push(resolved);
    return page;
  }

  /** One shared live subscription from END, opened by the first waiter; it only wakes waiters. */
  private openLive(): void {
    if (this.live || this.closed) return;
    const live = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    this.live = live;
    live.on('data', (resolved: AllStreamResolvedEvent) => {
      const event = resolved.event;
      if (event && !isSystem(event)) this.livePosition = Math.max(this.livePosition, Number(event.position.commit));
      for (const wake of [...this.waiters]) wake();
    });
    // dropped (server restart, network): forget it so the next waiter opens a new one; current
    // waiters are not woken, they time out, which keeps an unreachable server from spinning readers
    const drop = (): void => {
      if (this.live === live) this.live = undefined;
    };
    live.on('error', drop);
    live.on('end', drop);
    live.on('close', drop);
  }
}

function toClientExpected(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

function toActual(current: CurrentStreamState): number {
  return current === NO_STREAM ? -1 : Number(current);
}

function isSystem(event: EsdbRecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toRecorded(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.position) throw new Error('EventStoreDB returned an event without a position (server older than 22.6?)');
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: Number(event.position.commit),
    type: event.type,
    data: asJson(event.data) as Record<string, unknown>,
    metadata: asJson(event.metadata) as unknown as EventMetadata,
    recordedAt: event.created.toISOString(),
  };
}

/** The client parses JSON events itself; a binary payload is decoded as JSON here. */
function asJson(value: unknown): unknown {
  return value instanceof Uint8Array ? JSON.parse(Buffer.from(value).toString('utf8')) : value;
}
