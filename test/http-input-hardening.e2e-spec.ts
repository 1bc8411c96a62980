import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { child } from './fixtures/children.js';
import type { DemoApp } from './fixtures/demo-app.js';
import { createSmallProvince } from './fixtures/small-province.js';
import { rawPost } from './fixtures/raw-post.js';

/**
 * Input that must never be a 5xx (issue 20, items 7 to 12), each through the real HTTP stack of
 * a small province: every refusal is problem details with a Chinese message and stores nothing.
 */
describe('hostile and careless input at the HTTP edge', () => {
  let demo: DemoApp;
  let store: EventStore;
  let port: number;
  const api = '/api/v1';
  const basic = { address: '郑州市中原区建设路 12 号', principalName: '张园长', phone: '0371-67890123', urbanRuralCode: '111' };
  const buildings = [{ name: '教学楼', tenure: 'self-built', area: 2400.5, builtYear: 2012 }];
  const conditions = { siteArea: 6000, buildingArea: 2000, playgroundArea: 1800, classrooms: 12 };

  beforeAll(async () => {
    demo = await createSmallProvince();
    store = demo.app.get<EventStore>(EVENT_STORE);
    await demo.app.listen(0, '127.0.0.1');
    port = (demo.app.getHttpServer().address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await demo.app.close();
  });

  const kg = () => demo.as('1141010001-business');
  function expectProblem(res: { status: number; headers: Record<string, unknown>; body: Record<string, any> }, status: number, code: string) {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
  }
  /** JSON text nested `depth` arrays deep */
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('7: a deeply nested body is refused before anything walks it, also on the anonymous login', async () => {
    await kg();
    const head = await store.headPosition();
    const login = await demo.http.post(`${api}/auth/login`).set('Content-Type', 'application/json').send(`{"username":${deep(5000)},"password":"x"}`);
    expectProblem(login, 400, 'json-too-deep');
    const record = await demo.http.post(`${api}/records`).set(await kg()).set('Content-Type', 'application/json').send(`{"name":"王小明","guardians":[{"name":${deep(5000)}}]}`);
    expectProblem(record, 400, 'json-too-deep');
    const whole = await demo.http.put(`${api}/institutions/1141010001/filing`).set(await kg()).set('Content-Type', 'application/json').send(deep(5000));
    expectProblem(whole, 400, 'json-too-deep');
    // a depth a DTO can use still reaches validation
    const shallow = await demo.http.post(`${api}/auth/login`).send({ username: [[['a']]], password: 'x' });
    expectProblem(shallow, 400, 'validation-failed');
    expect(await store.headPosition()).toBe(head);
  });

  it('8: a filing without one object as basic, or with conditions or buildings not objects, is refused by the DTO', async () => {
    const auth = await kg();
    const head = await store.headPosition();
    const bodies: Array<[Record<string, unknown>, string]> = [
      [{ basic: [], buildings, conditions }, 'basic'],
      [{ buildings, conditions }, 'basic'],
      [{ basic: null, buildings, conditions }, 'basic'],
      [{ basic, buildings, conditions: [] }, 'conditions'],
      [{ basic, buildings: [[]], conditions }, 'buildings'],
      [{ basic, buildings: ['教学楼'], conditions }, 'buildings'],
      [{ basic, buildings: {}, conditions }, 'buildings'],
    ];
    for (const [body, field] of bodies) {
      const res = await demo.http.put(`${api}/institutions/1141010001/filing`).set(auth).send(body);
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const guardians = await demo.http.post(`${api}/records`).set(auth).send(child('王小明', '2022-03-15', 11, { guardians: [[]] }));
    expectProblem(guardians, 400, 'validation-failed');
    expect(await store.headPosition()).toBe(head);
  });

  it('9: a repeated query parameter is refused, naming it, on every route', async () => {
    const auth = await kg();
    for (const path of [`${api}/records?name=a&name=b`, `${api}/records?idNumber=410102202203150018&idNumber=x`, `${api}/institutions?status=active&status=revoked`, `${api}/records/saved?limit=1&limit=2`]) {
      const res = await demo.http.get(path).set(auth);
      expectProblem(res, 400, 'repeated-query-parameter');
      expect(res.body.errors[0].field).toBe(new URL(path, 'http://x').searchParams.keys().next().value);
    }
    expectProblem(await demo.http.get(`${api}/divisions?parent=410000&parent=410100`), 400, 'repeated-query-parameter');
  });

  it('10: the router’s and the HTTP parser’s own errors are problem details in Chinese', async () => {
    const long = await demo.http.get(`${api}/institutions/${'1'.repeat(101)}`).set(await kg());
    expectProblem(long, 414, 'path-parameter-too-long');
    const badUrl = await demo.http.get(`${api}/institutions/%E0%A4%A`).set(await kg());
    expect(badUrl.status).toBeLessThan(500);
    expect(String(badUrl.headers['content-type'])).toMatch(/^application\/problem\+json/);

    const oversized = await new Promise<{ status: number; type: string; body: Record<string, any> }>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', agent: false, path: `${api}/auth/me`, headers: { 'x-padding': 'x'.repeat(20_000) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: JSON.parse(text) as Record<string, any> }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(oversized.status).toBe(431);
    expect(oversized.type).toMatch(/^application\/problem\+json/);
    expect(oversized.body).toMatchObject({ status: 431, code: 'headers-too-large' });
    expect(oversized.body.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('11: a body in another charset, or bytes that are not UTF-8, are refused; nothing is stored as mojibake', async () => {
    const auth = await kg();
    const head = await store.headPosition();
    const json = JSON.stringify(child('王小明', '2022-03-15', 21));
    // the GBK bytes of 王小明 (CDF5 D0A1 C3F7)
    const gbk = Buffer.from(json.replace('王小明', '\u0000'), 'utf8');
    const at = gbk.indexOf(0);
    const gbkBody = Buffer.concat([gbk.subarray(0, at), Buffer.from([0xcd, 0xf5, 0xd0, 0xa1, 0xc3, 0xf7]), gbk.subarray(at + 1)]);
    // raw bytes on a connection of their own: supertest would serialise a Buffer as JSON
    const post = async (contentType: string, payload: Buffer) => {
      const res = await rawPost(port, `${api}/records`, payload, { ...auth, 'content-type': contentType });
      return { status: res.status, headers: res.headers, body: res.json };
    };
    expectProblem(await post('application/json; charset=gbk', gbkBody), 415, 'unsupported-charset');
    expectProblem(await post('application/json', gbkBody), 400, 'invalid-utf8');
    expectProblem(await post('application/json; charset=ISO-8859-1', Buffer.from(json)), 415, 'unsupported-charset');
    expectProblem(await post('application/x-www-form-urlencoded', Buffer.from('name=%CD%F5')), 415, 'unsupported-media-type');
    expect(await store.headPosition()).toBe(head);
    // UTF-8, declared or not, is taken
    expect((await post('application/json; charset="UTF-8"', Buffer.from(json))).status).toBe(201);
  });

  it('12: text fields refuse control, invisible and unpaired characters; text is trimmed and NFC; numbers have real ranges', async () => {
    const auth = await kg();
    const county = await demo.as('410102-business');
    const head = await store.headPosition();
    const bad = ['王\u0000小明', '王\ud800小明', '王\u202e小明', '王\u200b小明', '王\ufeff小明', '王\ufffd明', '王\n小明', '   ', '\u3000\t'];
    for (const [i, name] of bad.entries()) {
      const res = await demo.http.post(`${api}/records`).set(auth).send(child(name, '2022-03-15', 31 + 2 * i));
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
      expect(JSON.stringify(res.body.errors)).toMatch(/name/);
    }
    const unlicensed = await demo.http.post(`${api}/unlicensed-institutions`).set(county).send({ name: ' \u200b ', address: '中原区', children: 1, staff: 1, status: 'operating' });
    expectProblem(unlicensed, 400, 'validation-failed');
    const guardian = await demo.http.post(`${api}/records`).set(auth).send(child('王小明', '2022-03-15', 61, { guardians: [{ name: '王\u2066大明', relation: '父亲' }] }));
    expect(guardian.body.errors[0].field).toBe('guardians.0.name');
    for (const area of [1e308, -1, 0, 12.345]) {
      const res = await demo.http.put(`${api}/institutions/1141010001/filing`).set(auth).send({ basic, buildings: [{ ...buildings[0], area }], conditions });
      expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain('buildings.0.area');
    }
    const site = await demo.http.put(`${api}/institutions/1141010001/filing`).set(auth).send({ basic, buildings, conditions: { ...conditions, siteArea: 1e308, classrooms: 1e9 } });
    expect(site.body.errors.map((e: { field: string }) => e.field)).toEqual(['conditions.siteArea', 'conditions.classrooms']);
    expect(await store.headPosition()).toBe(head);

    // what is kept: trimmed (a leading BOM too), composed (NFC); a reason keeps its line break
    const saved = await demo.http.post(`${api}/records`).set(auth).send(child('\ufeff  王小明  ', '2022-03-15', 71, { address: '\u3000郑州市Zoe\u0308路\t' }));
    expect({ status: saved.status, errors: saved.body.errors }).toEqual({ status: 201, errors: undefined });
    const view = await demo.http.get(`${api}/records/${saved.body.id}`).set(auth).expect(200);
    expect(view.body.child).toMatchObject({ name: '王小明', address: '郑州市Zo\u00eb路' });
    const removed = await demo.http.delete(`${api}/records/${saved.body.id}`).set(auth).send({ reason: '重复录入\r\n已核实' }).expect(200);
    const history = await demo.http.get(`${api}/records/${saved.body.id}/history`).set(auth).set('X-Min-Position', String(removed.body.position)).expect(200);
    expect(history.body.items.at(-1)).toMatchObject({ type: 'RecordDeleted', reason: '重复录入\n已核实' });
  });
});
