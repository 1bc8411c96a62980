import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { rebuildProjections } from '../src/cli/rebuild.js';
import type { AppConfig } from '../src/config/app-config.js';
import { ALL_EVENT_DEFINITIONS } from '../src/event-catalog.js';
import { ALL_PROJECTIONS } from '../src/projection-catalog.js';
import { ERASED } from '../src/shared/personal-data/field-cipher.js';
import { APP_CONFIG, READ_STORE } from '../src/shared/infrastructure/tokens.js';
import type { ReadStore } from '../src/shared/read-store/read-store.port.js';
import { ReaderThreadsReadStore } from '../src/shared/read-store/reader-threads.read-store.js';
import type { INestApplication } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { child, residentId } from './fixtures/children.js';
import { createDemoApp } from './fixtures/demo-app.js';
import { createFixtureApp, quietLogger } from './fixtures/fixture-app.js';

/** Every byte of every file under the folder (the stores, their WAL and SHM files, the key store, uploads). */
function folderBytes(dir: string): Buffer {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

/** What `strings -a` prints for the folder's files (ASCII runs: ID numbers, phone numbers). */
function strings(dir: string): string {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
  return files.map((f) => spawnSync('strings', ['-a', '-n', '6', f], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout).join('\n');
}

// queries on the request thread, and answered by reader threads (ADR 33: opened there, erased there too)
const MODES: Array<[string, Partial<AppConfig>]> = [['queries on the request thread', { readThreads: 0 }], ['queries on two reader threads', { readThreads: 2 }]];
function expectReadThreads(app: INestApplication, config: Partial<AppConfig>): void {
  const reads = app.get<ReadStore>(READ_STORE);
  expect(reads instanceof ReaderThreadsReadStore ? reads.threads : 0).toBe(config.readThreads);
}

const KG = '1141010001';
const OTHER_KG = '1141010002';
const fresh = (headers: Record<string, string>, position: number | string) => ({ ...headers, 'X-Min-Position': String(position) });

describe('children’s personal data at rest (issue 21)', () => {
  it.each(MODES)('nothing a registrar entered can be found in the data folder, while search and review still work (%s)', async (_mode, config) => {
    const demo = await createDemoApp({ config });
    expectReadThreads(demo.app, config);
    const dataDir = demo.app.get<AppConfig>(APP_CONFIG).dataDir;
    const business = await demo.as(`${KG}-business`);
    const entered = child('欧阳翠花', '2022-05-17', 7, {
      address: '郑州市中原区桐柏路 77 号院',
      guardians: [{ name: '欧阳建国', relation: '父亲', idType: '1', idNumber: residentId('1990-01-02', 11), phone: '13912345678' }],
    });
    const saved = await demo.http.post('/api/v1/records').set(business).send(entered).expect(201);
    const submitted = await demo.http.post('/api/v1/records/submit').set(business).send({ recordIds: [saved.body.id] }).expect(200);
    expect(submitted.body).toMatchObject({ passed: 1 });
    const approved = await demo.http.post(`/api/v1/records/${saved.body.id}/approve`).set(await demo.as(`${KG}-review`)).expect(200);
    expect(approved.body.recordNumber).toBe(`G${entered.idNumber}`);
    // equality search by ID number and by record number, and a name by its first characters, through keyed hashes
    const at = fresh(business, approved.body.position);
    for (const query of [{ idNumber: entered.idNumber }, { recordNumber: `G${entered.idNumber}` }, { name: '欧阳' }, { name: '欧阳翠花' }]) {
      const found = await demo.http.get('/api/v1/records').query(query).set(at).expect(200);
      expect(found.body.items.map((r: { id: string }) => r.id)).toEqual([saved.body.id]);
    }
    expect((await demo.http.get('/api/v1/records').query({ name: '欧阳翠' + '草' }).set(at).expect(200)).body.items).toEqual([]);
    const view = await demo.http.get(`/api/v1/records/${saved.body.id}`).set(business).expect(200);
    expect(view.body.child).toMatchObject({ name: '欧阳翠花', idNumber: entered.idNumber, address: entered.address });
    // the same child again is still recognised in the kindergarten (the presence key is a keyed hash now)
    await demo.http.post('/api/v1/records').set(business).send(entered).expect(409);
    // uploaded proof names the child: sealed at rest with the child's data key, still served to the kindergarten
    const proof = Buffer.from(`%PDF-1.4\n% 欧阳翠花 ${entered.idNumber} 13912345678\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
    // about 27 working days ago: still within the 30, and the deadline stays in a year whose calendar is loaded
    const accidentDate = new Date(Date.now() + 8 * 3600_000 - 38 * 86_400_000).toISOString().slice(0, 10);
    const cancelled = await demo.http.post(`/api/v1/leaves/${saved.body.id}/accident`).set(business).field('accidentDate', accidentDate).field('reason', '意外身故').attach('files', proof, 'proof.pdf');
    expect({ status: cancelled.status, body: cancelled.status === 200 ? cancelled.body.status : cancelled.body }).toEqual({ status: 200, body: 'cancelled' });
    await demo.app.close();

    const bytes = folderBytes(dataDir);
    const secrets = ['欧阳翠花', '欧阳建国', '桐柏路', entered.idNumber, entered.guardians[0]!.idNumber, '13912345678'];
    for (const secret of secrets) expect({ secret, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ secret, found: false });
    const ascii = strings(dataDir);
    for (const secret of [entered.idNumber, entered.idNumber.slice(6, 14) + entered.idNumber.slice(14), '13912345678']) expect(ascii).not.toContain(secret);
  }, 120_000);

  it('a hand-over walk leaves no pupil name or ID number in the data folder (issue 16: lists, corrections, supplements, the log)', async () => {
    const demo = await createDemoApp();
    const dataDir = demo.app.get<AppConfig>(APP_CONFIG).dataDir;
    const school = await demo.as('2141010301-registrar');
    const kg = await demo.as('1141010004-business');
    const head = async () => String(await demo.app.get<EventStore>(EVENT_STORE).headPosition());
    const ids = ((await demo.http.get('/api/v1/records?status=numbered&limit=2').set(fresh(kg, await head())).expect(200)).body.items as Array<{ id: string }>).map((r) => r.id);
    const [a, b] = await Promise.all(ids.map(async (id) => (await demo.http.get(`/api/v1/records/${id}`).set(kg).expect(200)).body.child as { name: string; gender: string; birthDate: string; idNumber: string }));
    const gender = (id: string) => (Number(id[16]) % 2 === 1 ? '男' : '女');
    const stranger = residentId('2020-09-09', 901, '410103');
    const corrected = residentId('2020-09-19', 903, '410103');
    const badNumber = `${stranger.slice(0, 17)}${stranger[17] === '1' ? '2' : '1'}`;
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('新生名单');
    sheet.addRow(['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码']);
    sheet.addRow([a!.name, gender(a!.idNumber), a!.birthDate, '居民身份证', a!.idNumber]);
    sheet.addRow(['欧阳改名', gender(b!.idNumber), b!.birthDate, '居民身份证', b!.idNumber]);
    sheet.addRow(['司马新生', gender(stranger), '2020-09-09', '居民身份证', stranger]);
    sheet.addRow(['诸葛无号', '女', '2020-10-10', '其他', '']);
    sheet.addRow(['上官错号', '男', '2020-09-09', '居民身份证', badNumber]);
    const imported = await demo.http.post('/api/v1/handover/lists').set(school).set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(Buffer.from(await book.xlsx.writeBuffer())).expect(200);
    expect(imported.body).toMatchObject({ rows: 5, imported: 4, failed: 1, counts: { matched: 1, 'to-confirm': 1, 'not-found': 2 } });
    const listId = imported.body.listId as string;
    const entries = (await demo.http.get(`/api/v1/handover/entries?listId=${listId}`).set(fresh(school, await head())).expect(200)).body.items as Array<{ entryId: string; status: string }>;
    const entry = (i: number) => `/api/v1/handover/lists/${listId}/entries/${entries[i]!.entryId}`;
    await demo.http.post(`${entry(1)}/confirm`).set(school).send({ recordId: ids[1] }).expect(200);
    await demo.http.put(entry(2)).set(school).send({ name: '司马更正', gender: gender(corrected) === '男' ? '1' : '2', birthDate: '2020-09-19', idType: '1', idNumber: corrected }).expect(200);
    const form = (await demo.http.get(`${entry(0)}/supplement`).set(school).expect(200)).body;
    await demo.http.post(`${entry(0)}/supplement`).set(school).send({ ...form.fields, address: '郑州市二七区嵩山路 99 号院' }).expect(200);
    // the school still reads its pupils in full, through the stores' decryption
    const shown = (await demo.http.get(entry(2)).set(fresh(school, await head())).expect(200)).body;
    expect(shown).toMatchObject({ name: '司马更正', idNumber: corrected, status: 'not-found' });
    await demo.app.close();

    const bytes = folderBytes(dataDir);
    for (const secret of ['欧阳改名', '司马新生', '司马更正', '诸葛无号', '嵩山路', a!.name, stranger, corrected, badNumber, a!.idNumber]) {
      expect({ secret, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ secret, found: false });
    }
    const ascii = strings(dataDir);
    for (const secret of [stranger, corrected, badNumber, a!.idNumber, stranger.slice(6, 14) + stranger.slice(14)]) expect(ascii).not.toContain(secret);
  }, 120_000);

  it.each(MODES)('the county administrator erases a record: unreadable everywhere, also after a rebuild, and de-duplication no longer matches it (%s)', async (_mode, settings) => {
    const demo = await createDemoApp({ config: settings });
    expectReadThreads(demo.app, settings);
    const config = demo.app.get<AppConfig>(APP_CONFIG);
    const business = await demo.as(`${KG}-business`);
    const entered = child('上官小雨', '2022-04-09', 9);
    const id = (await demo.http.post('/api/v1/records').set(business).send(entered).expect(201)).body.id as string;
    await demo.http.post('/api/v1/records/submit').set(business).send({ recordIds: [id] }).expect(200);
    await demo.http.post(`/api/v1/records/${id}/approve`).set(await demo.as(`${KG}-review`)).expect(200);
    const keys = new Database(join(config.dataDir, 'keys.sqlite'), { readonly: true });
    const wrapped = (keys.prepare('SELECT wrapped FROM data_keys WHERE subject = ?').get(id) as { wrapped: Buffer }).wrapped;
    keys.close();
    expect(wrapped.length).toBeGreaterThan(32);

    const body = { ground: 'created-by-mistake', reason: '测试时误录入，经园方书面申请删除' };
    // only the county administrator of the record's county, with a reason
    expect((await demo.http.post(`/api/v1/records/${id}/erasure`).set(business).send(body).expect(403)).body.code).toBe('county-admin-only');
    await demo.http.post(`/api/v1/records/${id}/erasure`).set(await demo.as('410103-admin')).send(body).expect(404);
    await demo.http.post(`/api/v1/records/${id}/erasure`).set(await demo.as('410102-admin')).send({ ...body, reason: '误录' }).expect(400);
    const erased = await demo.http.post(`/api/v1/records/${id}/erasure`).set(await demo.as('410102-admin')).send(body).expect(200);
    expect(erased.body).toMatchObject({ status: 'erased', events: ['RecordErased'] });
    // again: nothing new
    expect((await demo.http.post(`/api/v1/records/${id}/erasure`).set(await demo.as('410102-admin')).send(body).expect(200)).body.events).toEqual([]);

    const view = await demo.http.get(`/api/v1/records/${id}`).set(business).expect(200);
    expect(view.body).toMatchObject({ status: 'erased', child: { name: ERASED, idNumber: ERASED, address: ERASED } });
    expect(view.body.child.guardians[0]).toMatchObject({ name: ERASED, idNumber: ERASED, phone: ERASED });
    const history = await demo.http.get(`/api/v1/records/${id}/history`).set(business).expect(200);
    expect(JSON.stringify(history.body)).not.toContain('上官小雨');
    expect(history.body.items.at(-1)).toMatchObject({ type: 'RecordErased', reason: body.reason });
    const at = fresh(business, erased.body.position);
    expect((await demo.http.get('/api/v1/records').query({ idNumber: entered.idNumber }).set(at).expect(200)).body.items).toEqual([]);

    // the same ID number in another kindergarten of the county: no duplicate any more
    const other = await demo.as(`${OTHER_KG}-business`);
    const again = (await demo.http.post('/api/v1/records').set(other).send(entered).expect(201)).body.id as string;
    const submitted = await demo.http.post('/api/v1/records/submit').set(other).send({ recordIds: [again] }).expect(200);
    expect(submitted.body).toMatchObject({ passed: 1, problem: 0 });
    const listed = await demo.http.get('/api/v1/records').query({ name: '上官' }).set(fresh(other, submitted.headers['x-log-position'] ?? 0)).expect(200);
    expect(listed.body.items.map((r: { id: string; name: string }) => [r.id, r.name])).toEqual([[again, '上官小雨']]);
    // one live session per account: log out, so the restarted service lets them in again
    for (const headers of [business, other]) await demo.http.post('/api/v1/auth/logout').set(headers).expect((res) => expect(res.status).toBeLessThan(300));
    await demo.app.close();

    // a backup taken now holds neither the key nor the child's data
    const bytes = folderBytes(config.dataDir);
    expect(bytes.includes(wrapped)).toBe(false);

    // rebuilt from the log: the record is gone from the lists, shown as erased, the new entry is there
    await rebuildProjections({ config, projections: ALL_PROJECTIONS, events: ALL_EVENT_DEFINITIONS, names: [], logger: quietLogger });
    const app = await createFixtureApp({ ...settings, dataDir: config.dataDir });
    const http = request(app.getHttpServer());
    const token = (await http.post('/api/v1/auth/login').send({ username: `${KG}-business`, password: DEMO_PASSWORD }).expect(200)).body.token as string;
    const auth = { Authorization: `Bearer ${token}` };
    expect((await http.get('/api/v1/records').query({ name: '上官' }).set(auth).expect(200)).body.items).toEqual([]);
    expect((await http.get(`/api/v1/records/${id}`).set(auth).expect(200)).body).toMatchObject({ status: 'erased', child: { name: ERASED } });
    const otherAuth = { Authorization: `Bearer ${(await http.post('/api/v1/auth/login').send({ username: `${OTHER_KG}-business`, password: DEMO_PASSWORD }).expect(200)).body.token}` };
    expect((await http.get('/api/v1/records').query({ name: '上官' }).set(otherAuth).expect(200)).body.items.map((r: { id: string; name: string }) => [r.id, r.name])).toEqual([[again, '上官小雨']]);
    await app.close();
  }, 120_000);
});
