import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { eventStoreContract, sample } from './event-store.contract.js';
import { SqliteEventStore } from './sqlite.event-store.js';

const file = (): string => join(mkdtempSync(join(tmpdir(), 'es-')), 'events.sqlite');

eventStoreContract('sqlite', async () => new SqliteEventStore(file()));

describe('SqliteEventStore specifics', () => {
  it('keeps every acknowledged event across a reopen of the file', async () => {
    const path = file();
    const first = new SqliteEventStore(path);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => first.append(`s-${i % 5}`, [sample('Kept', { i })], 'any')));
    await first.close();
    const second = new SqliteEventStore(path);
    const all = await second.readAll({ after: 0, maxCount: 1000 });
    expect(all).toHaveLength(50);
    expect(new Set(all.map((e) => e.position))).toEqual(new Set(results.map((r) => r.position)));
    expect(await second.headPosition()).toBe(Math.max(...results.map((r) => r.position)));
    await second.close();
  });

  it('commits concurrent appends in one group and rejects only the one that conflicts', async () => {
    const store = new SqliteEventStore(file());
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
});
