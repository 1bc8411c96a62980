import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { createFixtureApp } from './fixtures/fixture-app.js';
import { firstLogin } from './fixtures/sessions.js';

const REGISTRY = [
  '机构标识码,机构名称,机构类别,行政区划代码,办别,办学许可证号',
  '1141010001,郑州市中原区第一幼儿园,幼儿园,410102,公办,',
  '2141010003,郑州市中原区实验小学附设幼儿园,附设幼儿园,410102,公办,',
  '1141010009,郑州市二七区阳光幼儿园,幼儿园,410103,民办,',
].join('\n');

const basic = { address: '郑州市中原区建设路 12 号', principalName: '张园长', phone: '0371-67890123', urbanRuralCode: '111' };
const buildings = [{ name: '教学楼', tenure: 'self-built', area: 2400.5, builtYear: 2012 }];
const conditions = { siteArea: 6000, buildingArea: 2000, playgroundArea: 1800, classrooms: 12 };

describe('institution filings: filed by the institution, reviewed by its county (HTTP)', () => {
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;
  const tokens: Record<string, string> = {};
  const auth = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    app = await createFixtureApp({ bootstrapAdminPassword: 'Init#Pass2026' });
    http = request(app.getHttpServer());
    store = app.get<EventStore>(EVENT_STORE);
    tokens['province'] = await firstLogin(http, 'admin', 'Init#Pass2026');
    const sync = await http.post('/api/v1/institution-registry/sync').set(auth('province')).set('Content-Type', 'text/csv').send(Buffer.from(REGISTRY)).expect(200);
    const initial = (username: string) => sync.body.accounts.find((a: { username: string }) => a.username === username).initialPassword as string;
    tokens['kg1'] = await firstLogin(http, '1141010001-business', initial('1141010001-business'));
    tokens['kg1-review'] = await firstLogin(http, '1141010001-review', initial('1141010001-review'));
    tokens['attached'] = await firstLogin(http, '2141010003-business', initial('2141010003-business'));
    for (const [who, division] of [['zhongyuan', '410102'], ['erqi', '410103']] as const) {
      const created = await http.post('/api/v1/accounts').set(auth('province')).send({ username: `${who}-review`, realName: `${who}审核员`, level: 'county', role: 'review', divisionCode: division }).expect(201);
      tokens[who] = await firstLogin(http, `${who}-review`, created.body.initialPassword);
    }
  });
  afterAll(async () => {
    await app.close();
  });

  const head = async () => String(await store.headPosition());

  it('refuses an incomplete filing field by field; an attached kindergarten may leave buildings and conditions out', async () => {
    const incomplete = await http.put('/api/v1/institutions/1141010001/filing').set(auth('kg1')).send({ basic }).expect(400);
    expect(incomplete.body.errors.map((e: { field: string }) => e.field)).toEqual(['buildings', 'conditions']);
    const malformed = await http.put('/api/v1/institutions/1141010001/filing').set(auth('kg1')).send({ basic: { ...basic, phone: 'call me' }, buildings: [{ name: '楼', tenure: 'castle', area: -1, builtYear: 1800 }], conditions }).expect(400);
    expect(malformed.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['basic.phone', 'buildings.0.tenure', 'buildings.0.area', 'buildings.0.builtYear']));
    await http.put('/api/v1/institutions/2141010003/filing').set(auth('attached')).send({ basic }).expect(200);
  });

  it('only the institution’s own business account files it', async () => {
    await http.put('/api/v1/institutions/1141010009/filing').set(auth('kg1')).send({ basic, buildings, conditions }).expect(404);
    const review = await http.put('/api/v1/institutions/1141010001/filing').set(auth('kg1-review')).send({ basic, buildings, conditions }).expect(403);
    expect(review.body.code).toBe('business-account-only');
  });

  it('walks submit -> reject with reason -> resubmit -> approve -> resubmit after approval', async () => {
    const v1 = await http.put('/api/v1/institutions/1141010001/filing').set(auth('kg1')).send({ basic, buildings, conditions }).expect(200);
    expect(v1.body.events).toEqual(['InstitutionFilingSubmitted']);

    const queue = await http.get('/api/v1/institution-filings').query({ status: 'submitted' }).set(auth('zhongyuan')).set('X-Min-Position', String(v1.body.position)).expect(200);
    expect(queue.body.items.map((f: { code: string }) => f.code)).toEqual(['2141010003', '1141010001']);
    const elsewhere = await http.get('/api/v1/institution-filings').query({ status: 'submitted' }).set(auth('erqi')).expect(200);
    expect(elsewhere.body.items).toEqual([]);
    const notTheirs = await http.post('/api/v1/institutions/1141010001/filing/approve').set(auth('erqi')).send({ version: 1 }).expect(404);
    expect(notTheirs.body.code).toBe('institution-not-found');
    // an account that may not decide filings at all is refused as such, whatever the code (issue 20: no existence oracle)
    const notAnOffice = await http.post('/api/v1/institutions/1141010001/filing/approve').set(auth('kg1-review')).send({ version: 1 }).expect(403);
    const noSuchInstitution = await http.post('/api/v1/institutions/1149999999/filing/approve').set(auth('kg1-review')).send({ version: 1 }).expect(403);
    expect(noSuchInstitution.body.code).toBe(notAnOffice.body.code);

    await http.post('/api/v1/institutions/1141010001/filing/reject').set(auth('zhongyuan')).send({ version: 1 }).expect(400);
    await http.post('/api/v1/institutions/1141010001/filing/reject').set(auth('zhongyuan')).send({ version: 1, reason: '园舍占地面积与实际不符' }).expect(200);
    const rejected = await http.get('/api/v1/institutions/1141010001/filing').set(auth('kg1')).set('X-Min-Position', await head()).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', version: 1, rejectReason: '园舍占地面积与实际不符', approved: null });

    await http.put('/api/v1/institutions/1141010001/filing').set(auth('kg1')).send({ basic, buildings, conditions: { ...conditions, siteArea: 6500 } }).expect(200);
    const stale = await http.post('/api/v1/institutions/1141010001/filing/approve').set(auth('zhongyuan')).send({ version: 1 }).expect(409);
    expect(stale.body).toMatchObject({ code: 'filing-version-changed', pendingVersion: 2 });
    await http.post('/api/v1/institutions/1141010001/filing/approve').set(auth('zhongyuan')).send({ version: 2 }).expect(200);
    const again = await http.post('/api/v1/institutions/1141010001/filing/approve').set(auth('zhongyuan')).send({ version: 2 }).expect(422);
    expect(again.body.code).toBe('no-filing-pending');

    // refiled after approval: the county still reads the approved version while the new one waits
    await http.put('/api/v1/institutions/1141010001/filing').set(auth('kg1')).send({ basic: { ...basic, principalName: '李园长' }, buildings, conditions: { ...conditions, siteArea: 6500 } }).expect(200);
    const filing = await http.get('/api/v1/institutions/1141010001/filing').set(auth('zhongyuan')).set('X-Min-Position', await head()).expect(200);
    expect(filing.body).toMatchObject({ status: 'submitted', version: 3, approved: { version: 2, basic: { principalName: '张园长' }, conditions: { siteArea: 6500 } }, latest: { basic: { principalName: '李园长' } } });

    const history = await store.readStream('institution-filing-1141010001');
    expect(history.map((e) => e.type)).toEqual(['InstitutionFilingSubmitted', 'InstitutionFilingRejected', 'InstitutionFilingSubmitted', 'InstitutionFilingApproved', 'InstitutionFilingSubmitted']);
    expect(history[1]!.metadata).toMatchObject({ reason: '园舍占地面积与实际不符', actor: { role: 'review', organisationId: '410102' } });
  });

  it('counties record unlicensed institutions (no accounts), counted in the jurisdiction’s summary', async () => {
    const first = await http.post('/api/v1/unlicensed-institutions').set(auth('zhongyuan')).send({ name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 28, staff: 3, status: 'operating' }).expect(201);
    await http.post('/api/v1/unlicensed-institutions').set(auth('erqi')).send({ name: '二七区托管班', address: '二七区大学路 8 号', children: 12, staff: 2, status: 'rectifying' }).expect(201);
    const invalid = await http.post('/api/v1/unlicensed-institutions').set(auth('zhongyuan')).send({ name: '', address: 'x', children: -1, staff: 1.5, status: 'hidden' }).expect(400);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['children', 'name', 'staff', 'status']);
    await http.post('/api/v1/unlicensed-institutions').set(auth('kg1')).send({ name: '自报', address: 'x', children: 1, staff: 1, status: 'operating' }).expect(403);
    await http.put(`/api/v1/unlicensed-institutions/${first.body.id}`).set(auth('erqi')).send({ name: '越权修改', address: 'x', children: 0, staff: 0, status: 'closed' }).expect(404);

    const province = await http.get('/api/v1/unlicensed-institutions/summary').set(auth('province')).set('X-Min-Position', await head()).expect(200);
    expect(province.body).toMatchObject({ institutions: 2, children: 40, staff: 5 });
    const county = await http.get('/api/v1/unlicensed-institutions/summary').set(auth('zhongyuan')).expect(200);
    expect(county.body).toMatchObject({ institutions: 1, children: 28, staff: 3 });

    await http.put(`/api/v1/unlicensed-institutions/${first.body.id}`).set(auth('zhongyuan')).send({ name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 0, staff: 0, status: 'closed' }).expect(200);
    const after = await http.get('/api/v1/unlicensed-institutions/summary').set(auth('province')).set('X-Min-Position', await head()).expect(200);
    expect(after.body).toMatchObject({ institutions: 1, children: 12, staff: 2, byStatus: { closed: { institutions: 1 } } });
    await http.get('/api/v1/unlicensed-institutions').set(auth('kg1')).expect(403);
  });
});

