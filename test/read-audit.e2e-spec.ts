import { describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { child } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';

/**
 * The read audit (issue 21, item 6) as a county administrator uses it: every answer that showed a
 * child's personal data unmasked is on record with who, when, from where and by which route; masked
 * answers are not reads; the list covers the county's jurisdiction only.
 */
describe('read audit of children’s personal data (HTTP, demo province)', () => {
  const demo = useDemoApp();
  const api = '/api/v1';
  const kid = child('钱多多', '2022-08-08', 81);
  const store = () => demo.app.get<EventStore>(EVENT_STORE);
  const fresh = async (username: string) => ({ ...(await demo.as(username)), 'X-Min-Position': String(await store().headPosition()) });

  it('records the institution’s own reads with reader, route, address and time; a county admin lists them, a record has its own history', async () => {
    const business = await demo.as('1141010001-business');
    const id = (await demo.http.post(`${api}/records`).set(business).send(kid).expect(201)).body.id as string;
    await demo.http.get(`${api}/records/${id}`).set(business).set('X-Forwarded-For', '198.51.100.23').expect(200);
    // the same reader, route and address the same day: one entry, counted (ADR 0029)
    await demo.http.get(`${api}/records/${id}`).set(business).set('X-Forwarded-For', '198.51.100.23').expect(200);
    await demo.http.get(`${api}/records`).query({ name: kid.name }).set(business).expect(200);
    await demo.http.get(`${api}/records/${id}/history`).set(await demo.as('1141010001-review')).expect(200);
    // a masked answer is no read of personal data; a refused one neither
    await demo.http.post(`${api}/records/submit`).set(business).send({ recordIds: [id] }).expect(200);
    await demo.http.post(`${api}/records/${id}/approve`).set(await demo.as('1141010001-review')).expect(200);
    await demo.http.get(`${api}/records/${id}`).set(await fresh('410102-business')).expect(200);

    const reads = (await demo.http.get(`${api}/personal-data-reads/records/${id}`).set(await fresh('410102-admin')).expect(200)).body;
    const routes = reads.items.map((r: { route: string }) => r.route).sort();
    expect(routes).toEqual(['GET /api/v1/records', 'GET /api/v1/records/:id', 'GET /api/v1/records/:id/history']);
    expect(reads.items.find((r: { route: string }) => r.route === 'GET /api/v1/records/:id')).toMatchObject({
      recordId: id, institutionCode: '1141010001', divisionCode: '410102', username: '1141010001-business', role: 'business', clientAddress: expect.any(String), readAt: expect.stringMatching(/^\d{4}-/), readCount: 2,
    });
    expect(reads.items.some((r: { username: string }) => r.username === '410102-business')).toBe(false);
    expect(reads.nextCursor).toBeNull();

    const county = (await demo.http.get(`${api}/personal-data-reads`).query({ institutionCode: '1141010001', limit: 2 }).set(await fresh('410102-admin')).expect(200)).body;
    expect(county.items).toHaveLength(2);
    expect(county.nextCursor).toEqual(expect.any(String));
    // newest first
    expect(county.items[0].readAt >= county.items[1].readAt).toBe(true);

    // the events name the child by record id only, on a stream of the reader and the day
    const events = (await store().readAll({ after: 0, maxCount: 1_000_000 })).filter((e) => e.type === 'PersonalDataRead');
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (const e of events) expect(e.streamId).toMatch(/^personal-data-reads-[0-9a-f-]{36}-\d{8}$/);
    const text = JSON.stringify(events);
    for (const secret of [kid.name, kid.idNumber, kid.guardians[0]!.name]) expect(text).not.toContain(secret);
  });

  it('shows a county only its own jurisdiction, and only to administrators', async () => {
    const other = (await demo.http.get(`${api}/personal-data-reads`).set(await fresh('410103-admin')).expect(200)).body;
    expect(other.items.filter((r: { institutionCode: string }) => r.institutionCode === '1141010001')).toEqual([]);
    const someRecord = (await demo.http.get(`${api}/personal-data-reads`).set(await fresh('410102-admin')).expect(200)).body.items[0].recordId as string;
    await demo.http.get(`${api}/personal-data-reads/records/${someRecord}`).set(await demo.as('410103-admin')).expect(404);
    const refused = await demo.http.get(`${api}/personal-data-reads`).set(await demo.as('1141010001-business')).expect(403);
    expect(refused.body.code).toBe('audit-admin-only');
    await demo.http.get(`${api}/personal-data-reads`).set(await demo.as('410102-review')).expect(403);
  });

  it('records what a personal-profile API client reads from the feed, under the client', async () => {
    const client = (await demo.http.post(`${api}/api-clients`).set(await demo.as('410102-admin')).send({ name: '中原区学籍对接', level: 'county', divisionCode: '410102', profile: 'personal' }).expect(201)).body;
    const token = (await demo.http.post(`${api}/oauth/token`).type('form').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200)).body.access_token;
    const feed = (await demo.http.get(`${api}/feed`).query({ after: '0', limit: '500' }).set({ Authorization: `Bearer ${token}`, 'X-Min-Position': String(await store().headPosition()) }).expect(200)).body;
    const seen = new Set<string>(feed.entries.filter((e: { data: { entity: string } }) => e.data.entity === 'record').map((e: { data: { id: string } }) => e.data.id));
    expect(seen.size).toBeGreaterThan(0);
    const reads = (await demo.http.get(`${api}/personal-data-reads`).query({ accountId: client.clientId, limit: '500' }).set(await fresh('410102-admin')).expect(200)).body;
    expect(new Set(reads.items.map((r: { recordId: string }) => r.recordId))).toEqual(seen);
    expect(reads.items[0]).toMatchObject({ role: 'api-client', route: 'GET /api/v1/feed' });
  });
});
