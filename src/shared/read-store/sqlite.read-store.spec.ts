import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readStoreContract } from './read-store.contract.js';
import { SqliteReadStore } from './sqlite.read-store.js';

const file = (): string => join(mkdtempSync(join(tmpdir(), 'rs-')), 'read.sqlite');

readStoreContract('sqlite', async () => new SqliteReadStore(file()));

describe('SqliteReadStore specifics', () => {
  it('remembers collections and their indexes across a reopen', async () => {
    const path = file();
    const first = new SqliteReadStore(path);
    await first.ensureCollection('roster', { indexes: ['classId'] });
    await first.applyBatch('p', [{ collection: 'roster', id: 'x', doc: { id: 'x', classId: 'c1' }, position: 3 }], 3);
    await first.close();
    const second = new SqliteReadStore(path);
    expect((await second.find('roster', { classId: 'c1' })).items).toEqual([{ id: 'x', classId: 'c1' }]);
    expect(await second.getCheckpoint('p')).toBe(3);
    await second.close();
  });

  it('filters on booleans and refuses unsafe names', async () => {
    const store = new SqliteReadStore(file());
    await store.ensureCollection('kids', { indexes: ['leftBehind'] });
    await store.applyBatch('p', [
      { collection: 'kids', id: 'a', doc: { id: 'a', leftBehind: true }, position: 1 },
      { collection: 'kids', id: 'b', doc: { id: 'b', leftBehind: false }, position: 2 },
    ], 2);
    expect(await store.count('kids', { leftBehind: true })).toBe(1);
    await expect(store.ensureCollection('x; DROP TABLE y', { indexes: [] })).rejects.toThrow(/not allowed/);
    await expect(store.ensureCollection('ok', { indexes: ["a') --"] })).rejects.toThrow(/not allowed/);
    await store.close();
  });
});
