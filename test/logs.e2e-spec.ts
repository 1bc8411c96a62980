import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { DEMO_REGISTRY_CSV } from '../src/cli/demo-data.js';
import { JsonLogger } from '../src/shared/logging/json-logger.js';
import { child, residentId } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';
import { api, enrolmentHelpers } from './fixtures/enrolment.js';
import { firstLogin } from './fixtures/sessions.js';

/**
 * The service's own log output (issue 22, item 9), captured at debug level during a walk that
 * submits, searches and mistypes a child: it must hold access lines with the account and the
 * client address, and none of the child's personal data, in any spelling a URL gives it.
 */
describe('the log of an e2e walk', () => {
  const lines: string[] = [];
  const demo = useDemoApp({ logger: new JsonLogger('debug', (line) => lines.push(line)) });
  const kid = child('阿依古丽·买买提', '2022-06-01', 7);
  const twin = child('欧阳子涵', '2022-05-02', 18, { guardians: [{ name: '欧阳建国', relation: '父亲', idType: '1', idNumber: residentId('1979-03-02', 15, '110105'), phone: '13912345678' }] });
  const corrected = child('阿依古丽·买买提', '2022-06-01', 9);
  const secrets = [kid, twin, corrected].flatMap((c) => [c.name, encodeURIComponent(c.name), c.idNumber, c.guardians[0]!.name, c.guardians[0]!.idNumber, c.guardians[0]!.phone, c.address]);

  it('names account, role, client address and route on access lines, and no personal data anywhere', async () => {
    const business = await demo.as('1141010001-business');
    const saved = await demo.http.post('/api/v1/records').set(business).send(kid).expect(201);
    await demo.http.get(`/api/v1/records/${saved.body.id}`).set(business).expect(200);
    await demo.http.get('/api/v1/records').query({ name: kid.name, idNumber: kid.idNumber, status: 'saved' }).set(business).expect(200);
    await demo.http.post('/api/v1/records').set(business).send({ ...kid, idNumber: `${kid.idNumber.slice(0, 17)}0`, birthDate: 'soon' }).expect(400);
    await demo.http.post('/api/v1/auth/login').send({ username: '1141010001-business', password: 'wrong password' }).expect(401);
    // submitted, approved, found again by a second kindergarten (de-duplication, a case), corrected and deleted (issue 21, item 2)
    await demo.http.post('/api/v1/records/submit').set(business).send({ recordIds: [saved.body.id] }).expect(200);
    await demo.http.post(`/api/v1/records/${saved.body.id}/approve`).set(await demo.as('1141010001-review')).expect(200);
    const first = (await demo.http.post('/api/v1/records').set(business).send(twin).expect(201)).body.id;
    await demo.http.post('/api/v1/records/submit').set(business).send({ recordIds: [first] }).expect(200);
    const other = await demo.as('1141010002-business');
    const second = (await demo.http.post('/api/v1/records').set(other).send(twin).expect(201)).body.id;
    const dup = await demo.http.post('/api/v1/records/submit').set(other).send({ recordIds: [second] }).expect(200);
    expect(dup.body.results[0].outcome).toBe('problem');
    await demo.http.get('/api/v1/records').query({ idNumber: twin.idNumber }).set(await demo.as('410102-business')).expect(200);
    await demo.http.delete(`/api/v1/records/${first}`).set(business).send({ reason: '重复录入' }).expect(200);
    const { name, gender, birthDate, idType, idNumber } = corrected;
    await demo.http.post(`/api/v1/records/${saved.body.id}/key-information`).set(await demo.as('1141010001-review')).send({ name, gender, birthDate, idType, idNumber, reason: '户口簿身份证号更正' }).expect(200);
    await demo.app.close().catch(() => undefined); // the shutdown lines too
    const output = lines.join('\n');
    for (const secret of secrets) expect(output).not.toContain(secret);
    const access = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e['msg'] === 'request');
    const search = access.find((e) => String(e['url']).startsWith('/api/v1/records?'));
    expect(search).toMatchObject({ route: '/api/v1/records', status: 200, account: expect.any(String), role: expect.any(String), ip: expect.stringMatching(/127\.0\.0\.1|::1/) });
    expect(search!['url']).toContain('status=saved');
    expect(access.find((e) => e['url'] === '/api/v1/auth/login' && e['status'] === 401)).toMatchObject({ account: null });
  });
});

/**
 * The same for a hand-over walk (issue 16 meets issue 21): pupil lists hold names and ID numbers in
 * spreadsheet cells, corrections and supplements in bodies, the registration system reads them as
 * an API client. No line may hold one, not even the import log's quoted value of a bad number.
 */
describe('the log of a hand-over walk', () => {
  const lines: string[] = [];
  const demo = useDemoApp({ logger: new JsonLogger('debug', (line) => lines.push(line)) });
  const kg = enrolmentHelpers(demo, '1141010001', 300);
  const SCHOOL = '2141010101';

  it('holds no pupil name or ID number from list, matching, correction, supplement, export and the registration read', async () => {
    const registry = `${DEMO_REGISTRY_CSV}\n${SCHOOL},郑州市中原区建设路小学,小学,410102,公办,`;
    const sync = await demo.http.post(`${api}/institution-registry/sync`).set(await demo.as('admin')).set('Content-Type', 'text/csv').send(Buffer.from(registry)).expect(200);
    const registrar = (sync.body.accounts as Array<{ username: string; initialPassword: string }>).find((x) => x.username === `${SCHOOL}-registrar`)!;
    const school = { Authorization: `Bearer ${await firstLogin(demo.http, registrar.username, registrar.initialPassword)}` };
    const kids = await Promise.all((await kg.numbered(3, '2021-05-01')).map(async (id) => ({ id, ...((await kg.record(id)).child as { name: string; gender: string; birthDate: string; idNumber: string }) })));
    const [a, b, c] = kids as [typeof kids[0], typeof kids[0], typeof kids[0]];
    const stranger = residentId('2021-06-06', 993);
    const badNumber = `${stranger.slice(0, 17)}${stranger.endsWith('0') ? '1' : '0'}`;
    const sex = (g: string) => (g === '1' ? '男' : '女');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('新生名单');
    sheet.addRow(['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码']);
    sheet.addRow([a.name, sex(a.gender), a.birthDate, '居民身份证', a.idNumber]); // matched
    sheet.addRow(['李错名', sex(b.gender), b.birthDate, '居民身份证', b.idNumber]); // the same number, another name: to confirm
    sheet.addRow([c.name, sex(c.gender), c.birthDate, '其他', '']); // no number: to confirm by name, gender, birth date
    sheet.addRow(['张未查', '1', '2021-06-06', '1', stranger]); // not found
    sheet.addRow(['王坏行', '1', '2021-06-06', '1', badNumber]); // a bad check digit: logged in the list, not in the service log
    const upload = await demo.http.post(`${api}/handover/lists`).set(school).set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').set('X-File-Name', encodeURIComponent(`${a.name}等新生.xlsx`)).send(Buffer.from(await book.xlsx.writeBuffer())).expect(200);
    const listId = upload.body.listId as string;
    const fresh = async () => ({ ...school, 'X-Min-Position': String((await kg.fresh())['X-Min-Position']) });
    const entries = (await demo.http.get(`${api}/handover/entries`).query({ listId }).set(await fresh()).expect(200)).body.items as Array<{ entryId: string; row: number }>;
    const url = (row: number) => `${api}/handover/lists/${listId}/entries/${entries.find((e) => e.row === row)!.entryId}`;
    await demo.http.get(url(3)).set(school).expect(200);
    await demo.http.post(`${url(3)}/confirm`).set(school).send({ recordId: b.id }).expect(200);
    await demo.http.put(url(4)).set(school).send({ name: c.name, gender: c.gender, birthDate: 'soon', idType: '1', idNumber: badNumber }).expect(400);
    await demo.http.put(url(4)).set(school).send({ name: c.name, gender: c.gender, birthDate: c.birthDate, idType: '1', idNumber: c.idNumber }).expect(200);
    const form = (await demo.http.get(`${url(2)}/supplement`).set(school).expect(200)).body;
    await demo.http.post(`${url(2)}/supplement`).set(school).send({ ...form.fields, name: '王改名' }).expect(400);
    await demo.http.post(`${url(2)}/supplement`).set(school).send({ ...form.fields, address: '郑州市中原区桐柏路 8 号' }).expect(200);
    await demo.http.get(`${api}/handover/not-found`).set(await fresh()).expect(200);
    const client = (await demo.http.post(`${api}/api-clients`).set(await demo.as('admin')).send({ name: '河南省中小学生学籍系统', level: 'province', divisionCode: '410000', profile: 'personal' }).expect(201)).body;
    const token = (await demo.http.post(`${api}/oauth/token`).type('form').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200)).body.access_token;
    const page = (await demo.http.get(`${api}/handover/registration/not-found`).set({ Authorization: `Bearer ${token}`, 'X-Min-Position': (await kg.fresh())['X-Min-Position'] }).expect(200)).body;
    expect(page.items.map((p: { idNumber: string }) => p.idNumber)).toContain(stranger);
    await demo.app.close().catch(() => undefined);
    const output = lines.join('\n');
    expect(lines.length).toBeGreaterThan(20);
    const secrets = [...kids.flatMap((k) => [k.name, encodeURIComponent(k.name), k.idNumber]), '李错名', '张未查', '王坏行', stranger, badNumber];
    for (const secret of secrets) expect({ secret, logged: output.includes(secret) }).toEqual({ secret, logged: false });
    expect(lines.some((l) => l.includes('/api/v1/handover/lists'))).toBe(true);
  });
});
