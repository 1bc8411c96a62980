import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { Principal } from '../../../accounts/contracts/index.js';
import type { RecordedEvent } from '../../../shared/event-store/event-store.port.js';
import { DataKeyStore } from '../../../shared/personal-data/data-key-store.js';
import { EncryptingReadStore } from '../../../shared/personal-data/encrypting.read-store.js';
import { ERASED } from '../../../shared/personal-data/field-cipher.js';
import { KeyedHasher } from '../../../shared/personal-data/keyed-hash.js';
import { PersonalData } from '../../../shared/personal-data/personal-data.js';
import { type ReadScope, type ReadSubject, withReadScope } from '../../../shared/personal-data/read-audit.js';
import { type DocCache, applyEvents } from '../../../shared/projections/apply-events.js';
import { checkpointKey, ensureCollections } from '../../../shared/projections/projection-definition.js';
import type { ReadStore } from '../../../shared/read-store/read-store.port.js';
import { SqliteReadStore } from '../../../shared/read-store/sqlite.read-store.js';
import { recorded } from '../../../shared/testing/recorded.js';
import { enrolmentProjection } from '../../projections/enrolment.projection.js';
import { GetRoster, GetRosterHandler } from './enrolment.queries.js';

const INSTITUTION = '1141010001';
const DIVISION = '410102';
const classId = randomUUID();
const kids = [
  { recordId: randomUUID(), name: '王小明', idNumber: '410102202203150018' },
  { recordId: randomUUID(), name: '李小红', idNumber: '410102202204150026' },
];

const principal = (role: Principal['role'], institutionCode: string | null = INSTITUTION, level: Principal['level'] = 'institution'): Principal => ({
  accountId: randomUUID(), username: `${institutionCode}-${role}`, realName: '张老师', role, level, divisionCode: DIVISION, institutionCode, organisationId: institutionCode ?? DIVISION, sessionId: 's', mustChangePassword: false,
});
const business = principal('business');
const admin = principal('admin');
const otherKindergarten = principal('business', '1141010002');

type Roster = { name: string; headCount: number; children: Array<{ recordId: string; name: string; idNumber: string; mark: string | null }> };

/**
 * The roster answer is kept while the enrolment read models are unchanged. The projection writes
 * on its own connection (the worker's, in the service); this connection only reads.
 */
describe('roster cache', () => {
  let dir: string;
  let ring: { current: Buffer; previous: Buffer[] };
  let writer: ReadStore;
  let reader: EncryptingReadStore;
  let handler: GetRosterHandler;
  let docs: DocCache;

  const apply = async (...events: RecordedEvent[]) => {
    const writes = applyEvents(enrolmentProjection, events, docs);
    await writer.applyBatch(checkpointKey(enrolmentProjection), writes, Math.max(...events.map((e) => e.position)));
  };
  /** One roster read as an HTTP request makes it: with a read-audit scope, which is returned beside the answer. */
  const read = async (who: Principal): Promise<{ roster: Roster; audited: ReadSubject[] }> => {
    const scope: ReadScope = { subjects: new Map() };
    const roster = await new Promise<Roster>((resolve, reject) => withReadScope(scope, () => void handler.execute(new GetRoster(who, classId)).then((r) => resolve(r as Roster), reject)));
    return { roster, audited: [...scope.subjects.values()] };
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roster-'));
    ring = { current: randomBytes(32), previous: [] };
    const hasher = new KeyedHasher(randomBytes(32));
    const pd = () => new PersonalData(new DataKeyStore(join(dir, 'keys.sqlite'), ring), hasher);
    writer = new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite')), pd());
    reader = new EncryptingReadStore(new SqliteReadStore(join(dir, 'read.sqlite'), { checkpointsWal: false }), pd());
    await ensureCollections(writer, enrolmentProjection);
    await ensureCollections(reader, enrolmentProjection);
    docs = new Map();
    handler = new GetRosterHandler(reader);
    await apply(
      recorded('ClassCreated', { classId, institutionCode: INSTITUTION, divisionCode: DIVISION, name: '小一班', grade: '小班', schoolYear: '2026-2027', teachers: ['李老师'], createdAt: '2026-09-01T02:00:00.000Z' }),
      ...kids.flatMap((k) => [
        recorded('RecordSaved', { recordId: k.recordId, institutionCode: INSTITUTION, divisionCode: DIVISION, child: { name: k.name, gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: k.idNumber } }),
        recorded('RecordApproved', { recordId: k.recordId }),
      ]),
      recorded('ChildrenJoinedClass', { classId, recordIds: [kids[0]!.recordId], how: 'assigned' }),
    );
  });

  afterEach(async () => {
    await writer.close();
    await reader.close();
  });

  it('answers a repeated read of an unchanged class from the cache, and read-audits every read of it', async () => {
    const find = jest.spyOn(reader, 'find');
    const first = await read(business);
    expect(first.roster).toMatchObject({ name: '小一班', headCount: 1, children: [{ recordId: kids[0]!.recordId, name: '王小明', idNumber: '410102202203150018' }] });
    const reads = find.mock.calls.length;
    expect(reads).toBeGreaterThan(0);
    const second = await read(business);
    expect(second.roster).toEqual(first.roster);
    // nothing read again, nothing opened again
    expect(find.mock.calls.length).toBe(reads);
    expect(handler.cache.hits).toBe(1);
    // the same children audited for the cached answer as for the computed one
    const subject = { recordId: kids[0]!.recordId, institutionCode: INSTITUTION, divisionCode: DIVISION };
    expect(first.audited).toEqual([subject]);
    expect(second.audited).toEqual([subject]);
  });

  it('keeps masked and unmasked answers apart, and audits only the unmasked ones', async () => {
    const full = await read(business);
    const masked = await read(admin);
    expect(full.roster.children[0]!.idNumber).toBe('410102202203150018');
    expect(masked.roster.children[0]!.idNumber).not.toBe('410102202203150018');
    expect(masked.roster.children[0]!.idNumber).toMatch(/\*/);
    expect(masked.audited).toEqual([]);
    // each from its own entry, again
    expect((await read(admin)).roster).toEqual(masked.roster);
    expect((await read(business)).roster).toEqual(full.roster);
    expect(handler.cache.hits).toBe(2);
  });

  it('refuses a class outside the caller\'s kindergarten with 404, cached for another caller or not', async () => {
    await read(business);
    await expect(read(otherKindergarten)).rejects.toMatchObject({ code: 'class-not-found' });
    await expect(read(otherKindergarten)).rejects.toMatchObject({ code: 'class-not-found' });
    // the county above sees it (its own entry)
    expect((await read(principal('review', null, 'county'))).roster.headCount).toBe(1);
  });

  it('reads the class again after an assignment, a class change, a mark and a rename written by the other connection', async () => {
    await read(business);
    await apply(recorded('ChildrenJoinedClass', { classId, recordIds: [kids[1]!.recordId], how: 'assigned' }));
    expect((await read(business)).roster.children.map((c) => c.name).sort()).toEqual(['李小红', '王小明'].sort());
    await apply(recorded('ChildMarked', { classId, recordId: kids[1]!.recordId, mark: '留班' }));
    expect((await read(business)).roster.children.find((c) => c.recordId === kids[1]!.recordId)?.mark).toBe('留班');
    await apply(recorded('ChildrenLeftClass', { classId, recordIds: [kids[0]!.recordId], how: 'changed' }));
    expect((await read(business)).roster).toMatchObject({ headCount: 1, children: [{ name: '李小红' }] });
    await apply(recorded('ClassRenamed', { classId, name: '小二班' }));
    expect((await read(business)).roster.name).toBe('小二班');
    expect(handler.cache.hits).toBe(0);
  });

  it('never answers an erased child\'s data from the cache: the erasure removes its document, and the destroyed key alone already misses', async () => {
    const before = await read(business);
    expect(before.roster.children[0]!.name).toBe('王小明');
    // the key is destroyed first (the erasure handler), the roster document goes when the projection catches up
    const shredder = new DataKeyStore(join(dir, 'keys.sqlite'), ring);
    shredder.destroy(kids[0]!.recordId, '2026-09-05T02:00:00.000Z', 'admin', '误录入');
    shredder.close();
    const shredded = await read(business);
    expect(shredded.roster.children[0]!.name).toBe(ERASED);
    expect(JSON.stringify(shredded.roster)).not.toContain('王小明');
    expect(JSON.stringify(shredded.roster)).not.toContain('410102202203150018');
    // the erasure's event takes the child off the roster (a tombstone: the children version moves)
    const version = await reader.collectionVersion('enrolment_v1_children');
    await apply(recorded('RecordErased', { recordId: kids[0]!.recordId, ground: 'entered-by-mistake', erasedAt: '2026-09-05T02:00:00.000Z' }));
    expect(await reader.collectionVersion('enrolment_v1_children')).not.toEqual(version);
    const erased = await read(business);
    expect(erased.roster).toMatchObject({ headCount: 0, children: [] });
    expect(handler.cache.hits).toBe(0);
  });

  it('caches nothing where the store keeps no versions (MongoDB)', async () => {
    const unversioned = new Proxy(reader, { get: (target, prop, receiver) => (prop === 'collectionVersion' ? undefined : Reflect.get(target, prop, receiver)) });
    handler = new GetRosterHandler(unversioned);
    const find = jest.spyOn(reader, 'find');
    await read(business);
    const reads = find.mock.calls.length;
    await read(business);
    expect(find.mock.calls.length).toBe(2 * reads);
    expect(handler.cache.hits + handler.cache.misses).toBe(0);
  });
});
