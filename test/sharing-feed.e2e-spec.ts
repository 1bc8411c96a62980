import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { AppConfig } from '../src/config/app-config.js';
import { RECORDS } from '../src/records/application/record-reads.js';
import { maskPersonal } from '../src/records/contracts/index.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { APP_CONFIG, READ_STORE } from '../src/shared/infrastructure/tokens.js';
import { ProjectionManager } from '../src/shared/projections/projection-manager.js';
import { type Doc, type ReadStore, findAll } from '../src/shared/read-store/read-store.port.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { child } from './fixtures/children.js';
import { templateFile } from './fixtures/template-file.js';
import { type DemoApp, createDemoApp } from './fixtures/demo-app.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

interface Entry { id: string; cursor: string; type: string; subject: string; data: { entity: string; id: string; kind: string; keys: Record<string, unknown>; change?: Record<string, Record<string, unknown>>; representation: Record<string, unknown> } }
type Http = ReturnType<typeof request>;

const FIELDS = ['recordId', 'institutionCode', 'divisionCode', 'status', 'recordNumber', 'name', 'gender', 'birthDate', 'idType', 'idNumber', 'updatedAt'];

/** A portal's consumer: pages from its stored cursor and keeps a copy of the records (and institutions) it is sent. */
class Consumer {
  cursor = '0';
  readonly seen: string[] = [];
  readonly records = new Map<string, Record<string, unknown>>();
  readonly institutions = new Map<string, Record<string, unknown>>();

  async pages(http: Http, token: string, limit: number, maxPages = Infinity): Promise<boolean> {
    for (let n = 0; n < maxPages; n++) {
      const res = await http.get('/api/v1/feed').query({ after: this.cursor, limit }).set({ Authorization: `Bearer ${token}` }).expect(200);
      for (const entry of res.body.entries as Entry[]) this.apply(entry);
      this.cursor = res.body.next;
      if (res.body.caughtUp) return true;
    }
    return false;
  }

  apply(entry: Entry): void {
    this.seen.push(entry.cursor);
    const copy = entry.data.entity === 'record' ? this.records : this.institutions;
    if (entry.data.kind === 'record.deleted') copy.delete(entry.data.id);
    else copy.set(entry.data.id, entry.data.representation);
  }
}

/**
 * The change feed as a county portal uses it: registered by an administrator, authenticated with
 * the client-credentials grant, paging by cursor and resuming after a restart (its own and the
 * service's), replaying into an empty copy that ends equal to the service's records read model.
 */
describe('change feed and API clients (HTTP, demo province)', () => {
  const clock = new SettableClock();
  let demo: DemoApp;
  let app: NestFastifyApplication;
  let http: Http;
  const KG = '1141010001'; // 中原区 410102
  const OTHER = '1141010004'; // 二七区 410103
  let clientId: string;
  let secret: string;
  let token: string;
  const ids: Record<string, string> = {};
  const aChild = child('赵小乐', '2022-04-02', 11);

  beforeAll(async () => {
    demo = await createDemoApp({ clock });
    app = demo.app;
    http = demo.http;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const tokenOf = async (id: string, s: string) => (await http.post('/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: id, client_secret: s }).expect(200)).body.access_token as string;
  // the feed reaches what its projection holds: a reader that just wrote waits for it like any read-your-writes caller
  const caughtUp = async (position: number) => {
    await http.get('/api/v1/feed').query({ after: String(position) }).set({ Authorization: `Bearer ${token}`, 'X-Min-Position': String(position) }).expect(200);
  };

  it('an administrator registers a client within its jurisdiction only; the secret is shown once', async () => {
    await http.post('/api/v1/api-clients').set(await demo.as(`${KG}-business`)).send({ name: '门户', level: 'county', divisionCode: '410102', profile: 'masked' }).expect(403);
    const outside = await http.post('/api/v1/api-clients').set(await demo.as('410103-admin')).send({ name: '中原区门户', level: 'county', divisionCode: '410102', profile: 'masked' }).expect(403);
    expect(outside.body.code).toBe('client-outside-jurisdiction');
    await http.post('/api/v1/api-clients').set(await demo.as('410102-admin')).send({ name: '河南省门户', level: 'province', divisionCode: '410000', profile: 'masked' }).expect(403);
    const bad = await http.post('/api/v1/api-clients').set(await demo.as('admin')).send({ name: '中原区门户', level: 'county', divisionCode: '410100', profile: 'masked' }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'divisionCode', code: 'division-level-mismatch' });
    const res = await http.post('/api/v1/api-clients').set(await demo.as('410102-admin')).send({ name: '中原区教育门户', level: 'county', divisionCode: '410102', profile: 'masked' }).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    clientId = res.body.clientId;
    secret = res.body.clientSecret;
    expect(clientId).toMatch(/^cl_[0-9a-f]{16}$/);
    expect(secret.length).toBeGreaterThanOrEqual(43);
    const list = await http.get('/api/v1/api-clients').set({ ...(await demo.as('admin')), 'X-Min-Position': String(res.body.position) }).expect(200);
    expect(list.body.items.map((c: { clientId: string }) => c.clientId)).toEqual([clientId]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.items[0]).not.toHaveProperty('secretHash');
    const other = await http.get('/api/v1/api-clients').set({ ...(await demo.as('410103-admin')), 'X-Min-Position': String(res.body.position) }).expect(200);
    expect(other.body.items).toEqual([]);
  });

  it('issues short-lived tokens by the client-credentials grant (form, JSON or HTTP Basic) and refuses wrong credentials', async () => {
    token = await tokenOf(clientId, secret);
    expect(token).toMatch(/^pcc_/);
    const json = await http.post('/api/v1/oauth/token').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).expect(200);
    expect(json.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(json.headers['cache-control']).toBe('no-store');
    const basic = Buffer.from(`${clientId}:${secret}`).toString('base64');
    await http.post('/api/v1/oauth/token').set('Authorization', `Basic ${basic}`).type('form').send({ grant_type: 'client_credentials' }).expect(200);
    const wrong = await http.post('/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: `${secret}x` }).expect(401);
    expect(wrong.body).toMatchObject({ code: 'invalid-client', error: 'invalid_client' });
    const grant = await http.post('/api/v1/oauth/token').type('form').send({ grant_type: 'password', client_id: clientId, client_secret: secret }).expect(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
    // a client token opens the feed only, and a session token does not open the feed
    const records = await http.get('/api/v1/records').set({ Authorization: `Bearer ${token}` }).expect(403);
    expect(records.body.code).toBe('client-token-not-allowed');
    expect((await http.get('/api/v1/feed').set(await demo.as('admin')).expect(403)).body.code).toBe('client-only');
    // the token expires after its 15 minutes
    clock.advance(901_000);
    expect((await http.get('/api/v1/feed').set({ Authorization: `Bearer ${token}` }).expect(401)).body.code).toBe('client-token-invalid');
    token = await tokenOf(clientId, secret);
  });

  it('carries entry, import, review, key change and deletion of its county only, masked', async () => {
    const business = await demo.as(`${KG}-business`);
    const review = await demo.as(`${KG}-review`);
    ids['a'] = (await http.post('/api/v1/records').set(business).send(aChild).expect(201)).body.id;
    ids['b'] = (await http.post('/api/v1/records').set(business).send(child('钱小雨', '2022-05-06', 12)).expect(201)).body.id;
    ids['d'] = (await http.post('/api/v1/records').set(business).send(child('孙小北', '2022-07-08', 13)).expect(201)).body.id;
    ids['x'] = (await http.post('/api/v1/records').set(await demo.as(`${OTHER}-business`)).send(child('李二七', '2022-01-09', 15, { householdCode: '410103' })).expect(201)).body.id;
    await http.delete(`/api/v1/records/${ids['d']}`).set(business).send({ reason: '重复录入，删除' }).expect(200);
    await http.post('/api/v1/records/submit').set(business).send({ recordIds: [ids['a'], ids['b']] }).expect(200);
    await http.post(`/api/v1/records/${ids['a']}/approve`).set(review).expect(200);
    const imported = await http.post('/api/v1/records/imports').set(business).set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').set('X-File-Name', encodeURIComponent('2026级小班.xlsx')).send(await templateFile(3)).expect(200);
    expect(imported.body.position).toBeGreaterThan(0);
    const change = { name: '赵晓乐', gender: aChild.gender, birthDate: aChild.birthDate, idType: '1', idNumber: aChild.idNumber, reason: '户口簿姓名为赵晓乐' };
    const changed = await http.post(`/api/v1/records/${ids['a']}/key-information`).set(review).send(change).expect(200);
    // a duplicate case: another kindergarten of the county enters the same child, then deletes its entry; the case resolves by itself
    const other = await demo.as('1141010002-business');
    ids['dup'] = (await http.post('/api/v1/records').set(other).send({ ...aChild, name: '赵晓乐' }).expect(201)).body.id;
    const flagged = await http.post('/api/v1/records/submit').set(other).send({ recordIds: [ids['dup']] }).expect(200);
    expect(flagged.body.results[0].outcome).toBe('problem');
    await http.delete(`/api/v1/records/${ids['dup']}`).set(other).send({ reason: '幼儿实际在第一幼儿园' }).expect(200);
    let status = 'problem';
    for (let i = 0; i < 100 && status === 'problem'; i++) {
      const head = await app.get<EventStore>(EVENT_STORE).headPosition();
      status = (await http.get(`/api/v1/records/${ids['a']}`).set({ ...review, 'X-Min-Position': String(head) }).expect(200)).body.status;
    }
    expect(status).toBe('dedupe-passed');
    const head = await app.get<EventStore>(EVENT_STORE).headPosition();
    await caughtUp(head);
    expect(await app.get(ProjectionManager).waitFor(head, 10_000)).toBe(true);

    const consumer = new Consumer();
    expect(await consumer.pages(http, token, 1000)).toBe(true);
    const text = JSON.stringify([...consumer.records.values()]);
    expect(consumer.records.has(ids['x']!)).toBe(false);
    expect(consumer.records.has(ids['d']!)).toBe(false);
    // the three imported children are there, with their ID numbers masked
    expect([...consumer.records.values()].filter((r) => String(r['name']).startsWith('幼儿'))).toHaveLength(3);
    // a masked profile never receives a full ID number, guardian phone or address
    const res = await http.get('/api/v1/feed').query({ limit: 1000 }).set({ Authorization: `Bearer ${token}` }).expect(200);
    const all = JSON.stringify(res.body);
    for (const secretValue of [aChild.idNumber, aChild.address, aChild.guardians[0]!.phone, aChild.guardians[0]!.idNumber, '建设路 12 号院']) expect(all).not.toContain(secretValue);
    expect(text).toContain('赵晓乐');
    const entries = res.body.entries as Entry[];
    const kinds = entries.filter((e) => e.data.id === ids['a']).map((e) => e.data.kind);
    expect(kinds.slice(0, 7)).toEqual(['record.created', 'record.submitted', 'record.deduplication-passed', 'record.approved', 'record.numbered', 'record.key-changed', 'record.deduplication-passed']);
    expect(kinds).toContain('record.kept-after-duplicate-case');
    expect(entries.filter((e) => e.data.id === ids['dup']).map((e) => e.data.kind)).toEqual(expect.arrayContaining(['record.flagged-duplicate', 'record.left-duplicate-case', 'record.deleted']));
    const keyChange = entries.find((e) => e.data.kind === 'record.key-changed')!;
    expect(keyChange).toMatchObject({ specversion: '1.0', type: 'cn.preschool.record.key-changed.v1', subject: `records/${ids['a']}`, datacontenttype: 'application/json' });
    expect(keyChange.data.change).toMatchObject({ before: { name: '赵小乐' }, after: { name: '赵晓乐' } });
    expect(keyChange.data.change!['before']!['idNumber']).toMatch(/^\d{6}\*{12}$/);
    expect(keyChange.data.keys['recordNumber']).toMatch(/^G\d{6}\*{12}$/);
    expect(entries.filter((e) => e.data.id === ids['d']).map((e) => e.data.kind)).toEqual(['record.created', 'record.deleted']);
    expect(entries.some((e) => e.data.entity === 'institution' && e.data.id === KG)).toBe(true);
    expect(entries.some((e) => e.data.id === OTHER)).toBe(false);
    // cursors are strictly increasing log positions
    const cursors = entries.map((e) => Number(e.cursor));
    expect(cursors).toEqual([...cursors].sort((p, q) => p - q));
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it('replays into an empty copy equal to the service’s own records read model of the county, masked', async () => {
    const copy = new Consumer();
    await copy.pages(http, token, 7);
    const reads = app.get<ReadStore>(READ_STORE);
    const expected = new Map<string, Record<string, unknown>>();
    for (const doc of await findAll<Doc>(reads, RECORDS, { divisionCode: '410102' })) {
      const full = { recordId: doc.id, ...doc } as Record<string, unknown>;
      expected.set(doc.id, maskPersonal(Object.fromEntries(FIELDS.filter((f) => f in full).map((f) => [f, full[f]]))));
    }
    expect(expected.size).toBeGreaterThan(0);
    expect(Object.fromEntries(copy.records)).toEqual(Object.fromEntries(expected));
  });

  it('a consumer killed mid-stream resumes from its stored cursor: no gap, no duplicate', async () => {
    const whole = new Consumer();
    await whole.pages(http, token, 1000);
    const interrupted = new Consumer();
    await interrupted.pages(http, token, 3, 2);
    // the process dies; a new one starts from the cursor it stored, with a fresh token
    const resumed = new Consumer();
    resumed.cursor = interrupted.cursor;
    await resumed.pages(http, await tokenOf(clientId, secret), 4);
    expect([...interrupted.seen, ...resumed.seen]).toEqual(whole.seen);
  });

  it('the live tail sends the same entries as Server-Sent Events and resumes with Last-Event-ID', async () => {
    const whole = new Consumer();
    await whole.pages(http, token, 1000);
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const stop = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/feed/stream`, { headers: { Authorization: `Bearer ${token}`, 'Last-Event-ID': whole.seen[2]! }, signal: stop.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const want = whole.seen.length - 3 + 1;
    const ids = (): string[] => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]!);
    // a new record appears while the stream is open
    const live = http.post('/api/v1/records').set(await demo.as(`${KG}-business`)).send(child('周小新', '2022-08-01', 17));
    void live.then(() => undefined);
    while (ids().length < want) text += new TextDecoder().decode((await reader.read()).value);
    stop.abort();
    expect(ids().slice(0, want - 1)).toEqual(whole.seen.slice(3));
    expect(text).toContain('event: record.created');
  });

  it('rotation ends the old secret and its tokens; revocation ends the client’s tokens at once', async () => {
    const admin = await demo.as('410102-admin');
    const rotated = await http.post(`/api/v1/api-clients/${clientId}/rotate-secret`).set(admin).expect(200);
    expect(rotated.body.clientSecret).not.toBe(secret);
    await http.get('/api/v1/feed').set({ Authorization: `Bearer ${token}` }).expect(401);
    await http.post('/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).expect(401);
    secret = rotated.body.clientSecret;
    token = await tokenOf(clientId, secret);
    await http.get('/api/v1/feed').set({ Authorization: `Bearer ${token}` }).expect(200);
    await http.post(`/api/v1/api-clients/${clientId}/revoke`).set(await demo.as('410103-admin')).send({ reason: '门户停用' }).expect(404);
    await http.post(`/api/v1/api-clients/${clientId}/revoke`).set(admin).send({ reason: '门户停用' }).expect(200);
    await http.get('/api/v1/feed').set({ Authorization: `Bearer ${token}` }).expect(401);
    await http.post('/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).expect(401);
  });

  it('the live tail of a personal-profile client is read-audited like its pages (issue 21)', async () => {
    const res = await http.post('/api/v1/api-clients').set(await demo.as('admin')).send({ name: '河南省学籍审计测试', level: 'province', divisionCode: '410000', profile: 'personal' }).expect(201);
    const personalToken = await tokenOf(res.body.clientId, res.body.clientSecret);
    const created = (await http.post('/api/v1/records').set(await demo.as(`${KG}-business`)).send(child('欧阳审计', '2022-08-01', 18)).expect(201)).body.id as string;
    const server = app.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const stop = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${port}/api/v1/feed/stream`, { headers: { Authorization: `Bearer ${personalToken}` }, signal: stop.signal });
    const reader = stream.body!.getReader();
    let text = '';
    const recordIds = (): string[] => (text.includes(`"id":"${created}"`) ? [created] : []);
    for (let ended = false; !ended && recordIds().length === 0; ) {
      const chunk = await reader.read();
      ended = chunk.done;
      if (chunk.value) text += new TextDecoder().decode(chunk.value);
    }
    stop.abort();
    expect({ found: recordIds().length > 0, tail: recordIds().length > 0 ? '' : text.slice(-300) }).toEqual({ found: true, tail: '' });
    const recordId = recordIds()[0]!;
    const county = await demo.as('410102-admin');
    let routes: string[] = [];
    for (let i = 0; i < 50 && !routes.includes('GET /api/v1/feed/stream'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      routes = ((await http.get(`/api/v1/personal-data-reads/records/${recordId}`).set(county).expect(200)).body.items as Array<{ route: string }>).map((r) => r.route);
    }
    expect(routes).toContain('GET /api/v1/feed/stream');
  }, 120_000);

  it('a service restart mid-stream: the stored cursor resumes with no gap and no duplicate', async () => {
    const admin = await demo.as('admin');
    const res = await http.post('/api/v1/api-clients').set(admin).send({ name: '河南省学籍接续系统', level: 'province', divisionCode: '410000', profile: 'personal' }).expect(201);
    const whole = new Consumer();
    const provinceToken = await tokenOf(res.body.clientId, res.body.clientSecret);
    await whole.pages(http, provinceToken, 1000);
    const interrupted = new Consumer();
    await interrupted.pages(http, provinceToken, 5, 3);
    const { dataDir } = app.get<AppConfig>(APP_CONFIG);
    await app.close();
    app = await createFixtureApp({ dataDir });
    http = request(app.getHttpServer());
    // tokens live in the service's memory: after a restart the client asks again
    await http.get('/api/v1/feed').set({ Authorization: `Bearer ${provinceToken}` }).expect(401);
    const resumed = new Consumer();
    resumed.cursor = interrupted.cursor;
    await resumed.pages(http, await tokenOf(res.body.clientId, res.body.clientSecret), 6);
    expect([...interrupted.seen, ...resumed.seen]).toEqual(whole.seen);
    // the personal profile receives the full ID number
    expect(JSON.stringify([...whole.records.values()])).toContain(aChild.idNumber);
  }, 120_000);
});
