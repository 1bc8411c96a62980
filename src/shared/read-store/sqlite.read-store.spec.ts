import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
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

  it('keeps each collection\'s version in the file: moved by another connection\'s writes, monotonic, and kept across a reopen', async () => {
    const path = file();
    const reader = new SqliteReadStore(path, { checkpointsWal: false });
    const writer = new SqliteReadStore(path);
    await writer.ensureCollection('classes', { indexes: [] });
    await writer.ensureCollection('children', { indexes: ['classId'] });
    const version = async (store: SqliteReadStore, c: string) => Number(await store.collectionVersion(c));
    expect(await version(reader, 'children')).toBe(0);
    await writer.applyBatch('p', [
      { collection: 'children', id: 'a', doc: { id: 'a', classId: 'c1' }, position: 1 },
      { collection: 'children', id: 'b', doc: { id: 'b', classId: 'c1' }, position: 2 },
    ], 2);
    // one batch, one step, seen at once on the other connection; the other collection is untouched
    expect(await version(reader, 'children')).toBe(1);
    expect(await version(reader, 'classes')).toBe(0);
    await writer.applyBatch('p', [{ collection: 'classes', id: 'c1', doc: { id: 'c1' }, position: 3 }, { collection: 'children', id: 'a', doc: null, position: 3 }], 3);
    expect(await version(reader, 'children')).toBe(2);
    expect(await version(reader, 'classes')).toBe(1);
    // a replayed (older) write changes no document, but the version may only ever grow
    await writer.applyBatch('p', [{ collection: 'children', id: 'b', doc: { id: 'b', classId: 'c1' }, position: 2 }], 3);
    expect(await version(reader, 'children')).toBeGreaterThanOrEqual(2);
    const before = await version(reader, 'children');
    await writer.close();
    await reader.close();
    const reopened = new SqliteReadStore(path);
    expect(await version(reopened, 'children')).toBe(before);
    // a rebuild drops the collection: its version goes on from where it was, never back to 0
    await reopened.dropCollection('children');
    await reopened.ensureCollection('children', { indexes: ['classId'] });
    expect(await version(reopened, 'children')).toBe(before + 1);
    await reopened.close();
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

  it('a queue query reads its page from the compound index, without sorting the matches (no statistics needed)', async () => {
    const path = file();
    const store = new SqliteReadStore(path);
    await store.ensureCollection('records', { indexes: ['institutionCode', 'status', 'updatedAt', 'divisionCode'], compound: [['institutionCode', 'status', 'updatedAt']] });
    const writes = Array.from({ length: 2000 }, (_, i) => ({ collection: 'records', id: `r${i}`, doc: { id: `r${i}`, institutionCode: `11410100${String(i % 40).padStart(2, '0')}`, status: i % 5 ? 'numbered' : 'dedupe-passed', updatedAt: new Date(1e12 + i).toISOString(), divisionCode: '410102' }, position: i + 1 }));
    await store.applyBatch('p', writes, 2000);
    await store.find('records', { institutionCode: '1141010001', status: 'dedupe-passed' }, { sort: [['updatedAt', 'asc']], limit: 50 });
    await store.close();
    const db = new Database(path, { readonly: true });
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM doc_records WHERE doc IS NOT NULL AND f_institutionCode = ? AND f_status = ? ORDER BY f_updatedAt ASC, id ASC LIMIT 51`).all('1141010001', 'dedupe-passed') as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join(' | ');
    expect(details).toMatch(/USING INDEX doc_records_c_f_institutionCode_f_status_f_updatedAt/);
    expect(details).not.toMatch(/TEMP B-TREE/);
    // the single index of a field leading a compound one is not kept (one index less per write)
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'doc_records'`).pluck().all() as string[]).sort();
    expect(indexes).not.toContain('doc_records_f_institutionCode');
    expect(indexes).toContain('doc_records_f_status');
    db.close();
  });
});
