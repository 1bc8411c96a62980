import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type request from 'supertest';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { DEMO_PASSWORD, DEMO_REGISTRY_CSV } from '../src/cli/demo-data.js';
import { useDemoApp } from './fixtures/demo-app.js';

/**
 * Every role at every level against every operation of the organisation and accounts contexts,
 * on the demo province: 河南省 410000 > 郑州市 410100 > 中原区 410102 (1141010001, 1141010002,
 * 2141010003) and 二七区 410103 (1141010004).
 */
const OFFICES = ['410000', '410100', '410102', '410103'];
const ROLES = ['admin', 'business', 'review', 'leader'];
const INSTITUTIONS = ['1141010001', '1141010004'];
const ACCOUNTS = [
  ...OFFICES.flatMap((o) => ROLES.map((r) => (o === '410000' && r === 'admin' ? 'admin' : `${o}-${r}`))),
  ...INSTITUTIONS.flatMap((i) => ['admin', 'business', 'review'].map((r) => `${i}-${r}`)),
];

interface Who {
  username: string;
  level: 'province' | 'prefecture' | 'county' | 'institution';
  division: string;
  institution: string | null;
  role: string;
}

function who(username: string): Who {
  if (username.startsWith('t-')) return { ...who(username.slice(2)), username };
  if (username === 'admin') return { username, level: 'province', division: '410000', institution: null, role: 'admin' };
  const [code, role] = username.split('-') as [string, string];
  if (code.length === 10) return { username, level: 'institution', division: code === '1141010004' ? '410103' : '410102', institution: code, role };
  const level = code === '410000' ? 'province' : code === '410100' ? 'prefecture' : 'county';
  return { username, level, division: code, institution: null, role };
}

interface Operation {
  name: string;
  method: 'get' | 'post' | 'put';
  path: string;
  body?: unknown;
  csv?: string;
  /** the status this account must get */
  expect(w: Who): number;
}

const basic = { address: '郑州市中原区建设路 12 号', principalName: '张园长', phone: '0371-67890123', urbanRuralCode: '111' };
const filing = { basic, buildings: [{ name: '教学楼', tenure: 'self-built', area: 1200, builtYear: 2010 }], conditions: { siteArea: 3000, buildingArea: 1200, playgroundArea: 900, classrooms: 6 } };
const registry = DEMO_REGISTRY_CSV;

const leaderWrite = (w: Who, allowed: number, otherwise: number): number => (w.role === 'leader' ? 403 : allowed === 0 ? otherwise : allowed);
const inZhongyuan = (w: Who) => w.level === 'province' || w.level === 'prefecture' || w.division === '410102';

const OPERATIONS: Operation[] = [
  {
    name: 'read an institution of 二七区 (county B)',
    method: 'get',
    path: '/api/v1/institutions/1141010004',
    expect: (w) => (w.level === 'province' || w.level === 'prefecture' || (w.level === 'county' && w.division === '410103') || w.institution === '1141010004' ? 200 : 404),
  },
  {
    name: 'read an institution of 中原区 (county A)',
    method: 'get',
    path: '/api/v1/institutions/1141010002',
    expect: (w) => (w.level !== 'institution' && inZhongyuan(w) ? 200 : 404),
  },
  {
    name: 'file the institution information of 1141010001',
    method: 'put',
    path: '/api/v1/institutions/1141010001/filing',
    body: filing,
    expect: (w) => leaderWrite(w, w.institution === '1141010001' ? (w.role === 'review' ? 403 : 200) : 0, 404),
  },
  {
    name: 'read the filing of 1141010001',
    method: 'get',
    path: '/api/v1/institutions/1141010001/filing',
    expect: (w) => (w.institution === '1141010001' || (w.level !== 'institution' && inZhongyuan(w)) ? 200 : 404),
  },
  {
    name: 'reject the filing of 1141010001: county A decides, county B and every other level cannot',
    method: 'post',
    path: '/api/v1/institutions/1141010001/filing/reject',
    body: { version: 3, reason: '请补充园舍面积证明' },
    expect: (w) => {
      // the role is refused first, whatever the institution: no answer tells an existing code from a random one (issue 20)
      if (w.role === 'leader' || w.level !== 'county' || w.role === 'admin') return 403;
      if (w.division !== '410102') return 404;
      return w.role === 'review' ? 200 : 422; // business is allowed too, but the reviewer already decided
    },
  },
  {
    name: 'record an unlicensed institution',
    method: 'post',
    path: '/api/v1/unlicensed-institutions',
    body: { name: '看护点', address: '某路 1 号', children: 5, staff: 1, status: 'operating' },
    expect: (w) => leaderWrite(w, w.level === 'county' && (w.role === 'business' || w.role === 'review') ? 201 : 0, 403),
  },
  {
    name: 'read the unlicensed summary',
    method: 'get',
    path: '/api/v1/unlicensed-institutions/summary',
    expect: (w) => (w.level === 'institution' ? 403 : 200),
  },
  {
    name: 'list accounts',
    method: 'get',
    path: '/api/v1/accounts',
    expect: (w) => (w.role === 'admin' ? 200 : 403),
  },
  {
    name: 'switch a business off',
    method: 'post',
    path: '/api/v1/settings/businesses/graduation/switch',
    body: { enabled: true, reason: '保持开放' },
    expect: (w) => leaderWrite(w, w.level === 'province' && w.role === 'admin' ? 200 : 0, 403),
  },
  {
    name: 'sync the institution registry',
    method: 'post',
    path: '/api/v1/institution-registry/sync',
    csv: registry,
    expect: (w) => leaderWrite(w, w.level === 'province' && w.role === 'admin' ? 200 : 0, 403),
  },
];

describe('access matrix: every role and level against every operation (demo province)', () => {
  const demo = useDemoApp();
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    app = demo.app;
    http = demo.http;
    for (const username of ACCOUNTS) {
      tokens.set(username, (await http.post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200)).body.token);
    }
    // a first filing (version 1); the matrix's two filings (business, admin) make version 3 the pending one
    await http.put('/api/v1/institutions/1141010001/filing').set('Authorization', `Bearer ${tokens.get('1141010001-business')}`).send(filing).expect(200);
    await http.post('/api/v1/institutions/1141010001/filing/approve').set('Authorization', `Bearer ${tokens.get('410102-review')}`).send({ version: 1 }).expect(200);
  }, 120_000);

  for (const operation of OPERATIONS) {
    it(operation.name, async () => {
      const head = String(await app.get<EventStore>(EVENT_STORE).headPosition());
      // refusals on permission first, so they are checked against a pending item; then reviewers before others
      const rank = (u: string): number => ([403, 404].includes(operation.expect(who(u))) ? 0 : u.endsWith('-review') ? 1 : 2);
      const order = [...ACCOUNTS].sort((a, b) => rank(a) - rank(b));
      const outcomes: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const username of order) {
        let call = http[operation.method](operation.path).set('Authorization', `Bearer ${tokens.get(username)}`).set('X-Min-Position', head);
        if (operation.csv) call = call.set('Content-Type', 'text/csv').send(Buffer.from(operation.csv));
        else if (operation.body) call = call.send(operation.body as object);
        const res = await call;
        outcomes[username] = res.status;
        expected[username] = operation.expect(who(username));
        if (res.status >= 400) expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
      }
      expect(outcomes).toEqual(expected);
    });
  }

  describe('administrators’ account actions across organisations (issue 20)', () => {
    // one account per organisation, created for this test, so kick-outs and resets never end a caller's session
    const TARGETS = ['t-410000-review', 't-410100-business', 't-410102-admin', 't-410102-business', 't-410103-business', 't-1141010001-admin', 't-1141010001-review', 't-1141010002-business', 't-1141010004-business'];
    const ids = new Map<string, string>();
    const initial = new Map<string, string>();
    const RANDOM = randomUUID();
    const auth = (username: string) => ({ Authorization: `Bearer ${tokens.get(username)}` });

    beforeAll(async () => {
      for (const username of TARGETS) {
        const w = who(username);
        const created = await http.post('/api/v1/accounts').set(auth('admin'))
          .send({ username, realName: '矩阵目标', level: w.level, role: w.role, divisionCode: w.division, ...(w.institution ? { institutionCode: w.institution } : {}) }).expect(201);
        ids.set(username, created.body.accountId);
        initial.set(username, created.body.initialPassword);
      }
    });

    /** What an answer says, without the fields that name the request (path, correlation id). */
    const answer = (res: request.Response) => ({ status: res.status, code: res.body.code, message: res.body.message });

    it('kicks out many only when it may kick out every one: nothing is written otherwise', async () => {
      const session = (await http.post('/api/v1/auth/login').send({ username: 't-1141010001-review', password: initial.get('t-1141010001-review') }).expect(200)).body.token;
      const head = await app.get<EventStore>(EVENT_STORE).headPosition();
      const refused = await http.post('/api/v1/accounts/kick-out').set(auth('410102-admin'))
        .send({ accountIds: [ids.get('t-1141010001-review'), ids.get('t-410103-business')], reason: '批量踢出' }).expect(404);
      expect(refused.body.code).toBe('account-not-found');
      expect(await app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head);
      await http.get('/api/v1/auth/me').set('Authorization', `Bearer ${session}`).expect(200);
    });

    const ACTIONS: Array<{ name: string; call: (id: string) => request.Test; reset?: boolean }> = [
      { name: 'read an account’s security history', call: (id) => http.get(`/api/v1/accounts/${id}/history`) },
      { name: 'kick out one account', call: (id) => http.post(`/api/v1/accounts/${id}/kick-out`).send({ reason: '矩阵测试' }) },
      { name: 'kick out many accounts', call: (id) => http.post('/api/v1/accounts/kick-out').send({ accountIds: [id], reason: '矩阵测试' }) },
      { name: 'reset a password', call: (id) => http.post(`/api/v1/accounts/${id}/password-reset`).send({ reason: '矩阵测试' }), reset: true },
    ];
    for (const action of ACTIONS) {
      it(`${action.name}: own organisation and the levels below only; the same answer for an existing and a random id outside`, async () => {
        const outcomes: Record<string, number> = {};
        const expected: Record<string, number> = {};
        for (const caller of ACCOUNTS) {
          const c = who(caller);
          const unknown = answer(await action.call(RANDOM).set(auth(caller)));
          expect(unknown.status).toBe(c.role === 'admin' ? 404 : 403);
          for (const target of TARGETS) {
            const t = who(target);
            const res = await action.call(ids.get(target)!).set(auth(caller));
            outcomes[`${caller} -> ${target}`] = res.status;
            const outside = c.role !== 'admin' || !administers(c, t);
            expected[`${caller} -> ${target}`] = outside ? unknown.status : action.reset && sameOrganisation(c, t) && t.role === 'admin' ? 403 : 200;
            // outside what the caller may act on, an existing account answers exactly as a random id does
            if (outside) expect(answer(res)).toEqual(unknown);
          }
        }
        expect(outcomes).toEqual(expected);
      });
    }

    it('lists exactly the accounts of its own organisation and of the levels below', async () => {
      const head = String(await app.get<EventStore>(EVENT_STORE).headPosition());
      for (const caller of ACCOUNTS) {
        const c = who(caller);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const res = await http.get('/api/v1/accounts').query({ limit: 100, ...(cursor ? { cursor } : {}) }).set(auth(caller)).set('X-Min-Position', head);
          if (c.role !== 'admin') {
            expect(res.status).toBe(403);
            break;
          }
          expect(res.status).toBe(200);
          seen.push(...res.body.items.map((a: { username: string }) => a.username).filter((u: string) => u.startsWith('t-')));
          cursor = res.body.nextCursor ?? undefined;
        } while (cursor);
        expect({ caller, seen: seen.sort() }).toEqual({ caller, seen: c.role === 'admin' ? TARGETS.filter((t) => administers(c, who(t))).sort() : [] });
      }
    });

    it('creates accounts for its own organisation and the levels below only', async () => {
      let n = 0;
      const outcomes: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const caller of ACCOUNTS) {
        const c = who(caller);
        for (const target of TARGETS) {
          const t = who(target);
          const res = await http.post('/api/v1/accounts').set(auth(caller))
            .send({ username: `c${n++}-${t.username}`, realName: '新建账号', level: t.level, role: 'business', divisionCode: t.division, ...(t.institution ? { institutionCode: t.institution } : {}) });
          outcomes[`${caller} -> ${target}`] = res.status;
          expected[`${caller} -> ${target}`] = c.role === 'admin' && administers(c, t) ? 201 : 403;
        }
      }
      expect(outcomes).toEqual(expected);
      // an institution account belongs to a registered institution of the county given: another county's
      // kindergarten (its accounts carry a different code) and an unregistered code answer alike
      const place = (institutionCode: string) => http.post('/api/v1/accounts').set(auth('410102-admin'))
        .send({ username: `c${n++}-misplaced`, realName: '新建账号', level: 'institution', role: 'business', divisionCode: '410102', institutionCode });
      const elsewhere = answer(await place('1141010004'));
      expect(elsewhere).toMatchObject({ status: 403, code: 'outside-jurisdiction' });
      expect(answer(await place('1141019999'))).toEqual(elsewhere);
    });
  });
});

// the rule of issue 20, written out here independently of the kernel it tests
const RANK = { province: 1, prefecture: 2, county: 3, institution: 4 };
const sameOrganisation = (a: Who, b: Who): boolean => a.level === b.level && a.division === b.division && a.institution === b.institution;
const inJurisdiction = (a: Who, b: Who): boolean => a.level === 'province' || (a.level === 'prefecture' && b.division.startsWith('4101')) || (a.level === 'county' && b.division === a.division);
const administers = (a: Who, b: Who): boolean => sameOrganisation(a, b) || (RANK[b.level] > RANK[a.level] && inJurisdiction(a, b));
