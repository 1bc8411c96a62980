import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AccountService } from '../src/accounts/application/account.service.js';
import { SESSION_CACHE_MS } from '../src/accounts/application/session.service.js';
import { accountDecider, accountStream } from '../src/accounts/domain/account.decider.js';
import { type RegistryEntry, institutionDecider, institutionStream } from '../src/organisation/domain/institution.decider.js';
import { CommandPath } from '../src/shared/command/command-path.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { EventRegistry } from '../src/shared/events/event-registry.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

const INITIAL = 'Init#Pass2026';
const system = { actor: { accountId: 'system', role: 'system', organisationId: 'system' }, correlationId: 'session-cache-e2e', causationId: null };

/**
 * The session check answers from a cached account state (ADR 0028): every write of this process
 * to the account must still take effect on the very next request, and another process's write
 * within SESSION_CACHE_MS.
 */
describe('session check from a cached account state (HTTP)', () => {
  const clock = new SettableClock('2026-09-01T01:00:00.000Z');
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    app = await createFixtureApp({ bootstrapAdminPassword: INITIAL }, undefined, clock);
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const login = async (username: string, password: string) => (await http.post('/api/v1/auth/login').send({ username, password }).expect(200)).body as { token: string; accountId: string };
  const me = (token: string) => http.get('/api/v1/auth/me').set(auth(token));

  let admin: string;
  const adminPassword = 'Henan#Perf2026';

  it('a password change opens the routes at once; a logout closes them at once', async () => {
    const first = await login('admin', INITIAL);
    // checked (and cached) while the password must still be changed
    expect((await http.post('/api/v1/accounts').set(auth(first.token)).send({}).expect(403)).body.code).toBe('password-change-required');
    await http.post('/api/v1/auth/password').set(auth(first.token)).send({ currentPassword: INITIAL, newPassword: adminPassword }).expect(200);
    // the same token, no longer held back: the empty body is refused as invalid, not as password-change-required
    expect((await http.post('/api/v1/accounts').set(auth(first.token)).send({}).expect(400)).body.code).not.toBe('password-change-required');
    await http.post('/api/v1/auth/logout').set(auth(first.token)).expect(200);
    expect((await me(first.token).expect(401)).body.code).toBe('session-invalid');
    admin = (await login('admin', adminPassword)).token;
  });

  it('a kick-out and a disablement stop a session that was just checked', async () => {
    const entry: RegistryEntry = { code: '1141010009', name: '中原区第九幼儿园', type: 'kindergarten', divisionCode: '410102', ownership: 'public', licence: null };
    await app.get(CommandPath).run({ streamId: institutionStream(entry.code), decider: institutionDecider, command: { type: 'ApplyRegistryEntry', entry, batchId: randomUUID() }, context: system });
    const created = await http.post('/api/v1/accounts').set(auth(admin)).send({ username: `${entry.code}-review`, realName: '王老师', level: 'institution', role: 'review', divisionCode: '410102', institutionCode: entry.code }).expect(201);
    const session = await login(`${entry.code}-review`, created.body.initialPassword);
    await me(session.token).expect(200);
    await http.post(`/api/v1/accounts/${created.body.accountId}/kick-out`).set(auth(admin)).send({ reason: '借用账号' }).expect(200);
    expect((await me(session.token).expect(401)).body.code).toBe('session-invalid');

    const again = await login(`${entry.code}-review`, created.body.initialPassword);
    await me(again.token).expect(200);
    await app.get(AccountService).setInstitutionAccountsEnabled(entry.code, false, '机构已撤销', system);
    expect((await me(again.token).expect(401)).body.code).toBe('session-invalid');
  });

  it('a write by another process is seen once the cached state is older than SESSION_CACHE_MS', async () => {
    const token = admin;
    const accountId = (await me(token).expect(200)).body.accountId as string;
    // a second instance of the service on the same event store kicks the administrator out
    const store = app.get<EventStore>(EVENT_STORE);
    const registry = app.get(EventRegistry);
    const other = new CommandPath(store, registry, clock);
    await other.run({ streamId: accountStream(accountId), decider: accountDecider, command: { type: 'KickOut', at: clock.now().toISOString(), reason: '另一实例' }, context: system });
    await me(token).expect(200);
    clock.advance(SESSION_CACHE_MS);
    expect((await me(token).expect(401)).body.code).toBe('session-invalid');
  });
});
