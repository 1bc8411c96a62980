import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from '@jest/globals';
import { sample } from './event-store.contract.js';
import { verifyEventChain } from './event-chain.js';
import { SqliteEventStore } from './sqlite.event-store.js';

const file = (): string => join(mkdtempSync(join(tmpdir(), 'chain-')), 'events.sqlite');

describe('hash chain of the embedded log (tamper evidence)', () => {
  it('links every event, also across groups, a refused appendMany and a reopen', async () => {
    const path = file();
    const store = new SqliteEventStore(path);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(`s-${i % 4}`, [sample('Kept', { i })], 'any')));
    await expect(store.appendMany([{ streamId: 'new', events: [sample('A')], expected: 'no_stream' }, { streamId: 's-0', events: [sample('B')], expected: 0 }])).rejects.toThrow();
    await store.append('after', [sample('C')], 'no_stream');
    await store.close();
    const reopened = new SqliteEventStore(path);
    await reopened.append('after', [sample('D')], 0);
    await reopened.close();
    expect(verifyEventChain(path)).toMatchObject({ checked: 22, broken: null });
  });

  it('finds the first event edited behind the store’s back, and a deleted one', async () => {
    const path = file();
    const store = new SqliteEventStore(path);
    for (let i = 0; i < 10; i++) await store.append('s', [sample('Kept', { i })], 'any');
    await store.close();
    const db = new Database(path);
    db.prepare("UPDATE events SET data = json_set(data, '$.i', 99) WHERE position = 4").run();
    db.prepare('DELETE FROM events WHERE position = 7').run();
    db.close();
    expect(verifyEventChain(path)).toMatchObject({ checked: 3, broken: { position: 4, streamId: 's', revision: 3 } });
    const fixed = new Database(path);
    fixed.prepare("UPDATE events SET data = json_set(data, '$.i', 3) WHERE position = 4").run();
    fixed.close();
    // the gap left by the deleted event breaks the link of the one after it
    expect(verifyEventChain(path).broken).toMatchObject({ position: 8 });
  });

  it('chains an existing log written before the chain, once, when it is opened', async () => {
    const path = file();
    const old = new Database(path);
    old.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL,
      data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL)`);
    const insert = old.prepare('INSERT INTO events (stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 5; i++) insert.run('old', i, 'Kept', JSON.stringify({ i }), JSON.stringify(sample('Kept').metadata), '2026-09-01T00:00:00.000Z');
    old.close();
    const store = new SqliteEventStore(path);
    await store.append('old', [sample('Kept', { i: 5 })], 4);
    expect((await store.readStream('old')).map((e) => e.data['i'])).toEqual([0, 1, 2, 3, 4, 5]);
    await store.close();
    expect(verifyEventChain(path)).toMatchObject({ checked: 6, broken: null });
  });
});
