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
      if (w.role === 'leader') return 403;
      if (w.level === 'institution' || (w.level === 'county' && w.division !== '410102')) return 404;
      if (w.level !== 'county' || w.role === 'admin') return 403;
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
});
