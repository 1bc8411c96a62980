import { randomUUID } from 'node:crypto';
import { expect, it, describe, beforeAll, afterAll, beforeEach } from '@jest/globals';
import type { Doc, DocWrite, ReadStore } from './read-store.port.js';

/** One contract suite, run against every read-store adapter. */
export function readStoreContract(name: string, open: () => Promise<ReadStore>): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;
    let col: string;
    const projection = () => `proj_${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    // a fresh collection per test keeps the cases independent, also on a shared server
    beforeEach(async () => {
      col = `c_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      await store.ensureCollection(col, { indexes: ['county', 'state', 'name', 'age'] });
    });

    it('creates a collection idempotently', async () => {
      await store.ensureCollection(col, { indexes: ['county', 'state', 'name', 'age'] });
      expect(await store.count(col, {})).toBe(0);
    });

    const put = (id: string, doc: Omit<Doc, 'id'>, position: number): DocWrite => ({ collection: col, id, doc: { id, ...doc }, position });

    it('upserts in a batch, gets by id with its position, and moves the checkpoint', async () => {
      const p = projection();
      expect(await store.getCheckpoint(p)).toBeNull();
      await store.applyBatch(p, [put('a', { county: '410102', state: 'saved', name: '张三', age: 4 }, 10)], 10);
      expect(await store.get(col, 'a')).toEqual({ id: 'a', county: '410102', state: 'saved', name: '张三', age: 4, _pos: 10 });
      expect(await store.getCheckpoint(p)).toBe(10);
      expect(await store.get(col, 'missing')).toBeNull();
      const many = await store.getMany(col, ['a', 'missing']);
      expect([...many.keys()]).toEqual(['a']);
      const listed = await store.listCheckpoints();
      expect(listed.find((c) => c.projection === p)?.position).toBe(10);
    });

    it('ignores a write whose position is not newer than the stored document (replay)', async () => {
      const p = projection();
      await store.applyBatch(p, [put('r', { state: 'approved', age: 5 }, 20)], 20);
      await store.applyBatch(p, [put('r', { state: 'saved', age: 5 }, 15)], 20);
      await store.applyBatch(p, [put('r', { state: 'saved', age: 5 }, 20)], 20);
      expect(await store.get(col, 'r')).toMatchObject({ state: 'approved', _pos: 20 });
      await store.applyBatch(p, [put('r', { state: 'numbered', age: 5 }, 21)], 21);
      expect(await store.get(col, 'r')).toMatchObject({ state: 'numbered', _pos: 21 });
    });

    it('deletes, and a replayed older write does not bring a deleted document back', async () => {
      const p = projection();
      await store.applyBatch(p, [put('d', { state: 'saved' }, 30)], 30);
      await store.applyBatch(p, [{ collection: col, id: 'd', doc: null, position: 31 }], 31);
      expect(await store.get(col, 'd')).toBeNull();
      await store.applyBatch(p, [put('d', { state: 'saved' }, 30)], 31);
      expect(await store.get(col, 'd')).toBeNull();
      expect(await store.count(col, { state: 'saved' })).toBe(0);
      const states = await store.getStates(col, ['d', 'never']);
      expect(states.get('d')).toEqual({ doc: null, pos: 31 });
      expect(states.has('never')).toBe(false);
    });

    it('finds by indexed fields with equality, $in, ranges and prefixes, and counts', async () => {
      const p = projection();
      const writes: DocWrite[] = [];
      for (let i = 0; i < 20; i++) {
        writes.push(put(`f${String(i).padStart(2, '0')}`, { county: i % 2 ? '410102' : '410103', state: i % 3 ? 'saved' : 'submitted', name: `n${i}`, age: i }, 100 + i));
      }
      await store.applyBatch(p, writes, 119);
      expect(await store.count(col, { county: '410102' })).toBe(10);
      expect(await store.count(col, { county: '410102', state: 'submitted' })).toBe(3);
      expect(await store.count(col, { state: { $in: ['saved', 'submitted'] } })).toBe(20);
      expect(await store.count(col, { age: { $gte: 5, $lt: 10 } })).toBe(5);
      expect(await store.count(col, { county: { $prefix: '4101' } })).toBe(20);
      expect(await store.count(col, { county: { $prefix: '41010' } })).toBe(20);
      expect(await store.count(col, { county: { $prefix: '410103' } })).toBe(10);
      expect(await store.count(col, { county: { $prefix: '4102' } })).toBe(0);
      expect(await store.count(col, { county: { $prefix: '41_%' } })).toBe(0);
      const page = await store.find(col, { county: '410103' }, { sort: [['age', 'desc']], limit: 3 });
      expect(page.items.map((d) => d['age'])).toEqual([18, 16, 14]);
      expect(page.items[0]).not.toHaveProperty('_pos');
    });

    it('pages with a cursor through a sort with ties, without gaps or repeats', async () => {
      const p = projection();
      const writes: DocWrite[] = [];
      for (let i = 0; i < 23; i++) writes.push(put(`p${String(i).padStart(2, '0')}`, { state: 'queued', age: i % 4, name: `x${i}` }, 200 + i));
      await store.applyBatch(p, writes, 222);
      for (const direction of ['asc', 'desc'] as const) {
        const ids: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.find(col, { state: 'queued' }, { sort: [['age', direction]], limit: 5, ...(cursor ? { cursor } : {}) });
          ids.push(...page.items.map((d) => d.id));
          cursor = page.nextCursor ?? undefined;
          pages++;
        } while (cursor);
        expect(pages).toBe(5);
        expect(new Set(ids).size).toBe(23);
        const ages = ids.map((id) => Number(id.slice(1)) % 4);
        const sorted = [...ages].sort((a, b) => (direction === 'asc' ? a - b : b - a));
        expect(ages).toEqual(sorted);
      }
    });

    it('serves a queue through a compound index (added to an existing collection): same answers, pages in order; a field not indexed is refused', async () => {
      const p = projection();
      const writes: DocWrite[] = [];
      for (let i = 0; i < 30; i++) writes.push(put(`q${String(i).padStart(2, '0')}`, { county: i % 2 ? '410102' : '410103', state: i % 3 ? 'queued' : 'done', age: 30 - i, name: `n${i}` }, 300 + i));
      await store.applyBatch(p, writes, 329);
      await store.ensureCollection(col, { indexes: ['county', 'state', 'name', 'age'], compound: [['county', 'state', 'age']] });
      const expected = writes.map((w) => w.doc!).filter((d) => d['county'] === '410102' && d['state'] === 'queued').sort((a, b) => Number(a['age']) - Number(b['age'])).map((d) => d.id);
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.find(col, { county: '410102', state: 'queued' }, { sort: [['age', 'asc']], limit: 4, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((d) => d.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(ids).toEqual(expected);
      // the leading field alone is still a filter
      expect(await store.count(col, { county: '410103' })).toBe(15);
      await expect(store.ensureCollection(col, { indexes: ['county'], compound: [['county', 'guardian']] })).rejects.toThrow(/not in indexes/);
    });

    it('refuses filters and sorts on fields that are not indexed', async () => {
      await expect(store.find(col, { guardian: 'x' })).rejects.toThrow(/not indexed/);
      await expect(store.find(col, {}, { sort: [['guardian', 'asc']] })).rejects.toThrow(/not indexed/);
    });

    it('deletes a checkpoint and drops a collection', async () => {
      const p = projection();
      await store.applyBatch(p, [], 5);
      await store.deleteCheckpoint(p);
      expect(await store.getCheckpoint(p)).toBeNull();
      await store.dropCollection(col);
      await store.ensureCollection(col, { indexes: ['state'] });
      expect(await store.count(col, {})).toBe(0);
    });

    // optional: a store without versions caches nothing, so there is nothing to check
    it('moves a collection\'s version with each batch that writes it (and a drop), not with another collection\'s writes', async () => {
      if (!store.collectionVersion) return;
      const other = `${col}_o`;
      await store.ensureCollection(other, { indexes: ['state'] });
      const p = projection();
      const first = await store.collectionVersion(col);
      const otherFirst = await store.collectionVersion(other);
      await store.applyBatch(p, [put('a', { state: 'saved' }, 1)], 1);
      const second = await store.collectionVersion(col);
      expect(second).not.toEqual(first);
      expect(await store.collectionVersion(other)).toEqual(otherFirst);
      expect(await store.collectionVersion(col)).toEqual(second);
      // a deletion is a write as well
      await store.applyBatch(p, [{ collection: col, id: 'a', doc: null, position: 2 }], 2);
      const third = await store.collectionVersion(col);
      expect([first, second]).not.toContain(third);
      // a checkpoint alone writes no document
      await store.applyBatch(p, [], 3);
      expect(await store.collectionVersion(col)).toEqual(third);
      // a dropped and recreated collection never shows an earlier version again
      await store.dropCollection(col);
      await store.ensureCollection(col, { indexes: ['state'] });
      expect([first, second, third]).not.toContain(await store.collectionVersion(col));
      await store.dropCollection(other);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
