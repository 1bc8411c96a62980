import { describe, expect, it } from '@jest/globals';
import { JsonLogger } from '../src/shared/logging/json-logger.js';
import { child } from './fixtures/children.js';
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
  const secrets = [kid.name, encodeURIComponent(kid.name), kid.idNumber, kid.guardians[0]!.name, kid.guardians[0]!.idNumber, kid.guardians[0]!.phone, kid.address];

  it('names account, role, client address and route on access lines, and no personal data anywhere', async () => {
    const business = await demo.as('1141010001-business');
    const saved = await demo.http.post('/api/v1/records').set(business).send(kid).expect(201);
    await demo.http.get(`/api/v1/records/${saved.body.id}`).set(business).expect(200);
    await demo.http.get('/api/v1/records').query({ name: kid.name, idNumber: kid.idNumber, status: 'saved' }).set(business).expect(200);
    await demo.http.post('/api/v1/records').set(business).send({ ...kid, idNumber: `${kid.idNumber.slice(0, 17)}0`, birthDate: 'soon' }).expect(400);
    await demo.http.post('/api/v1/auth/login').send({ username: '1141010001-business', password: 'wrong password' }).expect(401);
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
