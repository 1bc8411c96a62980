import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

const ACTOR = 'acc-registrar-1:business:4101020001';

describe('foundation through HTTP (ledger fixture context)', () => {
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;

  beforeAll(async () => {
    app = await createFixtureApp({ bootstrapAdminPassword: 'Init#Pass2026' });
    http = request(app.getHttpServer());
    store = app.get<EventStore>(EVENT_STORE);
  });
  afterAll(async () => {
    await app.close();
  });

  const open = (accountId: string, owner = '王小明') =>
    http.post('/api/v1/test-ledger/accounts').set('X-Test-Actor', ACTOR).send({ accountId, owner });

  it('answers a command with revision, position and ETag, and the query reads its own write', async () => {
    const id = `a-${randomUUID()}`;
    const res = await open(id).set('X-Correlation-Id', 'corr-e2e-1').expect(201);
    expect(res.body).toMatchObject({ id, revision: 0, events: ['AccountOpened'] });
    expect(res.body.position).toBeGreaterThan(0);
    expect(res.headers['etag']).toBe('"0"');
    expect(res.headers['x-log-position']).toBe(String(res.body.position));
    expect(res.headers['x-correlation-id']).toBe('corr-e2e-1');

    const read = await http.get(`/api/v1/test-ledger/accounts/${id}`).set('X-Min-Position', String(res.body.position)).expect(200);
    expect(read.body).toEqual({ id, owner: '王小明', status: 'open', balance: 0, deposits: 0, openedBy: 'acc-registrar-1' });
  });

  it('stores the audit metadata on every event: actor, correlation, causation, time, schema version, reason', async () => {
    const id = `a-${randomUUID()}`;
    await open(id).set('X-Correlation-Id', 'corr-audit').expect(201);
    await http
      .post(`/api/v1/test-ledger/accounts/${id}/close`)
      .set('X-Test-Actor', 'acc-reviewer-9:review:4101020001')
      .set('X-Correlation-Id', 'corr-audit')
      .set('X-Causation-Id', 'cause-42')
      .send({ reason: '家长申请注销' })
      .expect(200);
    const events = await store.readStream(`ledger-${id}`);
    expect(events.map((e) => e.type)).toEqual(['AccountOpened', 'AccountClosed']);
    const closed = events[1]!.metadata;
    expect(closed.actor).toEqual({ accountId: 'acc-reviewer-9', role: 'review', organisationId: '4101020001' });
    expect(closed.correlationId).toBe('corr-audit');
    expect(closed.causationId).toBe('cause-42');
    expect(closed.reason).toBe('家长申请注销');
    expect(closed.schemaVersion).toBe(1);
    expect(events[0]!.metadata.schemaVersion).toBe(2);
    expect(closed.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(closed.occurredAt)).not.toBeNaN();
  });

  it('refuses a stale If-Match with 412 and changes nothing; a current one succeeds', async () => {
    const id = `a-${randomUUID()}`;
    await open(id).expect(201);
    await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).send({ amount: 10 }).expect(200);
    const stale = await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).set('If-Match', '"0"').send({ amount: 5 }).expect(412);
    expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(stale.body).toMatchObject({ status: 412, code: 'stale-revision', expectedRevision: 0, currentRevision: 1 });
    expect(stale.body.message).toMatch(/已被修改/);
    expect(await store.readStream(`ledger-${id}`)).toHaveLength(2);
    const ok = await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).set('If-Match', '"1"').send({ amount: 5 }).expect(200);
    expect(ok.headers['etag']).toBe('"2"');
    await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).set('If-Match', 'banana').send({ amount: 5 }).expect(400);
  });

  it('retries concurrent commands on one stream without losing any (no If-Match)', async () => {
    const id = `a-${randomUUID()}`;
    await open(id).expect(201);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).send({ amount: i + 1 })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(200));
    const last = Math.max(...results.map((r) => r.body.position as number));
    const read = await http.get(`/api/v1/test-ledger/accounts/${id}`).set('X-Min-Position', String(last)).expect(200);
    expect(read.body).toMatchObject({ balance: (30 * 31) / 2, deposits: 30 });
    expect(new Set(results.map((r) => r.body.revision)).size).toBe(30);
  });

  it('is idempotent for a repeated command with the same business id', async () => {
    const id = `a-${randomUUID()}`;
    await open(id).expect(201);
    const first = await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).send({ amount: 7, depositId: 'dep-1' }).expect(200);
    const again = await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).send({ amount: 7, depositId: 'dep-1' }).expect(200);
    expect(again.body).toMatchObject({ revision: first.body.revision, events: [] });
    expect(await store.readStream(`ledger-${id}`)).toHaveLength(2);
  });

  it('answers bad input with problem details, a stable code, a Chinese message and the field, changing nothing', async () => {
    const id = `a-${randomUUID()}`;
    await open(id).expect(201);
    const head = await store.headPosition();

    const invalid = await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).send({ amount: 'lots', extra: 1 }).expect(400);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(invalid.body).toMatchObject({ type: 'urn:preschool-records:problem:validation-failed', title: '请求有误', status: 400, code: 'validation-failed' });
    expect(invalid.body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'amount', 'extra']);
    for (const e of invalid.body.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);

    const malformed = await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).set('Content-Type', 'application/json').send('{"amount": ').expect(400);
    expect(malformed.body.code).toBe('malformed-json');

    const duplicate = await open(id).expect(409);
    expect(duplicate.body).toMatchObject({ code: 'account-exists', message: '账户已存在' });

    const missing = await http.post(`/api/v1/test-ledger/accounts/nobody/deposits`).set('X-Test-Actor', ACTOR).send({ amount: 1 }).expect(404);
    expect(missing.body.code).toBe('account-not-found');

    const anonymous = await http.post('/api/v1/test-ledger/accounts').send({ accountId: 'x', owner: 'y' }).expect(401);
    expect(anonymous.body.code).toBe('unauthenticated');

    expect(await store.headPosition()).toBe(head);

    await http.post(`/api/v1/test-ledger/accounts/${id}/close`).set('X-Test-Actor', ACTOR).send({ reason: '测试' }).expect(200);
    const closed = await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).send({ amount: 1 }).expect(422);
    expect(closed.body).toMatchObject({ code: 'account-closed', status: 422 });
  });

  it('bounds a read-your-writes wait and answers 503 projection-lagging past it', async () => {
    const head = await store.headPosition();
    const res = await http.get('/api/v1/test-ledger/accounts').set('X-Min-Position', String(head + 1000)).set('X-Wait-Ms', '150').expect(503);
    expect(res.body).toMatchObject({ code: 'projection-lagging', position: head + 1000, waitedMs: 150 });
    expect(res.headers['retry-after']).toBe('1');
    await http.get('/api/v1/test-ledger/accounts').set('X-Min-Position', '-3').expect(400);
  });

  it('pages a list with a cursor', async () => {
    const owner = `owner-${randomUUID()}`;
    let position = 0;
    for (let i = 0; i < 5; i++) position = (await open(`a-${randomUUID()}`, owner).expect(201)).body.position;
    const first = await http.get('/api/v1/test-ledger/accounts').query({ owner, limit: 3 }).set('X-Min-Position', String(position)).expect(200);
    expect(first.body.items).toHaveLength(3);
    const second = await http.get('/api/v1/test-ledger/accounts').query({ owner, limit: 3, cursor: first.body.nextCursor }).expect(200);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const bad = await http.get('/api/v1/test-ledger/accounts').query({ cursor: 'nonsense' }).expect(400);
    expect(bad.body.code).toBe('invalid-query');
  });

  it('upcasts events stored with an older schema version when reading', async () => {
    const id = `legacy-${randomUUID()}`;
    const appended = await store.append(`ledger-${id}`, [{
      type: 'AccountOpened',
      data: { accountId: id, holder: '李四', openedAt: '2024-09-01T00:00:00.000Z' },
      metadata: { eventId: randomUUID(), actor: { accountId: 'legacy', role: 'system', organisationId: 'x' }, correlationId: 'c', causationId: null, occurredAt: '2024-09-01T00:00:00.000Z', schemaVersion: 1 },
    }], 'no_stream');
    const read = await http.get(`/api/v1/test-ledger/accounts/${id}`).set('X-Min-Position', String(appended.position)).expect(200);
    expect(read.body.owner).toBe('李四');
    // the command path folds the upcast event too
    await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', ACTOR).send({ amount: 3 }).expect(200);
  });

  it('shows projection lag, health, readiness and the OpenAPI document', async () => {
    const head = await store.headPosition();
    await http.get('/api/v1/test-ledger/accounts').set('X-Min-Position', String(head)).expect(200);
    await http.get('/api/v1/system/projections').expect(401);
    const login = await http.post('/api/v1/auth/login').send({ username: 'admin', password: 'Init#Pass2026' }).expect(200);
    const lag = await http.get('/api/v1/system/projections').set('Authorization', `Bearer ${login.body.token}`).expect(403); // must change the initial password first
    expect(lag.body.code).toBe('password-change-required');
    await http.post('/api/v1/auth/password').set('Authorization', `Bearer ${login.body.token}`).send({ currentPassword: 'Init#Pass2026', newPassword: 'Ops#2026xyz' }).expect(200);
    const after = await store.headPosition(); // the login and the password change are events too
    await http.get('/api/v1/test-ledger/accounts').set('X-Min-Position', String(after)).expect(200);
    // the ledger query waited for its own projection only; the lag page waits for every projection, the worker's too
    const lagging = await http.get('/api/v1/system/projections').set('Authorization', `Bearer ${login.body.token}`).set('X-Min-Position', String(after)).expect(200);
    // the process managers are listed with their lag (records: province de-duplication, duplicate-case resolution, erasure; enrolment: its lifecycle; transfers)
    expect(lagging.body.reactors.map((r: { name: string; error: string | null }) => [r.name, r.error])).toEqual([['province-deduplication', null], ['duplicate-case-resolution', null], ['record-erasure', null], ['enrolment-lifecycle', null], ['transfers', null]]);
    const ledger = lagging.body.items.find((p: { name: string }) => p.name === 'ledger-accounts');
    expect(ledger).toMatchObject({ version: 1, state: 'running', head: after, position: after, behind: 0, lagMs: 0, thread: 'main' });
    // the service's own projections run in the worker thread, and it has applied the password change too
    const accounts = lagging.body.items.find((p: { name: string }) => p.name === 'accounts');
    expect(accounts).toMatchObject({ state: 'running', position: after, behind: 0, thread: 'worker' });
    // the live summary counters are a projection too, on the main thread (the month-end snapshot holds them at its cut-off)
    expect(lagging.body.items.find((p: { name: string }) => p.name === 'reporting-counters')).toMatchObject({ version: 2, state: 'running', position: after, thread: 'main' });
    expect(after).toBeGreaterThan(head);
    await http.get('/health').expect(200, { status: 'ok' });
    const ready = await http.get('/ready').expect(200);
    expect(ready.body.checks.projections.status).toBe('up');
    const doc = await http.get('/api/v1/openapi.json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/health', '/ready', '/api/v1/system/projections', '/api/v1/test-ledger/accounts']));
    const ui = await http.get('/api/v1/docs').expect(200);
    expect(ui.text).toMatch(/swagger/i);
    const unknown = await http.get('/api/v1/no-such-thing').expect(404);
    expect(unknown.body.code).toBe('route-not-found');
  });
});
