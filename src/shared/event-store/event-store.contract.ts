import { randomUUID } from 'node:crypto';
import { expect, it, describe, beforeAll, afterAll } from '@jest/globals';
import { type EventStore, type NewEvent, WrongExpectedRevisionError } from './event-store.port.js';
import { subscribeToAll } from './subscription.js';

/** One contract suite, run against every event-store adapter. */
export function eventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    const stream = (): string => `contract-${randomUUID()}`;

    it('appends to a new stream with no_stream and reads it back in order with metadata', async () => {
      const id = stream();
      const result = await store.append(id, [sample('Opened', { n: 1 }), sample('Deposited', { n: 2 })], 'no_stream');
      expect(result.revision).toBe(1);
      const events = await store.readStream(id);
      expect(events.map((e) => [e.type, e.revision, e.data])).toEqual([
        ['Opened', 0, { n: 1 }],
        ['Deposited', 1, { n: 2 }],
      ]);
      expect(events[1]!.position).toBe(result.position);
      expect(events[0]!.position).toBeLessThan(events[1]!.position);
      expect(events[0]!.metadata.actor).toEqual({ accountId: 'acc-1', role: 'business', organisationId: 'org-1' });
      expect(events[0]!.metadata.correlationId).toBe('corr-1');
      expect(events[0]!.metadata.causationId).toBeNull();
      expect(events[0]!.metadata.schemaVersion).toBe(1);
      expect(events[0]!.metadata.reason).toBe('because');
      expect(typeof events[0]!.metadata.eventId).toBe('string');
      expect(Date.parse(events[0]!.recordedAt)).not.toBeNaN();
      expect(events[0]!.streamId).toBe(id);
    });

    it('reads a missing stream as empty', async () => {
      expect(await store.readStream(stream())).toEqual([]);
    });

    it('reads a stream from a revision with a max count', async () => {
      const id = stream();
      await store.append(id, [1, 2, 3, 4].map((n) => sample('Counted', { n })), 'no_stream');
      const part = await store.readStream(id, { fromRevision: 1, maxCount: 2 });
      expect(part.map((e) => e.data['n'])).toEqual([2, 3]);
    });

    it('enforces every kind of expected revision', async () => {
      const id = stream();
      await expect(store.append(id, [sample('A')], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(id, [sample('A')], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(id, [sample('A')], 'no_stream');
      await expect(store.append(id, [sample('B')], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(id, [sample('B')], 'stream_exists');
      await expect(store.append(id, [sample('C')], 0)).rejects.toMatchObject({ actual: 1 });
      expect((await store.append(id, [sample('C')], 1)).revision).toBe(2);
      expect((await store.append(id, [sample('D')], 'any')).revision).toBe(3);
      expect((await store.append(stream(), [sample('E')], 'any')).revision).toBe(0);
      expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
    });

    it('lets exactly one of many concurrent appends with the same expected revision succeed', async () => {
      const id = stream();
      await store.append(id, [sample('Opened')], 'no_stream');
      const attempts = await Promise.allSettled(
        Array.from({ length: 25 }, (_, i) => store.append(id, [sample('Raced', { i })], 0)),
      );
      const ok = attempts.filter((a) => a.status === 'fulfilled');
      expect(ok).toHaveLength(1);
      for (const a of attempts) {
        if (a.status === 'rejected') expect(a.reason).toBeInstanceOf(WrongExpectedRevisionError);
      }
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('lets exactly one of many concurrent no_stream creations succeed', async () => {
      const id = stream();
      const attempts = await Promise.allSettled(Array.from({ length: 20 }, () => store.append(id, [sample('Reserved')], 'no_stream')));
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      expect(await store.readStream(id)).toHaveLength(1);
    });

    it('appends to several streams in one call, each against its own expected revision, results in order', async () => {
      const existing = stream();
      const fresh = stream();
      const other = stream();
      await store.append(existing, [sample('Opened')], 'no_stream');
      const results = await store.appendMany([
        { streamId: existing, events: [sample('Deposited', { n: 1 })], expected: 0 },
        { streamId: fresh, events: [sample('Opened', { n: 2 })], expected: 'no_stream' },
        { streamId: other, events: [sample('Opened', { n: 3 }), sample('Deposited', { n: 4 })], expected: 'any' },
      ]);
      expect(results.map((r) => r.revision)).toEqual([1, 0, 1]);
      const read = await Promise.all([existing, fresh, other].map((id) => store.readStream(id)));
      expect(read.map((events) => events.map((e) => e.data['n'] ?? null))).toEqual([[null, 1], [2], [3, 4]]);
      expect(results.map((r) => r.position)).toEqual(read.map((events) => events[events.length - 1]!.position));
      expect(await store.headPosition()).toBeGreaterThanOrEqual(Math.max(...results.map((r) => r.position)));
      expect(await store.appendMany([])).toEqual([]);
    });

    it('refuses a multi-stream append whose revision does not match: an atomic store stores none of it', async () => {
      const taken = stream();
      const before = stream();
      const after = stream();
      await store.append(taken, [sample('Reserved')], 'no_stream');
      const attempt = store.appendMany([
        { streamId: before, events: [sample('Opened')], expected: 'no_stream' },
        { streamId: taken, events: [sample('Reserved')], expected: 'no_stream' },
        { streamId: after, events: [sample('Opened')], expected: 'no_stream' },
      ]);
      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(attempt).rejects.toMatchObject({ streamId: taken, actual: 0 });
      expect(await store.readStream(taken)).toHaveLength(1);
      if (store.atomicMultiStream) {
        expect(await store.readStream(before)).toEqual([]);
        expect(await store.readStream(after)).toEqual([]);
      }
    });

    it('refuses a multi-stream append naming a stream twice or a stream without events, storing nothing', async () => {
      const id = stream();
      await expect(store.appendMany([{ streamId: id, events: [sample('A')], expected: 'no_stream' }, { streamId: id, events: [sample('B')], expected: 0 }])).rejects.toThrow(/once/);
      await expect(store.appendMany([{ streamId: id, events: [sample('A')], expected: 'no_stream' }, { streamId: stream(), events: [], expected: 'any' }])).rejects.toThrow(/at least one event/);
      expect(await store.readStream(id)).toEqual([]);
    });

    it('appends thousands of new streams in one call and reads them back (a bulk import)', async () => {
      const ids = Array.from({ length: 3000 }, () => stream());
      const results = await store.appendMany(ids.map((id, i) => ({ streamId: id, events: [sample('Imported', { i })], expected: 'no_stream' as const })));
      expect(results).toHaveLength(3000);
      expect(new Set(results.map((r) => r.position)).size).toBe(3000);
      const sampled = await Promise.all([0, 1499, 2999].map((i) => store.readStream(ids[i]!)));
      expect(sampled.map((events) => events.map((e) => e.data['i']))).toEqual([[0], [1499], [2999]]);
      // on a store that writes stream by stream, 3,000 durable writes: past jest's default 5 s on a busy machine
    }, 30_000);

    it('reads the global log forward from a position, across streams, in order', async () => {
      const start = await store.headPosition();
      const a = stream();
      const b = stream();
      await store.append(a, [sample('A1')], 'no_stream');
      await store.append(b, [sample('B1'), sample('B2')], 'no_stream');
      await store.append(a, [sample('A2')], 0);
      const mine = (await readAllFrom(store, start)).filter((e) => e.streamId === a || e.streamId === b);
      expect(mine.map((e) => e.type)).toEqual(['A1', 'B1', 'B2', 'A2']);
      const positions = mine.map((e) => e.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(new Set(positions).size).toBe(4);
      const afterFirst = await store.readAll({ after: mine[0]!.position, maxCount: 1 });
      expect(afterFirst[0]!.position).toBeGreaterThan(mine[0]!.position);
      expect(await store.headPosition()).toBeGreaterThanOrEqual(mine[3]!.position);
    });

    it('reads the global log for some types: the same positions, those types whole, others at most as skeletons', async () => {
      const head = await store.headPosition();
      const id = stream();
      await store.append(id, [sample('Opened', { n: 1 }), sample('Deposited', { n: 2 }), sample('Opened', { n: 3 })], 'no_stream');
      const all = await store.readAll({ after: head, maxCount: 10 });
      const typed = await store.readAll({ after: head, maxCount: 10, types: ['Deposited'] });
      expect(typed.map((e) => [e.position, e.type, e.streamId, e.revision])).toEqual(all.map((e) => [e.position, e.type, e.streamId, e.revision]));
      const deposited = typed.find((e) => e.type === 'Deposited' && e.streamId === id)!;
      expect(deposited.data).toEqual({ n: 2 });
      expect(deposited.metadata.correlationId).toBe('corr-1');
      // an adapter may or may not decode the others; if it does, they are whole
      for (const e of typed.filter((x) => x.type !== 'Deposited')) expect(e.data).toEqual(e.metadata.eventId ? all.find((a) => a.position === e.position)!.data : {});
    });

    it('subscribes from a position: catch-up then live, every event exactly once, in order', async () => {
      const id = stream();
      await store.append(id, [sample('Before')], 'no_stream');
      const from = await store.headPosition();
      for (let i = 0; i < 30; i++) await store.append(id, [sample('CatchUp', { i })], 'any');
      const controller = new AbortController();
      const seen: Array<{ type: string; position: number; i: unknown }> = [];
      const consumer = (async () => {
        for await (const batch of subscribeToAll(store, { after: from, batchSize: 7, signal: controller.signal, idleWaitMs: 200 })) {
          for (const e of batch) if (e.streamId === id) seen.push({ type: e.type, position: e.position, i: e.data['i'] });
          if (seen.length >= 60) controller.abort();
        }
      })();
      // live appends, some while the consumer is still catching up
      const writers = Array.from({ length: 30 }, (_, i) => store.append(id, [sample('Live', { i })], 'any'));
      await Promise.all(writers);
      await withTimeout(consumer, 15000);
      expect(seen).toHaveLength(60);
      expect(seen.filter((e) => e.type === 'Before')).toHaveLength(0);
      expect(seen.slice(0, 30).map((e) => e.i)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      expect(new Set(seen.slice(30).map((e) => e.i)).size).toBe(30);
      const positions = seen.map((e) => e.position);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(new Set(positions).size).toBe(60);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

async function readAllFrom(store: EventStore, after: number) {
  const out = [];
  for (;;) {
    const batch = await store.readAll({ after, maxCount: 500 });
    if (batch.length === 0) return out;
    out.push(...batch);
    after = batch[batch.length - 1]!.position;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}

export function sample(type: string, data: Record<string, unknown> = {}): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      actor: { accountId: 'acc-1', role: 'business', organisationId: 'org-1' },
      correlationId: 'corr-1',
      causationId: null,
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
      reason: 'because',
    },
  };
}
