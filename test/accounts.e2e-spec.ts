import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { type RegistryEntry, institutionDecider, institutionStream } from '../src/organisation/domain/institution.decider.js';
import { CommandPath } from '../src/shared/command/command-path.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

const INITIAL = 'Init#Pass2026';

describe('accounts: bootstrap, login, password rules, sessions, lockout, resets (HTTP)', () => {
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;

  beforeAll(async () => {
    // client addresses come from X-Forwarded-For, so the test can speak from several
    app = await createFixtureApp({ bootstrapAdminPassword: INITIAL, trustProxy: true });
    http = request(app.getHttpServer());
    store = app.get<EventStore>(EVENT_STORE);
  });
  afterAll(async () => {
    await app.close();
  });

  /** The registry's entry for an institution, without the sync's three accounts (the lists below count accounts). */
  const registerInstitution = (entry: RegistryEntry) => app.get(CommandPath).run({
    streamId: institutionStream(entry.code), decider: institutionDecider, command: { type: 'ApplyRegistryEntry', entry, batchId: randomUUID() },
    context: { actor: { accountId: 'system', role: 'system', organisationId: 'system' }, correlationId: 'accounts-e2e', causationId: null },
  });
  const login = (username: string, password: string, address = '127.0.0.1') => http.post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ username, password });
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** Logs in with the initial password, sets a new one, logs in again: a ready session. */
  async function firstLogin(username: string, initial: string, newPassword: string): Promise<string> {
    const first = await login(username, initial).expect(200);
    expect(first.body.mustChangePassword).toBe(true);
    await http.post('/api/v1/auth/password').set(auth(first.body.token)).send({ currentPassword: initial, newPassword }).expect(200);
    await http.post('/api/v1/auth/logout').set(auth(first.body.token)).expect(200);
    const again = await login(username, newPassword).expect(200);
    expect(again.body.mustChangePassword).toBe(false);
    return again.body.token as string;
  }

  let provinceAdmin: string;
  let countyAdminId: string;
  let countyAdmin: string;

  it('the fresh deployment has its administrator, who must change the initial password first', async () => {
    const res = await login('admin', INITIAL).expect(200);
    expect(res.body).toMatchObject({ mustChangePassword: true });
    expect(res.body.token.split('.')).toHaveLength(3);
    const blocked = await http.post('/api/v1/accounts').set(auth(res.body.token)).send({}).expect(403);
    expect(blocked.body.code).toBe('password-change-required');
    const me = await http.get('/api/v1/auth/me').set(auth(res.body.token)).expect(200);
    expect(me.body).toMatchObject({ username: 'admin', level: 'province', role: 'admin', divisionCode: '410000', mustChangePassword: true });

    const weak = await http.post('/api/v1/auth/password').set(auth(res.body.token)).send({ currentPassword: INITIAL, newPassword: 'abc' }).expect(400);
    expect(weak.body.errors.map((e: { code: string }) => e.code)).toEqual(['password-too-short', 'password-too-simple', 'password-common']);
    const wrong = await http.post('/api/v1/auth/password').set(auth(res.body.token)).send({ currentPassword: 'nope', newPassword: 'Better#2026' }).expect(400);
    expect(wrong.body.errors[0]).toMatchObject({ field: 'currentPassword', code: 'wrong-password' });
    const reused = await http.post('/api/v1/auth/password').set(auth(res.body.token)).send({ currentPassword: INITIAL, newPassword: INITIAL }).expect(400);
    expect(reused.body.errors[0]).toMatchObject({ field: 'newPassword', code: 'password-reused' });

    await http.post('/api/v1/auth/password').set(auth(res.body.token)).send({ currentPassword: INITIAL, newPassword: 'Province#2026' }).expect(200);
    provinceAdmin = res.body.token;
    const after = await http.get('/api/v1/auth/me').set(auth(provinceAdmin)).expect(200);
    expect(after.body.mustChangePassword).toBe(false);
  });

  it('refuses a wrong password without saying whether the account exists', async () => {
    const unknown = await login('nobody', 'whatever').expect(401);
    const wrong = await login('admin', 'whatever').expect(401);
    expect(unknown.body).toMatchObject({ code: 'login-failed', message: '账号或密码错误' });
    expect(wrong.body).toMatchObject({ code: 'login-failed', message: '账号或密码错误' });
  });

  it('allows one live session per account: a second login is refused with a message', async () => {
    const second = await login('admin', 'Province#2026').expect(409);
    expect(second.body.code).toBe('session-live');
    expect(second.body.message).toMatch(/已在其他地方登录/);
  });

  it('an administrator creates accounts within its jurisdiction only, with unique usernames', async () => {
    const created = await http.post('/api/v1/accounts').set(auth(provinceAdmin)).send({ username: 'zhongyuan-admin', realName: '王管理', level: 'county', role: 'admin', divisionCode: '410102' }).expect(201);
    expect(created.body).toMatchObject({ accountId: expect.stringMatching(/^[0-9a-f-]{36}$/), initialPassword: expect.any(String) });
    countyAdminId = created.body.accountId;
    countyAdmin = await firstLogin('zhongyuan-admin', created.body.initialPassword, 'Zhongyuan#2026');

    const taken = await http.post('/api/v1/accounts').set(auth(provinceAdmin)).send({ username: 'ZhongYuan-Admin', realName: '李四', level: 'county', role: 'business', divisionCode: '410102' }).expect(409);
    expect(taken.body.code).toBe('username-taken');
    const outside = await http.post('/api/v1/accounts').set(auth(countyAdmin)).send({ username: 'other-county', realName: '赵六', level: 'county', role: 'business', divisionCode: '410103' }).expect(403);
    expect(outside.body.code).toBe('outside-jurisdiction');
    const invalid = await http.post('/api/v1/accounts').set(auth(countyAdmin)).send({ username: 'x', realName: '', level: 'town', role: 'boss', divisionCode: '41' }).expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['divisionCode', 'level', 'realName', 'role', 'username']);
  });

  it('a kicked-out session stops working at once, and the account can log in again', async () => {
    await http.get('/api/v1/auth/me').set(auth(countyAdmin)).expect(200);
    await http.post(`/api/v1/accounts/${countyAdminId}/kick-out`).set(auth(provinceAdmin)).send({ reason: '账号借用未登记' }).expect(200);
    const dead = await http.get('/api/v1/auth/me').set(auth(countyAdmin)).expect(401);
    expect(dead.body.code).toBe('session-invalid');
    countyAdmin = (await login('zhongyuan-admin', 'Zhongyuan#2026').expect(200)).body.token;
    const events = await store.readStream(`account-${countyAdminId}`);
    const kicked = events.find((e) => e.type === 'SessionEnded' && e.data['cause'] === 'kicked')!;
    expect(kicked.metadata.reason).toBe('账号借用未登记');
    expect(kicked.metadata.actor.role).toBe('admin');
    expect(kicked.metadata.actor.organisationId).toBe('410000');
  });

  it('slows a guesser at one address, not the holder elsewhere; failures from many addresses refuse the account until a reset lifts it', async () => {
    // an institution account needs its institution in the registry, in that county
    await registerInstitution({ code: '1141010001', name: '中原区第一幼儿园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: null });
    const created = await http.post('/api/v1/accounts').set(auth(countyAdmin)).send({ username: 'kg1-review', realName: '李老师', level: 'institution', role: 'review', divisionCode: '410102', institutionCode: '1141010001' }).expect(201);
    const kgId = created.body.accountId;
    for (let i = 0; i < 5; i++) await login('kg1-review', 'Wrong#0000', '203.0.113.9').expect(401);
    const slowed = await login('kg1-review', created.body.initialPassword, '203.0.113.9').expect(429);
    expect(slowed.body).toMatchObject({ code: 'login-throttled', message: expect.stringMatching(/北京时间 \d\d:\d\d 后再试/) });
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    // the stranger did not lock the holder out (before: 423 account-locked for 30 minutes)
    const holder = await login('kg1-review', created.body.initialPassword, '198.51.100.7').expect(200);
    await http.post('/api/v1/auth/logout').set(auth(holder.body.token)).expect(200);

    for (let i = 1; i <= 10; i++) await login('kg1-review', 'Wrong#0000', `192.0.2.${i}`).expect(401);
    const refused = await login('kg1-review', created.body.initialPassword, '198.51.100.7').expect(429);
    expect(refused.body.code).toBe('login-throttled');

    const reset = await http.post(`/api/v1/accounts/${kgId}/password-reset`).set(auth(countyAdmin)).send({ reason: '密码遗忘，园长电话申请' }).expect(200);
    const token = (await login('kg1-review', reset.body.temporaryPassword, '198.51.100.7').expect(200)).body;
    expect(token.mustChangePassword).toBe(true);

    const types = (await store.readStream(`account-${kgId}`)).map((e) => e.type);
    expect(types).toEqual([
      'AccountCreated', ...Array(5).fill('LoginFailed'), 'LoginSucceeded', 'SessionEnded', ...Array(10).fill('LoginFailed'), 'AccountLocked', 'PasswordReset', 'LoginSucceeded',
    ]);
  });

  it('follows the reset hierarchy: nobody resets an administrator of the own level or anything outside the jurisdiction', async () => {
    const me = await http.get('/api/v1/auth/me').set(auth(provinceAdmin)).expect(200);
    const upward = await http.post(`/api/v1/accounts/${me.body.accountId}/password-reset`).set(auth(countyAdmin)).send({ reason: '试图越权' }).expect(404);
    expect(upward.body.code).toBe('account-not-found');
    const own = await http.post(`/api/v1/accounts/${me.body.accountId}/password-reset`).set(auth(provinceAdmin)).send({ reason: '重置自己' }).expect(403);
    expect(own.body.code).toBe('reset-not-allowed');
    const downward = await http.post(`/api/v1/accounts/${countyAdminId}/password-reset`).set(auth(provinceAdmin)).send({ reason: '区县管理员遗忘密码' }).expect(200);
    expect(downward.body.temporaryPassword).toEqual(expect.any(String));
    // the reset also ended the county administrator's live session
    await http.get('/api/v1/auth/me').set(auth(countyAdmin)).expect(401);
  });

  it('refuses requests without a valid token', async () => {
    const missing = await http.get('/api/v1/auth/me').expect(401);
    expect(missing.body.code).toBe('unauthenticated');
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    await http.get('/api/v1/auth/me').set(auth('not-a-token')).expect(401);
    await http.get('/api/v1/auth/me').set(auth(`${countyAdminId}.00000000-0000-0000-0000-000000000000.forged`)).expect(401);
  });

  it('lists the accounts an administrator manages, shows each one’s security history without hashes, and kicks out many at once', async () => {
    const head = String(await store.headPosition());
    const province = await http.get('/api/v1/accounts').set(auth(provinceAdmin)).set('X-Min-Position', head).expect(200);
    expect(province.body.items.map((a: { username: string }) => a.username)).toEqual(['admin', 'kg1-review', 'zhongyuan-admin']);
    const kg = province.body.items.find((a: { username: string }) => a.username === 'kg1-review');
    expect(kg).toMatchObject({ level: 'institution', institutionCode: '1141010001', disabled: false, lockedUntil: null, session: { expiresAt: expect.any(String) } });
    expect(JSON.stringify(province.body)).not.toMatch(/scrypt|tokenHash|passwordHash/);

    const history = await http.get(`/api/v1/accounts/${kg.id}/history`).set(auth(provinceAdmin)).expect(200);
    expect(history.body.map((e: { type: string }) => e.type)).toContain('AccountLocked');
    const reset = history.body.find((e: { type: string }) => e.type === 'PasswordReset');
    expect(reset).toMatchObject({ reason: '密码遗忘，园长电话申请', actor: { role: 'admin', organisationId: '410102' } });
    expect(JSON.stringify(history.body)).not.toMatch(/scrypt|tokenHash|passwordHash/);

    const kicked = await http.post('/api/v1/accounts/kick-out').set(auth(provinceAdmin)).send({ accountIds: [kg.id, countyAdminId], reason: '系统升级前清退会话' }).expect(200);
    expect(kicked.body.items).toEqual([
      { accountId: kg.id, kickedOut: true, position: expect.any(Number) },
      { accountId: countyAdminId, kickedOut: false, position: expect.any(Number) },
    ]);
    const invalid = await http.post('/api/v1/accounts/kick-out').set(auth(provinceAdmin)).send({ accountIds: [], reason: 'x' }).expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['accountIds', 'reason']);
  });
});

