import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../config/app-config.js';
import { ERASED } from '../personal-data/field-cipher.js';
import { readStoreContract } from '../read-store/read-store.contract.js';
import { InvalidQueryError } from '../read-store/read-store.port.js';
import { ReaderThreadsReadStore } from '../read-store/reader-threads.read-store.js';
import { openPersonalData, openReadStore } from './store-factory.js';
import { compiledWorkerScript } from './worker-script.js';

// the compiled thread entry (npm test builds first)
const script = compiledWorkerScript(import.meta.url, './reader-thread.worker.js');
if (!script) throw new Error('reader-thread.worker.js is not built: run npm run build');
const quiet = { error: () => undefined };

const configFor = (encryption: 'on' | 'off') => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'rt-')), PERSONAL_DATA_ENCRYPTION: encryption });

async function pool(encryption: 'on' | 'off', threads = 2): Promise<ReaderThreadsReadStore> {
  const config = configFor(encryption);
  const store = new ReaderThreadsReadStore(await openReadStore(config), script!, { config }, threads, quiet);
  await store.ready();
  return store;
}

// queries answered by the threads keep every promise of the port
readStoreContract('sqlite, queries on reader threads', () => pool('off'));
readStoreContract('sqlite, encrypted, queries on reader threads', () => pool('on'));

describe('reader threads', () => {
  const definition = { indexes: ['institutionCode', 'name'], personal: { subject: ['id'], fields: ['name', 'address'], search: ['name'] } };
  const child = (id: string, name: string) => ({ id, institutionCode: 'k1', name, address: '郑州市中原区建设路 12 号' });

  it('answers from the threads what the local connection just committed, opened, and a refused query as the same error', async () => {
    const store = await pool('on');
    await store.ensureCollection('children', definition);
    await store.applyBatch('p', [{ collection: 'children', id: 'a', doc: child('a', '王小明'), position: 1 }], 1);
    // many at once: both threads answer, each after the commit
    const pages = await Promise.all(Array.from({ length: 20 }, () => store.find('children', { name: '王小明' })));
    for (const page of pages) expect(page.items).toEqual([child('a', '王小明')]);
    await store.applyBatch('p', [{ collection: 'children', id: 'b', doc: child('b', '李四'), position: 2 }], 2);
    expect(await store.count('children', { institutionCode: 'k1' })).toBe(2);
    expect((await store.getMany('children', ['a', 'b', 'x'])).get('b')).toEqual({ ...child('b', '李四'), _pos: 2 });
    await expect(store.find('children', { name: { $gt: '王' } })).rejects.toThrow(InvalidQueryError);
    await expect(store.find('children', { address: 'x' })).rejects.toThrow(InvalidQueryError);
    await store.close();
  });

  it('reads a child whose data key was destroyed elsewhere as erased, also what a thread had opened before', async () => {
    const config = configFor('on');
    const store = new ReaderThreadsReadStore(await openReadStore(config), script!, { config }, 1, quiet);
    await store.ensureCollection('children', definition);
    await store.applyBatch('p', [{ collection: 'children', id: 'a', doc: child('a', '王小明'), position: 1 }], 1);
    expect((await store.get('children', 'a'))?.['name']).toBe('王小明');
    const shredder = await openPersonalData(config);
    shredder.keys.destroy('a', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    shredder.release();
    expect(await store.get('children', 'a')).toMatchObject({ name: ERASED, address: ERASED });
    expect((await store.find('children', {})).items[0]).toMatchObject({ name: ERASED });
    await store.close();
  });

  it('answers the queries in flight of a thread that dies on the request thread, and the next ones too until another thread, told every collection, is up', async () => {
    const store = await pool('off', 1);
    await store.ensureCollection('children', { indexes: ['institutionCode'] });
    await store.applyBatch('p', [{ collection: 'children', id: 'a', doc: { id: 'a', institutionCode: 'k1' }, position: 1 }], 1);
    const readers = (store as unknown as { readers: Array<{ worker: { terminate(): Promise<number> }; alive: boolean }> }).readers;
    const terminated = readers[0]!.worker.terminate();
    const dying = store.count('children', {});
    await terminated;
    expect(await dying).toBe(1);
    expect(store.threads).toBe(0);
    expect(await store.count('children', { institutionCode: 'k1' })).toBe(1);
    // the replacement comes after a pause, told of every collection before any query
    const started = Date.now();
    while (store.threads === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(store.threads).toBe(1);
    expect((await store.find('children', { institutionCode: 'k1' })).items.map((d) => d.id)).toEqual(['a']);
    await store.close();
  });
});
