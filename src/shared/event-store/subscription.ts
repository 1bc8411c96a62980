import type { EventStore, RecordedEvent } from './event-store.port.js';

export interface SubscribeOptions {
  /** deliver events with position strictly greater than this */
  after: number;
  batchSize?: number;
  signal?: AbortSignal;
  /** how long one idle wait lasts before the log is read again (bounds live latency if a wake-up is missed) */
  idleWaitMs?: number;
  /** the types the subscriber handles: others may arrive as skeletons (see ReadAllOptions.types) */
  types?: readonly string[];
}

/**
 * Catch-up then live subscription to the global log, identical for every adapter: it only
 * ever reads the log forward from the last delivered position, so the switch from catch-up
 * to live can neither skip nor repeat an event. Live delivery is prompted by the store's
 * waitForAppend wake-ups.
 */
export async function* subscribeToAll(store: EventStore, options: SubscribeOptions): AsyncGenerator<RecordedEvent[]> {
  const batchSize = options.batchSize ?? 1000;
  const idleWaitMs = options.idleWaitMs ?? 1000;
  let after = options.after;
  while (!options.signal?.aborted) {
    const batch = await store.readAll({ after, maxCount: batchSize, ...(options.types ? { types: options.types } : {}) });
    if (batch.length > 0) {
      after = batch[batch.length - 1]!.position;
      yield batch;
      continue;
    }
    await store.waitForAppend(after, idleWaitMs, options.signal);
  }
}
