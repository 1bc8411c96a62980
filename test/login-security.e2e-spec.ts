import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { institutionDecider, institutionStream } from '../src/organisation/domain/institution.decider.js';
import { CommandPath } from '../src/shared/command/command-path.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

const INITIAL = 'Init#Pass2026';
const ADMIN_PASSWORD = 'Province#2026';
const MINUTE = 60_000;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Issue 20, items 3-6 and 14: throttling, enumeration, password expiry and rules, idle sessions, Beijing time. */
describe('login security (HTTP, on a set clock)', () => {
  const clock = new SettableClock('2026-09-01T08:00:00.000Z');
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;
  let admin: string;
  let adminPassword = ADMIN_PASSWORD;

  const login = (username: string, password: string, address: string) => http.post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });
  const streamTypes = async (accountId: string) => (await store.readStream(`account-${accountId}`)).map((e) => e.type);

  /** A registrar of the kindergarten with its password changed; returns id, password and a live token. */
  async function registrar(username: string, password: string, address: string) {
    // the clock moves on between the tests: the administrator's session may have gone idle
    if ((await http.get('/api/v1/auth/me').set(auth(admin))).status === 401) admin = (await login('admin', adminPassword, '10.1.0.1').expect(200)).body.token;
    const created = await http.post('/api/v1/accounts').set(auth(admin)).send({ username, realName: '张老师', level: 'institution', role: 'business', divisionCode: '410102', institutionCode: '1141010001' }).expect(201);
    const first = await login(username, created.body.initialPassword, address).expect(200);
    await http.post('/api/v1/auth/password').set(auth(first.body.token)).send({ currentPassword: created.body.initialPassword, newPassword: password }).expect(200);
    return { id: created.body.accountId as string, token: first.body.token as string };
  }

  beforeAll(async () => {
    app = await createFixtureApp({ bootstrapAdminPassword: INITIAL, trustProxy: true }, undefined, clock);
    http = request(app.getHttpServer());
    store = app.get<EventStore>(EVENT_STORE);
    const first = await login('admin', INITIAL, '10.1.0.1').expect(200);
    await http.post('/api/v1/auth/password').set(auth(first.body.token)).send({ currentPassword: INITIAL, newPassword: ADMIN_PASSWORD }).expect(200);
    admin = first.body.token;
    // institution accounts need their institution in the registry, in that county (issue 20, item 1)
    await app.get(CommandPath).run({
      streamId: institutionStream('1141010001'), decider: institutionDecider,
      command: { type: 'ApplyRegistryEntry', entry: { code: '1141010001', name: '中原区第一幼儿园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: null }, batchId: randomUUID() },
      context: { actor: { accountId: 'system', role: 'system', organisationId: 'system' }, correlationId: 'login-security-e2e', causationId: null },
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers an unknown username exactly like an existing one, failure after failure (item 4)', async () => {
    await registrar('1141010001-business', 'Kinder#Reg2026', '10.1.0.2');
    const answers = async (username: string, address: string) => {
      const out = [];
      for (let i = 0; i < 8; i++) {
        const res = await login(username, 'Wrong#0000', address);
        out.push({ status: res.status, code: res.body.code, message: res.body.message, retryAt: res.body.retryAt, retryAfter: res.headers['retry-after'] });
      }
      return out;
    };
    const existing = await answers('1141010001-business', '203.0.113.1');
    const unknown = await answers('1141010009-business', '203.0.113.2');
    expect(unknown).toEqual(existing);
    expect(existing.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    // both are security events with the client's address (issue 21, item 6); the unknown name only as a keyed hash
    const events = await store.readAll({ after: 0, maxCount: 100_000 });
    const failed = events.filter((e) => e.type === 'LoginFailed' || e.type === 'AccountLocked').map((e) => e.metadata.clientAddress);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed)).toEqual(new Set(['203.0.113.1']));
    const unknownLogins = events.filter((e) => e.type === 'LoginFailedForUnknownAccount');
    expect(unknownLogins).toHaveLength(5); // the throttled ones were refused before the account was looked up
    expect(unknownLogins.map((e) => [e.streamId, e.metadata.clientAddress])).toEqual(Array(5).fill(['security-log-20260901', '203.0.113.2']));
    expect(JSON.stringify(unknownLogins)).not.toContain('1141010009');
    expect(events.find((e) => e.type === 'LoginSucceeded')!.metadata.clientAddress).toBe('10.1.0.1');
  });

  it('tells when to come back in Beijing time and lets the wait grow with each further failure (items 3, 14)', async () => {
    // the account's failures of the previous test leave its hourly window
    clock.set('2026-09-01T09:01:00.000Z');
    const address = '203.0.113.3';
    for (let i = 0; i < 5; i++) await login('1141010001-business', 'Wrong#0000', address).expect(401);
    const first = await login('1141010001-business', 'Wrong#0000', address).expect(429);
    // 09:01 UTC + 1 minute is 17:02 in Beijing
    expect(first.body.message).toMatch(/北京时间 17:02 后再试/);
    expect(first.headers['retry-after']).toBe('60');
    expect(first.headers['content-type']).toMatch(/application\/problem\+json/);
    clock.advance(MINUTE);
    await login('1141010001-business', 'Wrong#0000', address).expect(401);
    const second = await login('1141010001-business', 'Wrong#0000', address).expect(429);
    expect(second.headers['retry-after']).toBe('120');
    // meanwhile the registrar at the kindergarten logs in as usual
    await login('1141010001-business', 'Kinder#Reg2026', '10.1.0.2').expect(200);
  });

  it('enforces an expired password like a first one: only the change is open (item 5)', async () => {
    const { token } = await registrar('expiring-business', 'Kinder#Exp2026', '10.1.0.3');
    await http.post('/api/v1/auth/logout').set(auth(token)).expect(200);
    clock.advance(91 * 24 * 60 * MINUTE);
    const again = await login('expiring-business', 'Kinder#Exp2026', '10.1.0.3').expect(200);
    expect(again.body.mustChangePassword).toBe(true);
    const blocked = await http.get('/api/v1/records/saved').set(auth(again.body.token)).expect(403);
    expect(blocked.body.code).toBe('password-change-required');
    await http.get('/api/v1/auth/me').set(auth(again.body.token)).expect(200);
    await http.post('/api/v1/auth/password').set(auth(again.body.token)).send({ currentPassword: 'Kinder#Exp2026', newPassword: 'Kinder#Exp2027' }).expect(200);
    await http.get('/api/v1/records/saved').set(auth(again.body.token)).expect(200);
    // the administrator's password has expired too
    admin = (await login('admin', ADMIN_PASSWORD, '10.1.0.1').expect(200)).body.token;
    await http.post('/api/v1/auth/password').set(auth(admin)).send({ currentPassword: ADMIN_PASSWORD, newPassword: 'Province#2027' }).expect(200);
    adminPassword = 'Province#2027';
  });

  it('counts wrong current passwords on a password change as failed logins (item 5)', async () => {
    const { id, token } = await registrar('changing-business', 'Kinder#Chg2026', '10.1.0.4');
    for (let i = 0; i < 5; i++) {
      const res = await http.post('/api/v1/auth/password').set(auth(token)).set('X-Forwarded-For', '10.1.0.4').send({ currentPassword: `Guess#${i}000`, newPassword: 'Kinder#Chg2027' }).expect(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'currentPassword', code: 'wrong-password' });
    }
    const throttled = await http.post('/api/v1/auth/password').set(auth(token)).set('X-Forwarded-For', '10.1.0.4').send({ currentPassword: 'Kinder#Chg2026', newPassword: 'Kinder#Chg2027' }).expect(429);
    expect(throttled.body.code).toBe('login-throttled');
    await login('changing-business', 'Kinder#Chg2026', '10.1.0.4').expect(429);
    expect((await streamTypes(id)).filter((t) => t === 'LoginFailed')).toHaveLength(5);
  });

  it('refuses the most common passwords whatever their case (item 5)', async () => {
    const { token } = await registrar('common-business', 'Kinder#Com2026', '10.1.0.5');
    for (const newPassword of ['Password1!', 'aDMIN@123', 'P@ssw0rd', 'Woaini1314!']) {
      const res = await http.post('/api/v1/auth/password').set(auth(token)).send({ currentPassword: 'Kinder#Com2026', newPassword }).expect(400);
      expect(res.body.errors.map((e: { code: string }) => e.code)).toContain('password-common');
      expect(res.body.errors.find((e: { code: string }) => e.code === 'password-common').message).toMatch(/常见/);
    }
  });

  it('ends a session after 30 minutes without a request, besides the 8-hour limit (item 6)', async () => {
    const { id, token } = await registrar('idle-business', 'Kinder#Idle2026', '10.1.0.6');
    clock.advance(29 * MINUTE);
    await http.get('/api/v1/auth/me').set(auth(token)).expect(200);
    clock.advance(29 * MINUTE);
    await http.get('/api/v1/auth/me').set(auth(token)).expect(200);
    clock.advance(31 * MINUTE);
    const idle = await http.get('/api/v1/auth/me').set(auth(token)).expect(401);
    expect(idle.body).toMatchObject({ code: 'session-idle', message: expect.stringMatching(/30 分钟未操作/) });
    const ended = (await store.readStream(`account-${id}`)).filter((e) => e.type === 'SessionEnded');
    expect(ended.map((e) => e.data['cause'])).toEqual(['idle']);

    // a session left idle without another request does not block the next login either (no 409 session-live)
    const next = await login('idle-business', 'Kinder#Idle2026', '10.1.0.6').expect(200);
    clock.advance(31 * MINUTE);
    await login('idle-business', 'Kinder#Idle2026', '10.1.0.6').expect(200);
    await http.get('/api/v1/auth/me').set(auth(next.body.token)).expect(401);
  });
});

describe('request limits per client address (item 3)', () => {
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await createFixtureApp({ bootstrapAdminPassword: INITIAL, rateLimitLoginMax: 3, rateLimitPublicMax: 5 });
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
  });

  it('limits logins and unauthenticated requests with problem+json and Retry-After, not a signed-in caller', async () => {
    const token = (await http.post('/api/v1/auth/login').send({ username: 'admin', password: INITIAL }).expect(200)).body.token;
    await http.post('/api/v1/auth/login').send({ username: 'nobody', password: 'x' }).expect(401);
    await http.post('/api/v1/auth/login').send({ username: 'nobody', password: 'x' }).expect(401);
    const limited = await http.post('/api/v1/auth/login').send({ username: 'admin', password: INITIAL }).expect(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'too-many-requests', message: expect.stringMatching(/登录请求过于频繁/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    for (let i = 0; i < 5; i++) await http.get('/health').expect(200);
    const health = await http.get('/health').expect(429);
    expect(health.body.message).toMatch(/请求过于频繁/);
    await http.get('/api/v1/no-such-route').expect(429);

    for (let i = 0; i < 8; i++) await http.get('/api/v1/auth/me').set(auth(token)).expect(200);
  });
});

describe('password hashes upgraded at the next login (item 5)', () => {
  it('hashes again at the configured cost once, with an event, and the password still works', async () => {
    const before = await createFixtureApp({ bootstrapAdminPassword: INITIAL, passwordHashCost: 12 });
    const dataDir = before.get<{ dataDir: string }>(APP_CONFIG).dataDir;
    await before.close();
    const app = await createFixtureApp({ dataDir, passwordHashCost: 13 });
    try {
      const http = request(app.getHttpServer());
      const first = await http.post('/api/v1/auth/login').send({ username: 'admin', password: INITIAL }).expect(200);
      await http.post('/api/v1/auth/logout').set(auth(first.body.token)).expect(200);
      await http.post('/api/v1/auth/login').send({ username: 'admin', password: INITIAL }).expect(200);
      const events = await app.get<EventStore>(EVENT_STORE).readStream(`account-${first.body.accountId}`);
      expect(String(events.find((e) => e.type === 'AccountCreated')!.data['passwordHash'])).toMatch(/^scrypt\$4096\$8\$1\$/);
      const rehashed = events.filter((e) => e.type === 'PasswordRehashed');
      expect(rehashed).toHaveLength(1);
      expect(String(rehashed[0]!.data['passwordHash'])).toMatch(/^scrypt\$8192\$8\$1\$/);
    } finally {
      await app.close();
    }
  });
});
