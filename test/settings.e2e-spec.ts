import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

describe('feature switches and business windows (HTTP)', () => {
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;
  let admin: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  // the fixture's "open account" command belongs to the business record-registration
  const registerSomething = (id: string) => http.post('/api/v1/test-ledger/accounts').set('X-Test-Actor', 'kg:business:1141010001').send({ accountId: id, owner: '张三' });

  beforeAll(async () => {
    app = await createFixtureApp({ bootstrapAdminPassword: 'Init#Pass2026' });
    http = request(app.getHttpServer());
    store = app.get<EventStore>(EVENT_STORE);
    const first = await http.post('/api/v1/auth/login').send({ username: 'admin', password: 'Init#Pass2026' }).expect(200);
    await http.post('/api/v1/auth/password').set(auth(first.body.token)).send({ currentPassword: 'Init#Pass2026', newPassword: 'Province#2026' }).expect(200);
    admin = first.body.token;
  });
  afterAll(async () => {
    await app.close();
  });

  it('lists every business, open by default', async () => {
    const res = await http.get('/api/v1/settings').set(auth(admin)).expect(200);
    expect(res.body.provinceCode).toBe('410000');
    expect(res.body.businesses.find((b: { business: string }) => b.business === 'record-registration')).toEqual({ business: 'record-registration', label: '幼儿学籍注册', enabled: true, window: null });
    await registerSomething('open-by-default').expect(201);
  });

  it('refuses a command outside its window with a message naming the window, and accepts it once cleared', async () => {
    await http.put('/api/v1/settings/businesses/record-registration/window').set(auth(admin)).send({ opensAt: '2020-09-01T00:00:00+08:00', closesAt: '2020-10-01T00:00:00+08:00', reason: '2020 秋季注册' }).expect(200);
    const refused = await registerSomething('outside-window').expect(403);
    expect(refused.body).toMatchObject({ code: 'outside-business-window', business: 'record-registration' });
    expect(refused.body.message).toBe('“幼儿学籍注册”仅在 2020-09-01 00:00 至 2020-10-01 00:00（北京时间）开放，请在开放时间内办理，或联系省级管理员调整时间');
    expect(await store.readStream('ledger-outside-window')).toEqual([]);
    await http.post('/api/v1/settings/businesses/record-registration/window/clear').set(auth(admin)).send({ reason: '全年开放' }).expect(200);
    await registerSomething('after-clear').expect(201);
  });

  it('refuses a switched-off business and records each switch with actor and reason', async () => {
    await http.post('/api/v1/settings/businesses/record-registration/switch').set(auth(admin)).send({ enabled: false, reason: '数据核查期间暂停注册' }).expect(200);
    const refused = await registerSomething('switched-off').expect(403);
    expect(refused.body.code).toBe('feature-disabled');
    await http.post('/api/v1/settings/businesses/record-registration/switch').set(auth(admin)).send({ enabled: true, reason: '核查结束' }).expect(200);
    await registerSomething('switched-on').expect(201);
    const events = await store.readStream('province-settings-410000');
    expect(events.map((e) => [e.type, e.metadata.reason])).toEqual([
      ['BusinessWindowSet', '2020 秋季注册'],
      ['BusinessWindowCleared', '全年开放'],
      ['FeatureSwitched', '数据核查期间暂停注册'],
      ['FeatureSwitched', '核查结束'],
    ]);
    expect(events[2]!.metadata.actor).toMatchObject({ role: 'admin', organisationId: '410000' });
  });

  it('refuses bad input and non-administrators, changing nothing', async () => {
    const bad = await http.put('/api/v1/settings/businesses/record-registration/window').set(auth(admin)).send({ opensAt: '2026-10-01T00:00:00Z', closesAt: '2026-09-01T00:00:00Z', reason: '写反了' }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'closesAt', code: 'window-order' });
    const notADate = await http.put('/api/v1/settings/businesses/record-registration/window').set(auth(admin)).send({ opensAt: '九月一日', closesAt: '2026-09-01', reason: 'x' }).expect(400);
    expect(notADate.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['opensAt', 'reason']);
    await http.post('/api/v1/settings/businesses/flying/switch').set(auth(admin)).send({ enabled: false, reason: '没有这个业务' }).expect(404);
    const created = await http.post('/api/v1/accounts').set(auth(admin)).send({ username: 'county-a', realName: '王五', level: 'county', role: 'admin', divisionCode: '410102' }).expect(201);
    const first = await http.post('/api/v1/auth/login').send({ username: 'county-a', password: created.body.initialPassword }).expect(200);
    await http.post('/api/v1/auth/password').set(auth(first.body.token)).send({ currentPassword: created.body.initialPassword, newPassword: 'County#2026' }).expect(200);
    const denied = await http.post('/api/v1/settings/businesses/graduation/switch').set(auth(first.body.token)).send({ enabled: false, reason: '区县无权' }).expect(403);
    expect(denied.body.code).toBe('province-admin-only');
    expect((await store.readStream('province-settings-410000')).length).toBe(4);
  });
});
