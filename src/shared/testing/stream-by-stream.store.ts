import { type AppendResult, type EventStore, type StreamAppend, appendEach } from '../event-store/event-store.port.js';

/**
 * A store seen as one without multi-stream transactions (as EventStoreDB is): appendMany goes
 * stream by stream through the adapters' shared appendEach. `beforeAppend` may delay or fail a
 * single append (a crash or a lost connection in the middle of a bulk write).
 */
export function streamByStream(inner: EventStore, beforeAppend?: (streamId: string) => Promise<void>, concurrency = 16): EventStore {
  const append: EventStore['append'] = async (streamId, events, expected) => {
    await beforeAppend?.(streamId);
    return inner.append(streamId, events, expected);
  };
  return {
    kind: `${inner.kind}-stream-by-stream`,
    atomicMultiStream: false,
    append,
    appendMany: (appends: readonly StreamAppend[]): Promise<AppendResult[]> => appendEach({ append }, appends, concurrency),
    readStream: (...args) => inner.readStream(...args),
    readAll: (...args) => inner.readAll(...args),
    headPosition: () => inner.headPosition(),
    waitForAppend: (...args) => inner.waitForAppend(...args),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}
