import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { WrongExpectedRevisionError } from './event-store.port.js';
import { eventStoreContract, sample } from './event-store.contract.js';
import { SqliteEventStore } from './sqlite.event-store.js';
import { streamByStream } from '../testing/stream-by-stream.store.js';

const file = (): string => join(mkdtempSync(join(tmpdir(), 'es-')), 'events.sqlite');

eventStoreContract('sqlite', async () => new SqliteEventStore(file()));
// without a built writer thread (TypeScript sources only), groups are written on the caller's thread
eventStoreContract('sqlite, written inline', async () => new SqliteEventStore(file(), { writer: 'inline' }));
// the stream-by-stream appendMany EventStoreDB uses, on a store that is always here
eventStoreContract('sqlite, appendMany stream by stream', async () => streamByStream(new SqliteEventStore(file())));

describe.each(['worker', 'inline'] as const)('SqliteEventStore specifics, written %s', (writer) => {
  const open = (path: string) => new SqliteEventStore(path, { writer });

  it('keeps every acknowledged event across a reopen of the file', async () => {
    const path = file();
    const first = open(path);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => first.append(`s-${i % 5}`, [sample('Kept', { i })], 'any')));
    await first.close();
    const second = open(path);
    const all = await second.readAll({ after: 0, maxCount: 1000 });
    expect(all).toHaveLength(50);
    expect(new Set(all.map((e) => e.position))).toEqual(new Set(results.map((r) => r.position)));
    expect(await second.headPosition()).toBe(Math.max(...results.map((r) => r.position)));
    await second.close();
  });

  it('commits concurrent appends in one group and rejects only the one that conflicts', async () => {
    const store = open(file());
    await store.append('g', [sample('Opened')], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('g', [sample('A')], 0),
      store.append('h', [sample('B')], 'no_stream'),
      store.append('g', [sample('C')], 0),
      store.append('i', [sample('D')], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(store.lastGroupSize).toBe(4);
    await store.close();
  });

  it('writes an appendMany inside the group commit as one unit: a failure undoes it alone', async () => {
    const store = open(file());
    await store.append('taken', [sample('Opened')], 'no_stream');
    const outcomes = await Promise.allSettled([
      store.append('single', [sample('A')], 'no_stream'),
      store.appendMany([
        { streamId: 'many-1', events: [sample('B')], expected: 'no_stream' },
        { streamId: 'taken', events: [sample('C')], expected: 'no_stream' },
      ]),
      store.appendMany([
        { streamId: 'many-2', events: [sample('D')], expected: 'no_stream' },
        { streamId: 'taken', events: [sample('E')], expected: 0 },
      ]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(store.lastGroupSize).toBe(3);
    expect(await store.readStream('many-1')).toEqual([]);
    const all = await store.readAll({ after: 0, maxCount: 100 });
    expect(all.map((e) => e.type)).toEqual(['Opened', 'A', 'D', 'E']);
    // positions stay dense: the undone writes left no hole and the head did not move past them
    expect(all.map((e) => e.position)).toEqual([1, 2, 3, 4]);
    expect(await store.headPosition()).toBe(4);
    await store.close();
  });

  it('refuses an event that cannot be written as JSON before it joins a group: nothing stored', async () => {
    const store = open(file());
    await store.append('before', [sample('Opened')], 'no_stream');
    const unserialisable = sample('Broken', { amount: 1n as unknown as number });
    await expect(
      store.appendMany([
        { streamId: 'x-1', events: [sample('Fine')], expected: 'no_stream' },
        { streamId: 'x-2', events: [unserialisable], expected: 'no_stream' },
      ]),
    ).rejects.toThrow(TypeError);
    expect(await store.readStream('x-1')).toEqual([]);
    expect(await store.headPosition()).toBe(1);
    await store.close();
  });

  it('rolls a whole group back when writing fails (not a revision): nothing of it stored, the head unchanged, the next group fine', async () => {
    const store = open(file());
    await store.append('before', [sample('Opened')], 'no_stream');
    // SQLite cannot bind an object: the insert of the group's third stream throws
    const outcomes = await Promise.allSettled([
      store.append('y-1', [sample('Fine')], 'no_stream'),
      store.appendMany([
        { streamId: 'y-2', events: [sample('Fine')], expected: 'no_stream' },
        { streamId: { not: 'a string' } as unknown as string, events: [sample('Broken')], expected: 'any' },
      ]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ name: 'RangeError' }); // better-sqlite3's refusal, the same from the writer thread
    expect(await store.readStream('y-1')).toEqual([]);
    expect(await store.readStream('y-2')).toEqual([]);
    expect(await store.headPosition()).toBe(1);
    expect((await store.append('after', [sample('Opened')], 'no_stream')).position).toBe(2);
    await store.close();
  });

  const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ streamId: `${prefix}-${i}`, events: [sample('Imported', { i })], expected: 'no_stream' as const }));

  it('writes a big appendMany over several turns of the event loop, unseen by readers until it commits', async () => {
    const store = open(file());
    let done = false;
    const big = store.appendMany(many(6000, 'big')).then((results) => ((done = true), results));
    await new Promise((resolve) => setImmediate(resolve)); // the first slice is written
    expect(done).toBe(false);
    expect(await store.readStream('big-0')).toEqual([]);
    expect(await store.headPosition()).toBe(0);
    // an append arriving meanwhile waits for the next group
    const during = store.append('during', [sample('Opened')], 'no_stream');
    const results = await big;
    expect(results.map((r) => r.position)).toEqual(Array.from({ length: 6000 }, (_, i) => i + 1));
    expect((await during).position).toBe(6001);
    expect((await store.readStream('big-5999'))[0]!.data).toEqual({ i: 5999 });
    await store.close();
  });

  it('undoes a big appendMany whose last stream does not match; appends queued meanwhile still commit', async () => {
    const store = open(file());
    await store.append('taken', [sample('Opened')], 'no_stream');
    const big = store.appendMany([...many(5000, 'undone'), { streamId: 'taken', events: [sample('Again')], expected: 'no_stream' }]);
    await new Promise((resolve) => setImmediate(resolve));
    const during = store.append('during', [sample('Opened')], 'no_stream');
    await expect(big).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect((await during).position).toBe(2);
    expect((await store.readAll({ after: 0, maxCount: 10 })).map((e) => e.streamId)).toEqual(['taken', 'during']);
    await store.close();
  });

  it('commits a big appendMany still being written when the store is closed', async () => {
    const path = file();
    const store = open(path);
    const big = store.appendMany(many(5000, 'closing'));
    await new Promise((resolve) => setImmediate(resolve));
    await store.close();
    expect(await big).toHaveLength(5000);
    const reopened = open(path);
    expect(await reopened.headPosition()).toBe(5000);
    await reopened.close();
  });
});

describe('SqliteEventStore writer thread', () => {
  it('when the writer thread stops, refuses every append (none acknowledged) and is no longer ready', async () => {
    const store = new SqliteEventStore(file(), { writer: 'worker' });
    await store.append('before', [sample('Opened')], 'no_stream');
    await store.ping();
    const thread = (store as unknown as { worker: { terminate(): Promise<number> } }).worker;
    const pending = store.append('pending', [sample('Opened')], 'no_stream');
    await thread.terminate();
    await expect(pending).rejects.toThrow();
    await expect(store.append('after', [sample('Opened')], 'no_stream')).rejects.toThrow(/writer thread stopped/);
    await expect(store.ping()).rejects.toThrow(/writer thread stopped/);
    // what was acknowledged is still there to read
    expect((await store.readStream('before')).map((e) => e.type)).toEqual(['Opened']);
    await store.close();
  });
});
