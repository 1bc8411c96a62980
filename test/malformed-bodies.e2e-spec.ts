import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { child } from './fixtures/children.js';
import type { DemoApp } from './fixtures/demo-app.js';
import { createSmallProvince } from './fixtures/small-province.js';

/**
 * Property-style (issue 20): generated malformed bodies (nesting, wrong types, sizes, encodings,
 * odd strings, broken JSON) sent to every write operation of the OpenAPI document, anonymously
 * and as a user with rights there. Every answer: no 5xx, problem details with a Chinese message;
 * and nothing is stored. Seeded, so a failure repeats; the seed and the case are in the message.
 */
const SEED = 20_2026;
const BODIES_PER_OPERATION = 9;

interface Answer {
  status: number;
  type: string;
  json: Record<string, any> | null;
}

/** Random numbers from a seed (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Valid-looking bodies of the JSON write operations; every generated body breaks them. */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  'POST /auth/login': { username: '1141010001-business', password: 'Demo#2026' },
  'POST /auth/password': { currentPassword: 'Demo#2026', newPassword: 'Another#2026x' },
  'POST /accounts': { username: 'probe-user', realName: '测试员', level: 'county', role: 'review', divisionCode: '410102' },
  'POST /accounts/kick-out': { accountIds: ['8f14e45f-ceea-467a-9575-2f8d3b1c0a11'], reason: '安全检查' },
  'PUT /institutions/{code}/filing': { basic: { address: '郑州市中原区建设路 12 号', principalName: '张园长', phone: '0371-67890123', urbanRuralCode: '111' }, buildings: [{ name: '教学楼', tenure: 'self-built', area: 2400.5, builtYear: 2012 }], conditions: { siteArea: 6000, buildingArea: 2000, playgroundArea: 1800, classrooms: 12 } },
  'POST /unlicensed-institutions': { name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 28, staff: 3, status: 'operating' },
  'PUT /unlicensed-institutions/{id}': { name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 28, staff: 3, status: 'operating' },
  'POST /records': child('王小明', '2022-03-15', 901),
  'PUT /records/{id}': child('王小明', '2022-03-15', 903),
  'POST /records/submit': { recordIds: ['8f14e45f-ceea-467a-9575-2f8d3b1c0a11'] },
  'PUT /settings/businesses/{business}/window': { opensAt: '2026-09-01T00:00:00+08:00', closesAt: '2026-10-15T23:59:59+08:00', reason: '秋季学期注册' },
  'POST /settings/businesses/{business}/switch': { enabled: false, reason: '系统维护' },
  'POST /divisions/custom': { code: '410199', name: '航空港区', parent: '410100', reason: '豫政〔2026〕1 号' },
};
const FALLBACK = { reason: '经核实的原因说明', version: 1, recordId: '8f14e45f-ceea-467a-9575-2f8d3b1c0a11' };

/** Who has rights on an operation (by path); every operation is also sent anonymously. */
function rightfulUser(path: string): string {
  if (path.startsWith('/accounts') || path.startsWith('/settings') || path.startsWith('/divisions') || path.startsWith('/institution-registry')) return 'admin';
  if (path.startsWith('/unlicensed-institutions')) return '410102-business';
  if (/filing\/(approve|reject)$/.test(path) || /evidence\/(pass|fail)$|force-delete$/.test(path)) return '410102-review';
  if (/\/(approve|reject|key-information)$/.test(path)) return '1141010001-review';
  return '1141010001-business';
}

const ODD = ['\u0000', '\ud800', '\udfff', '\u202e', '\u2066', '\u200b', '\u200d', '\ufeff', '\ufffd', '\u0007', '\u001b[31m', '\u2028', '\u0085'];
const DEEP = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('malformed bodies on every write operation of the OpenAPI document', () => {
  let demo: DemoApp;
  let store: EventStore;
  let port: number;

  beforeAll(async () => {
    demo = await createSmallProvince();
    store = demo.app.get<EventStore>(EVENT_STORE);
    await demo.app.listen(0, '127.0.0.1');
    port = (demo.app.getHttpServer().address() as AddressInfo).port;
  }, 120_000);
  afterAll(async () => {
    await demo.app.close();
  });

  /** Raw bytes on a connection of their own (supertest would re-serialise a Buffer sent as JSON). */
  function send(method: string, path: string, payload: Buffer, headers: Record<string, string>): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', agent: false, method, path, headers: { ...headers, 'content-length': String(payload.length) } });
      let answered = false;
      req.on('response', (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          let json: Record<string, any> | null = null;
          try {
            json = JSON.parse(text) as Record<string, any>;
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), json });
        });
      });
      // the server may answer (413) and close before the whole body is sent: the answer wins
      req.on('error', (error) => (answered ? undefined : reject(error)));
      req.end(payload);
    });
  }

  it('never answers 5xx, always problem details in Chinese, and stores nothing', async () => {
    const doc = (await demo.http.get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>> };
    const operations = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace(/^\/api\/v1/, ''), op })))
      .filter((o) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(o.method) && !o.path.startsWith('/test-ledger'));
    expect(operations.length).toBeGreaterThan(25);

    const next = random(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const uuid = () => '8f14e45f-ceea-467a-9575-2f8d3b1c0a11'.replace(/[0-9a-f]/g, (c, i: number) => (i === 14 ? '4' : i === 19 ? '8' : Math.floor(next() * 16).toString(16)));
    const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'code' ? '1141010001' : name === 'business' ? 'record-registration' : uuid()));

    const logins = new Map<string, string>();
    for (const username of new Set(operations.map((o) => rightfulUser(o.path)))) logins.set(username, (await demo.as(username)).Authorization);
    const head = await store.headPosition();

    /** A body certain to be refused, of a kind picked at random: [label, bytes, content type]. */
    function malformed(template: Record<string, unknown>, takesJson: boolean): [string, Buffer, string] {
      const json = 'application/json';
      const keys = Object.keys(template);
      const field = pick(keys);
      // an unknown field is always refused (forbidNonWhitelisted), so a mutation that happens to be valid stores nothing
      const broken = (value: unknown) => ({ ...template, [field]: value, zzUnknown: 1 });
      const kinds: Array<() => [string, Buffer, string]> = [
        () => [`deep nesting in ${field}`, Buffer.from(JSON.stringify({ ...template, [field]: '@' }).replace('"@"', DEEP(17 + Math.floor(next() * 6000)))), json],
        () => ['deep nesting as the body', Buffer.from(DEEP(17 + Math.floor(next() * 6000))), json],
        () => ['deep objects', Buffer.from(`${'{"a":'.repeat(40 + Math.floor(next() * 3000))}1${'}'.repeat(40 + Math.floor(next() * 3000))}`), json],
        () => { const v = pick([[], 0, -1, 'x', null, true, [template], 1e308]); return [`the body is ${JSON.stringify(v)?.slice(0, 20)}`, Buffer.from(JSON.stringify(v)), json]; },
        () => { const v = pick([{}, [], [[]], 1e308, -1e308, 0.000001, true, null, '', 'x'.repeat(5000), [1, 2, 3], { $gt: '' }]); return [`${field} = ${JSON.stringify(v)?.slice(0, 20)}`, Buffer.from(JSON.stringify(broken(v))), json]; },
        () => { const odd = pick(ODD); const strings = keys.filter((k) => typeof template[k] === 'string'); const k = strings.length > 0 ? pick(strings) : field; return [`odd character U+${(odd.codePointAt(0) ?? 0).toString(16)} in ${k}`, Buffer.from(JSON.stringify({ ...template, [k]: `王${odd}小明` })), json]; },
        () => ['1.5 MB string', Buffer.from(JSON.stringify(broken('x'.repeat(1_500_000)))), json],
        () => ['100,000 items', Buffer.from(JSON.stringify(broken(Array.from({ length: 100_000 }, () => 0)))), json],
        () => ['charset=gbk', Buffer.from(JSON.stringify(template)), `${json}; charset=${pick(['gbk', 'gb2312', 'iso-8859-1', 'utf-16', 'big5'])}`],
        () => ['bytes not UTF-8', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xcd, 0xf5, 0xd0, 0xa1, 0xff]), Buffer.from('"}')]), json],
        () => ['UTF-16 with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(template), 'utf16le')]), json],
        () => ['UTF-8 BOM, unknown field', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(broken(template[field])))]), json],
        () => { const text = JSON.stringify(template); return ['truncated JSON', Buffer.from(text.slice(0, Math.floor(next() * text.length))), json]; },
        () => ['prototype pollution', Buffer.from(`{"__proto__":{"admin":true},${JSON.stringify(template).slice(1)}`), json],
        () => ['form-encoded', Buffer.from('username=a&password=b'), 'application/x-www-form-urlencoded'],
        () => ['text/plain', Buffer.from(JSON.stringify(template)), 'text/plain'],
      ];
      // an operation that reads no JSON body only gets bodies the parser itself refuses
      const parserRefused = [0, 1, 2, 6, 8, 9, 10, 12, 14, 15];
      const kind = takesJson ? Math.floor(next() * kinds.length) : pick(parserRefused);
      return kinds[kind]!();
    }

    const failures: string[] = [];
    for (const { method, path, op } of operations) {
      const key = `${method} ${path}`;
      const takesJson = op.requestBody?.content?.['application/json'] !== undefined;
      const template = TEMPLATES[key] ?? FALLBACK;
      for (let i = 0; i < BODIES_PER_OPERATION; i++) {
        const [label, bytes, contentType] = malformed(template, takesJson);
        for (const who of ['anonymous', rightfulUser(path)]) {
          const headers: Record<string, string> = { 'content-type': contentType, ...(who === 'anonymous' ? {} : { authorization: logins.get(who)! }) };
          const res = await send(method, `/api/v1${concrete(path)}`, bytes, headers);
          const ok = res.status >= 400 && res.status < 500 && res.type.startsWith('application/problem+json') && /[\u4e00-\u9fff]/.test(String(res.json?.['message']));
          if (!ok) failures.push(`${key} as ${who}, ${label}: ${res.status} ${res.type} ${JSON.stringify(res.json)?.slice(0, 160)}`);
        }
      }
    }
    expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    expect(await store.headPosition()).toBe(head);
  }, 120_000);
});
