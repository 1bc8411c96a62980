import { describe, expect, it } from '@jest/globals';
import { JsonLogger } from '../src/shared/logging/json-logger.js';
import { child, residentId } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';

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
