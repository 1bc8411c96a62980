import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { eventStoreContract, sample } from '../event-store/event-store.contract.js';
import { SqliteEventStore } from '../event-store/sqlite.event-store.js';
import { readStoreContract } from '../read-store/read-store.contract.js';
import { SqliteReadStore } from '../read-store/sqlite.read-store.js';
import type { Doc } from '../read-store/read-store.port.js';
import { DataKeyStore } from './data-key-store.js';
import { EncryptingEventStore } from './encrypting.event-store.js';
import { EncryptingReadStore } from './encrypting.read-store.js';
import { ERASED, fieldKey, openBytes, sealBytes } from './field-cipher.js';
import { PersonalData, personalDataFor } from './personal-data.js';
import { KeyedHasher } from './keyed-hash.js';
import { PersonalDataFileSealer } from './file-sealer.js';
import { LocalFileStore } from '../files/local-file-store.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { type PersonalShape, openShapeLazily } from './personal-shape.js';

const folder = (): string => mkdtempSync(join(tmpdir(), 'pd-'));
const keyring = (current = randomBytes(32), previous: Buffer[] = []) => ({ current, previous });
const open = (dir = folder()): Promise<PersonalData> => personalDataFor({ dataDir: dir, keyring: keyring(), hasher: new KeyedHasher(randomBytes(32)) });
const bytesOf = (dir: string): Buffer => Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));

const SAVED: PersonalShape = { subject: ['recordId'], nested: { child: { fields: ['name', 'idNumber'], nested: { guardians: { fields: ['name', 'phone'] } } } } };
const shapes = new Map([['Saved.v1', SAVED]]);
const saved = (recordId: string, name: string, idNumber: string) =>
  ({ ...sample('Saved'), data: { recordId, child: { name, idNumber, gender: '1', guardians: [{ name: `${name}父`, phone: '13912345678' }] } } });

// encryption around the adapters keeps every promise of the ports
eventStoreContract('sqlite, encrypted', async () => {
  const dir = folder();
  return new EncryptingEventStore(new SqliteEventStore(join(dir, 'events.sqlite')), shapes, await open(dir));
});
readStoreContract('sqlite, encrypted', async () => {
  const dir = folder();
  return new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite')), await open(dir));
});

describe('SM4-CTR + HMAC-SM3 (encrypt-then-MAC)', () => {
  const key = fieldKey(randomBytes(32));
  it('opens what it sealed, and nothing that was changed, moved to another subject or sealed with another key', () => {
    const sealed = sealBytes(key, 'r1', Buffer.from('王小明'));
    expect(openBytes(key, 'r1', sealed)?.toString()).toBe('王小明');
    expect(sealBytes(key, 'r1', Buffer.from('王小明'))).not.toEqual(sealed);
    const flipped = Buffer.from(sealed);
    flipped[18] ^= 1;
    expect(openBytes(key, 'r1', flipped)).toBeNull();
    expect(openBytes(key, 'r2', sealed)).toBeNull();
    expect(openBytes(fieldKey(randomBytes(32)), 'r1', sealed)).toBeNull();
  });

  // the CTR keystream is computed from one SM4-ECB object per key: the stored format must stay OpenSSL's sm4-ctr
  it('is byte for byte OpenSSL sm4-ctr + HMAC-SM3, at every length and across a counter carry', () => {
    const raw = randomBytes(32);
    const own = fieldKey(raw);
    const reference = (iv: Buffer, plain: Buffer) => {
      const body = createCipheriv('sm4-ctr', raw.subarray(0, 16), iv).update(plain);
      const tag = createHmac('sm3', raw.subarray(16)).update('r1').update('\u0000').update(iv).update(body).digest().subarray(0, 16);
      return Buffer.concat([iv, body, tag]);
    };
    const carry = Buffer.from('00112233445566778899fffffffffffe', 'hex');
    for (let length = 0; length <= 100; length++) {
      const plain = randomBytes(length);
      for (const iv of [randomBytes(16), carry, Buffer.alloc(16, 0xff)]) expect(openBytes(own, 'r1', reference(iv, plain))).toEqual(plain);
      const sealed = sealBytes(own, 'r1', plain);
      expect(sealed).toEqual(reference(sealed.subarray(0, 16), plain));
    }
  });
});

describe('opening an event lazily', () => {
  it('opens a field when it is read, and shows every field to a spread or JSON', () => {
    const opened: string[] = [];
    const data = { recordId: 'r1', child: { name: 'pd1:r1:a', idNumber: 'pd1:r1:b', gender: '1' } };
    const lazy = openShapeLazily(data, SAVED, (v) => (opened.push(v), v.toUpperCase())) as typeof data;
    expect(opened).toEqual([]);
    expect(lazy.child.name).toBe('PD1:R1:A');
    expect(opened).toEqual(['pd1:r1:a']);
    expect(lazy.child.name).toBe('PD1:R1:A');
    expect(opened).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(lazy))).toEqual({ recordId: 'r1', child: { name: 'PD1:R1:A', idNumber: 'PD1:R1:B', gender: '1' } });
    expect(data.child.name).toBe('pd1:r1:a');
    lazy.child.idNumber = 'x';
    expect({ ...lazy.child }).toEqual({ name: 'PD1:R1:A', idNumber: 'x', gender: '1' });
  });
});

describe('data keys', () => {
  it('re-wraps every key under a new master key; the old one is not needed after', async () => {
    const dir = folder();
    const old = randomBytes(32);
    const first = new DataKeyStore(join(dir, 'keys.sqlite'), keyring(old));
    await first.ensure(['r1', 'r2']);
    const before = first.get('r1');
    first.close();
    const next = randomBytes(32);
    const rotating = new DataKeyStore(join(dir, 'keys.sqlite'), keyring(next, [old]));
    expect(rotating.rotate()).toEqual({ rewrapped: 2, total: 2 });
    expect(rotating.rotate()).toEqual({ rewrapped: 0, total: 2 });
    rotating.close();
    const after = new DataKeyStore(join(dir, 'keys.sqlite'), keyring(next));
    expect(after.get('r1')).toEqual(before);
    after.close();
    expect(() => new DataKeyStore(join(dir, 'keys.sqlite'), keyring(old)).get('r1')).toThrow(/not configured/);
  });

  it('a destroyed key reads as destroyed on every connection and is never made again', async () => {
    const dir = folder();
    const ring = keyring();
    const a = new DataKeyStore(join(dir, 'keys.sqlite'), ring);
    const b = new DataKeyStore(join(dir, 'keys.sqlite'), ring);
    await a.ensure(['r1']);
    b.refresh();
    expect(b.get('r1')).not.toBe('destroyed');
    a.destroy('r1', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    b.refresh();
    expect(b.get('r1')).toBe('destroyed');
    await b.ensure(['r1']);
    expect(b.get('r1')).toBe('destroyed');
    a.close();
    b.close();
  });
});

describe('encrypting event store', () => {
  it('stores sealed personal fields only, reads them back, and reads a shredded child as erased', async () => {
    const dir = folder();
    const pd = await open(dir);
    const store = new EncryptingEventStore(new SqliteEventStore(join(dir, 'events.sqlite')), shapes, pd);
    await store.append('record-r1', [saved('r1', '欧阳小雪', '410102202203150018')], 'no_stream');
    await store.append('record-r2', [saved('r2', '司马小云', '410102202204150016')], 'no_stream');
    const [r1] = await store.readStream('record-r1');
    expect(r1!.data).toEqual(saved('r1', '欧阳小雪', '410102202203150018').data);
    pd.keys.destroy('r1', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    const all = await store.readAll({ after: 0, maxCount: 10 });
    expect(all.map((e) => (e.data['child'] as { name: string }).name)).toEqual([ERASED, '司马小云']);
    expect((all[0]!.data['child'] as { guardians: Array<{ phone: string }> }).guardians[0]!.phone).toBe(ERASED);
    await store.close();
    const bytes = bytesOf(dir).toString('latin1');
    for (const secret of ['欧阳小雪', '司马小云', '410102202203150018', '13912345678']) expect(bytes).not.toContain(Buffer.from(secret).toString('latin1'));
  });

  it('forgets what it opened once another process destroyed the key (the value caches go with the keys)', async () => {
    const dir = folder();
    const ring = keyring();
    const mine = new PersonalData(new DataKeyStore(join(dir, 'keys.sqlite'), ring), new KeyedHasher(randomBytes(32)));
    const other = new DataKeyStore(join(dir, 'keys.sqlite'), ring);
    const sealed = await mine.seal({ recordId: 'r1', child: { name: '欧阳小雪' } }, SAVED);
    const read = () => (mine.openMany([sealed], () => SAVED)[0]!['child'] as { name: string }).name;
    expect(read()).toBe('欧阳小雪');
    other.destroy('r1', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    expect(read()).toBe(ERASED);
    // and sealing the same value again gives nothing readable
    expect(((await mine.seal({ recordId: 'r1', child: { name: '欧阳小雪' } }, SAVED))['child'] as { name: string }).name).toBe(ERASED);
    other.close();
    mine.keys.close();
  });
});

describe('encrypting read store', () => {
  const definition = { indexes: ['institutionCode', 'name', 'idNumber'], personal: { subject: ['id'], fields: ['name', 'idNumber', 'address'], search: ['name', 'idNumber'], prefix: { name: 3 } } };

  it('finds by equality, $in and a short prefix through keyed hashes, and returns plaintext', async () => {
    const dir = folder();
    const store = new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite')), await open(dir));
    await store.ensureCollection('children', definition);
    const doc = (id: string, name: string, idNumber: string | null) => ({ id, institutionCode: 'k1', name, idNumber, address: '郑州市中原区建设路 12 号' });
    await store.applyBatch('p', [
      { collection: 'children', id: 'a', doc: doc('a', '王小明', '410102202203150018'), position: 1 },
      { collection: 'children', id: 'b', doc: doc('b', '王晓明', null), position: 2 },
      { collection: 'children', id: 'c', doc: doc('c', '李四', '410102202204150016'), position: 3 },
    ], 3);
    const ids = async (filter: Record<string, unknown>) => (await store.find('children', filter as never)).items.map((d) => d.id).sort();
    expect(await ids({ idNumber: '410102202203150018' })).toEqual(['a']);
    expect(await ids({ idNumber: { $in: ['410102202204150016', '410102202203150018'] } })).toEqual(['a', 'c']);
    expect(await ids({ name: { $prefix: '王' } })).toEqual(['a', 'b']);
    expect(await ids({ name: { $prefix: '王小' } })).toEqual(['a']);
    expect(await ids({ name: { $prefix: '王小明' } })).toEqual(['a']);
    expect(await ids({ name: '李四' })).toEqual(['c']);
    expect(await store.count('children', { name: { $prefix: '王' } })).toBe(2);
    expect(await store.get('children', 'a')).toEqual({ ...doc('a', '王小明', '410102202203150018'), _pos: 1 });
    expect((await store.getStates('children', ['b'])).get('b')?.doc).toEqual(doc('b', '王晓明', null));
    await expect(store.find('children', { name: { $gt: '王' } })).rejects.toThrow(/personal data/);
    await store.close();
    const bytes = bytesOf(dir).toString('latin1');
    for (const secret of ['王小明', '410102202203150018', '建设路']) expect(bytes).not.toContain(Buffer.from(secret).toString('latin1'));
  });

  it('moves a personal collection\'s version when a data key is destroyed elsewhere (its documents then read as erased without a write)', async () => {
    const dir = folder();
    const ring = keyring();
    const pd = new PersonalData(new DataKeyStore(join(dir, 'keys.sqlite'), ring), new KeyedHasher(randomBytes(32)));
    const store = new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite')), pd);
    await store.ensureCollection('children', definition);
    await store.ensureCollection('classes', { indexes: [] });
    await store.applyBatch('p', [{ collection: 'children', id: 'a', doc: { id: 'a', institutionCode: 'k1', name: '王小明', idNumber: null, address: '建设路' }, position: 1 }], 1);
    const children = await store.collectionVersion('children');
    const classes = await store.collectionVersion('classes');
    // read (and so opened and kept in memory) before the key is destroyed elsewhere
    expect((await store.get('children', 'a'))?.['name']).toBe('王小明');
    expect((await store.find('children', {})).items[0]?.['address']).toBe('建设路');
    expect(await store.collectionVersion('children')).toEqual(children);
    const other = new DataKeyStore(join(dir, 'keys.sqlite'), ring);
    other.destroy('a', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    expect(await store.collectionVersion('children')).not.toEqual(children);
    expect((await store.get('children', 'a'))?.['name']).toBe(ERASED);
    expect((await store.find('children', {})).items[0]?.['address']).toBe(ERASED);
    // a collection without personal data reads the same as before
    expect(await store.collectionVersion('classes')).toEqual(classes);
    other.close();
    await store.close();
  });

  it('stores a document\'s personal values as one sealed value beside the keyed hashes, and still reads the older layout (a value sealed per field)', async () => {
    const dir = folder();
    const pd = await open(dir);
    const inner = new SqliteReadStore(join(dir, 'read.sqlite'));
    const store = new EncryptingReadStore(inner, pd);
    await store.ensureCollection('children', definition);
    const child = { id: 'a', institutionCode: 'k1', name: '王小明', idNumber: null, address: '郑州市中原区建设路 12 号' };
    await store.applyBatch('p', [{ collection: 'children', id: 'a', doc: child, position: 1 }], 1);
    const stored = (await inner.get('children', 'a'))!;
    const sealed = Object.values(stored).filter((v) => typeof v === 'string' && v.startsWith('pd1:'));
    expect(sealed).toHaveLength(1);
    // what is not anyone's personal data stays findable as it is: a null ID number is stored as null
    expect(stored).toMatchObject({ institutionCode: 'k1', idNumber: null, name: pd.searchToken('search:name', '王小明') });
    expect(stored).not.toHaveProperty('address');
    // the older layout: the address sealed in place, the searched values sealed one by one in an object
    await pd.keys.ensure(['b']);
    const older = {
      id: 'b', institutionCode: 'k1', name: pd.searchToken('search:name', '李四'), idNumber: pd.searchToken('search:idNumber', '410102202204150016'),
      name_p1: pd.searchToken('search-prefix:name', '李'), name_p2: pd.searchToken('search-prefix:name', '李四'), name_p3: null,
      address: pd.sealOne('b', '建设路 1 号'), _pd: { name: pd.sealOne('b', '李四'), idNumber: pd.sealOne('b', '410102202204150016') },
    };
    await inner.applyBatch('p', [{ collection: 'children', id: 'b', doc: older, position: 2 }], 2);
    expect(await store.get('children', 'b')).toEqual({ id: 'b', institutionCode: 'k1', name: '李四', idNumber: '410102202204150016', address: '建设路 1 号', _pos: 2 });
    expect((await store.find('children', { name: { $prefix: '李' } })).items.map((d) => d.id)).toEqual(['b']);
    expect(await store.get('children', 'a')).toEqual({ ...child, _pos: 1 });
    // erased: the one sealed value of each layout reads as erased in every personal field that held a value
    pd.keys.destroy('a', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    pd.keys.destroy('b', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    expect(await store.get('children', 'a')).toMatchObject({ name: ERASED, idNumber: null, address: ERASED });
    expect(await store.get('children', 'b')).toMatchObject({ name: ERASED, idNumber: ERASED, address: ERASED });
    await store.close();
  });

  it('writes back what a projection read unchanged as it was stored (no new seal), anything changed anew, and nothing from memory once the key is destroyed', async () => {
    const dir = folder();
    const ring = keyring();
    const hasher = new KeyedHasher(randomBytes(32));
    const writer = new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite')), new PersonalData(new DataKeyStore(join(dir, 'keys.sqlite'), ring), hasher).retain());
    await writer.ensureCollection('children', definition);
    await writer.applyBatch('p', [{ collection: 'children', id: 'a', doc: { id: 'a', institutionCode: 'k1', status: 'saved', name: '王小明', idNumber: '410102202203150018', address: '建设路' }, position: 1 }], 1);
    await writer.close();
    // another process (nothing of the first write in its memory) reads and writes
    const pd = new PersonalData(new DataKeyStore(join(dir, 'keys.sqlite'), ring), hasher).retain();
    const inner = new SqliteReadStore(join(dir, 'read.sqlite'));
    const store = new EncryptingReadStore(inner, pd);
    await store.ensureCollection('children', definition);
    const write = (doc: Doc, position: number) => store.applyBatch('p', [{ collection: 'children', id: doc.id, doc, position }], position);
    const first = (await inner.get('children', 'a'))!;
    // a status move: the personal values as read, so the same sealed value and hashes
    const read = (await store.getStates('children', ['a'])).get('a')!.doc!;
    await write({ ...read, status: 'submitted' }, 2);
    const second = (await inner.get('children', 'a'))!;
    expect(second['status']).toBe('submitted');
    expect(second['_pd']).toBe(first['_pd']);
    expect(second['name_p2']).toBe(first['name_p2']);
    // a new name: sealed anew and hashed anew, found by the new name only
    const again = (await store.getStates('children', ['a'])).get('a')!.doc!;
    await write({ ...again, name: '李小明' }, 3);
    const third = (await inner.get('children', 'a'))!;
    expect(third['_pd']).not.toBe(first['_pd']);
    expect(third['idNumber']).toBe(first['idNumber']);
    expect((await store.find('children', { name: { $prefix: '王' } })).items).toHaveLength(0);
    expect(await store.get('children', 'a')).toMatchObject({ name: '李小明', idNumber: '410102202203150018', address: '建设路', status: 'submitted' });
    // read, then the key destroyed before the write: nothing read under it is written back
    const last = (await store.getStates('children', ['a'])).get('a')!.doc!;
    pd.keys.destroy('a', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    await write({ ...last, status: 'numbered' }, 4);
    expect((await inner.get('children', 'a'))!['_pd']).toBe(ERASED);
    expect(await store.get('children', 'a')).toMatchObject({ name: ERASED, address: ERASED, status: 'numbered' });
    await store.close();
  });

  it('reads back what it just sealed without opening it, until a data key may have been destroyed', async () => {
    const dir = folder();
    const ring = keyring();
    const pd = new PersonalData(new DataKeyStore(join(dir, 'keys.sqlite'), ring), new KeyedHasher(randomBytes(32))).retain();
    const store = new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite')), pd);
    await store.ensureCollection('children', definition);
    const child = { id: 'a', institutionCode: 'k1', name: '王小明', idNumber: '410102202203150018', address: '建设路' };
    await store.applyBatch('p', [{ collection: 'children', id: 'a', doc: child, position: 1 }], 1);
    let opened = 0;
    const openMany = pd.openMany.bind(pd);
    pd.openMany = ((...args: Parameters<typeof openMany>) => {
      opened += args[0].length;
      return openMany(...args);
    }) as typeof pd.openMany;
    expect((await store.getStates('children', ['a'])).get('a')!.doc).toEqual(child);
    expect(await store.get('children', 'a')).toEqual({ ...child, _pos: 1 });
    expect(opened).toBe(0);
    // the values kept are not the written document's: changing it afterwards changes nothing read
    child.name = '李四';
    expect(await store.get('children', 'a')).toMatchObject({ name: '王小明' });
    // another connection destroys the key: the next read opens the stored value, and finds it erased
    const other = new DataKeyStore(join(dir, 'keys.sqlite'), ring);
    other.destroy('a', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    other.close();
    expect(await store.get('children', 'a')).toMatchObject({ name: ERASED, idNumber: ERASED, address: ERASED });
    expect(opened).toBe(1);
    await store.close();
  });

  it('seals and hashes from the first write of a rebuild, which creates its indexes last', async () => {
    const dir = folder();
    const store = new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite')), await open(dir));
    await store.ensureCollection('children', { indexes: [], personal: definition.personal });
    await store.applyBatch('p', [{ collection: 'children', id: 'a', doc: { id: 'a', institutionCode: 'k1', name: '王小明', idNumber: '410102202203150018', address: '建设路' }, position: 1 }], 1);
    await store.ensureCollection('children', definition);
    expect((await store.find('children', { name: { $prefix: '王小' } })).items.map((d) => d.id)).toEqual(['a']);
    await store.close();
    expect(bytesOf(dir).includes(Buffer.from('王小明'))).toBe(false);
    // an index over a personal field that is not searched by hash is a mistake, refused at once
    await expect(new EncryptingReadStore(new SqliteReadStore(join(folder(), 'r.sqlite')), await open()).ensureCollection('x', { indexes: ['name'], personal: { subject: ['id'], fields: ['name'] } })).rejects.toThrow(/must be in search/);
  });
});

describe('sealed files', () => {
  const filesOf = (root: string): Buffer => Buffer.concat(readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name))));

  it('keeps evidence sealed on disk under its plaintext sha256, unreadable once its child is erased', async () => {
    const dir = folder();
    const pd = await open(dir);
    const files = new LocalFileStore(join(dir, 'files'), { sealer: new PersonalDataFileSealer(pd) });
    const proof = Buffer.from('诊断证明：欧阳小雪 410102202203150018');
    const { sha256 } = await files.put(proof, 'r1');
    expect(sha256).toBe(createHash('sha256').update(proof).digest('hex'));
    const other = await files.put(Buffer.from('导出：司马小云'));
    expect(await files.read(sha256, 'r1')).toEqual(proof);
    expect(await files.read(other.sha256)).toEqual(Buffer.from('导出：司马小云'));
    for (const secret of ['欧阳小雪', '410102202203150018', '司马小云']) expect(filesOf(join(dir, 'files')).includes(Buffer.from(secret))).toBe(false);
    // a file written before encryption is still read (and checked) as it is
    const legacy = Buffer.from('旧材料');
    const legacySha = createHash('sha256').update(legacy).digest('hex');
    mkdirSync(join(dir, 'files', legacySha.slice(0, 2)), { recursive: true });
    writeFileSync(join(dir, 'files', legacySha.slice(0, 2), legacySha), legacy);
    expect(await files.read(legacySha)).toEqual(legacy);
    // a changed byte is refused, never passed on
    const path = join(dir, 'files', other.sha256.slice(0, 2), other.sha256);
    const tampered = readFileSync(path);
    tampered[tampered.length - 20] ^= 1;
    writeFileSync(path, tampered);
    await expect(files.read(other.sha256)).rejects.toThrow(/integrity/);
    pd.keys.destroy('r1', '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    expect(await files.read(sha256, 'r1')).toBeNull();
    await files.close();
    pd.release();
  });

  it('keeps one sealed copy per child a file is about: erasing one child leaves the other child\'s copy readable, and only that', async () => {
    const dir = folder();
    const pd = await open(dir);
    const files = new LocalFileStore(join(dir, 'files'), { sealer: new PersonalDataFileSealer(pd) });
    const shared = Buffer.from('两名幼儿的同一份证明：东方小雨、南宫小雷');
    const first = await files.put(shared, 'r-first');
    const second = await files.put(shared, 'r-second');
    expect(second.sha256).toBe(first.sha256);
    expect(readdirSync(join(dir, 'files', first.sha256.slice(0, 2))).sort()).toEqual([`${first.sha256}.r-first`, `${first.sha256}.r-second`]);
    pd.keys.destroy('r-second', '2026-09-05T02:00:00.000Z', 'admin', '保存期满');
    expect(await files.read(first.sha256, 'r-second')).toBeNull();
    expect(await files.read(first.sha256, 'r-first')).toEqual(shared);
    pd.keys.destroy('r-first', '2026-09-05T03:00:00.000Z', 'admin', '保存期满');
    expect(await files.read(first.sha256, 'r-first')).toBeNull();
    // a name that could leave the folder is no owner
    expect(await files.read(first.sha256, '../r-first')).toBeNull();
    await files.close();
    pd.release();
  });
});
