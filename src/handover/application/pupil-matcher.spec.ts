import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RECORDS_READ_MODEL } from '../../records/contracts/index.js';
import { EncryptingReadStore } from '../../shared/personal-data/encrypting.read-store.js';
import { KeyedHasher } from '../../shared/personal-data/keyed-hash.js';
import { personalDataFor } from '../../shared/personal-data/personal-data.js';
import type { CollectionDefinition, ReadStore } from '../../shared/read-store/read-store.port.js';
import { SqliteReadStore } from '../../shared/read-store/sqlite.read-store.js';
import { PupilMatcher } from './pupil-matcher.js';

// the indexes the matcher reads of the records projection's collection, sealed as the records projection declares it
const RECORDS: CollectionDefinition = {
  indexes: ['idNumber', 'name', 'status'],
  personal: { subject: ['id'], fields: ['name', 'idNumber', 'presenceKey', 'recordNumber'], search: ['name', 'idNumber', 'presenceKey', 'recordNumber'], prefix: { name: 3 } },
};
const plain = async (dir: string): Promise<ReadStore> => new SqliteReadStore(join(dir, 'read.sqlite'));
const encrypted = async (dir: string): Promise<ReadStore> =>
  new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite')), await personalDataFor({ dataDir: dir, keyring: { current: randomBytes(32), previous: [] }, hasher: new KeyedHasher(randomBytes(32)) }));
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const record = (n: number, fields: Record<string, unknown>) => ({ id: id(n), institutionCode: '1141010001', divisionCode: '410102', status: 'numbered', recordNumber: `G${String(fields['idNumber'] ?? n)}`, idType: '1', ...fields });

describe.each([['plain', plain], ['encrypted at rest', encrypted]])('matching new pupils against the records read model (issue 16), %s', (kind, openStore) => {
  const dir = mkdtempSync(join(tmpdir(), 'pupil-matcher-'));
  let reads: ReadStore;
  let matcher: PupilMatcher;
  beforeAll(async () => {
    reads = await openStore(dir);
    matcher = new PupilMatcher(reads);
    await reads.ensureCollection(RECORDS_READ_MODEL, RECORDS);
    const docs = [
      record(1, { name: '王小明', gender: '1', birthDate: '2021-03-15', idNumber: '410102202103150014' }),
      record(2, { name: '李小红', gender: '2', birthDate: '2021-04-01', idNumber: '410102202104010022' }),
      // two records of one ID number with the same key fields (a duplicate case): a person must choose
      record(3, { name: '赵小刚', gender: '1', birthDate: '2021-05-01', idNumber: '410102202105010031' }),
      record(4, { name: '赵小刚', gender: '1', birthDate: '2021-05-01', idNumber: '410102202105010031' }),
      // without an ID number: found by name, gender and birth date
      record(5, { name: '孙小美', gender: '2', birthDate: '2021-06-01', idType: 'Z', idNumber: null, recordNumber: 'J41010220210601001' }),
      // saved, not a 学籍 yet: never a match
      record(6, { name: '周小安', gender: '1', birthDate: '2021-07-01', idNumber: '410102202107010019', status: 'saved', recordNumber: null }),
    ];
    await reads.applyBatch('records@v1', docs.map((doc, i) => ({ collection: RECORDS_READ_MODEL, id: doc.id, doc, position: i + 1 })), docs.length);
  });
  afterAll(async () => {
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tells matched, to confirm and not found apart, exactly as the issue defines them', async () => {
    const matches = await matcher.match([
      { name: '王小明', gender: '1', birthDate: '2021-03-15', idType: '1', idNumber: '410102202103150014' },
      { name: '李晓红', gender: '2', birthDate: '2021-04-01', idType: '1', idNumber: '410102202104010022' },
      { name: '赵小刚', gender: '1', birthDate: '2021-05-01', idType: '1', idNumber: '410102202105010031' },
      { name: '孙小美', gender: '2', birthDate: '2021-06-01', idType: 'Z', idNumber: null },
      { name: '孙小美', gender: '2', birthDate: '2021-06-02', idType: 'Z', idNumber: null },
      { name: '周小安', gender: '1', birthDate: '2021-07-01', idType: '1', idNumber: '410102202107010019' },
      { name: '王小明', gender: '1', birthDate: '2021-03-15', idType: '1', idNumber: '410102202103150030' },
    ]);
    expect(matches).toEqual([
      { outcome: 'matched', recordId: id(1), candidates: [], basis: 'id-and-key' },
      { outcome: 'to-confirm', recordId: null, candidates: [id(2)], basis: 'id-only' },
      { outcome: 'to-confirm', recordId: null, candidates: [id(3), id(4)], basis: 'id-and-key' },
      { outcome: 'to-confirm', recordId: null, candidates: [id(5)], basis: 'name-gender-birth' },
      { outcome: 'not-found', recordId: null, candidates: [], basis: null },
      { outcome: 'not-found', recordId: null, candidates: [], basis: null },
      // with an ID number nobody holds, a record of the same name is not offered
      { outcome: 'not-found', recordId: null, candidates: [], basis: null },
    ]);
  });

  it('matches on keyed hashes where the store encrypts: no name is stored in plain form', async () => {
    const [match] = await matcher.match([{ name: '王小明', gender: '1', birthDate: '2021-03-15', idType: '1', idNumber: '410102202103150014' }]);
    expect(match?.outcome).toBe('matched');
    // the database file holds the names only in plain form when the store is not encrypting
    const bytes = Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('read.sqlite')).map((f) => readFileSync(join(dir, f))));
    expect(bytes.includes(Buffer.from('王小明'))).toBe(kind === 'plain');
  });
});
