import { beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { DEMO_REGISTRY_CSV } from '../src/cli/demo-data.js';
import type { AppConfig } from '../src/config/app-config.js';
import { dedupeKeyHash } from '../src/records/application/deduplication/key-hash.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { openKeyedHasher } from '../src/shared/personal-data/hash-secret.js';
import { child, residentId } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';
import { enrolmentHelpers } from './fixtures/enrolment.js';
import { type Facts, candidates } from './fixtures/id-candidates.js';
import { firstLogin } from './fixtures/sessions.js';

type Schema = Record<string, unknown>;
type Json = unknown;

/** Fields that hold a number which answers mask (ID numbers, G numbers, de-duplication keys, phones). */
const MASKED_FIELDS = new Set(['idNumber', 'recordNumber', 'dedupeKey', 'presenceKey', 'phone']);
/** Free-form answers that hold no child's data (checked by reading their handlers), with why. */
const NO_CHILD_DATA: Record<string, string> = {
  'GET /ready': 'projection lags',
  'GET /api/v1/system/projections': 'projection states',
  'GET /api/v1/accounts': 'staff accounts',
  'GET /api/v1/accounts/{id}/history': 'staff account events',
  'GET /api/v1/institutions/{code}/filing': 'institution filings',
  'GET /api/v1/institution-filings': 'institution filings',
  'GET /api/v1/unlicensed-institutions/summary': 'counts',
  'GET /api/v1/settings': 'business windows',
  'GET /api/v1/supervision/declarations': 'institution change declarations: the fields a kind defines (principal, licence...), no child',
  'GET /api/v1/supervision/declarations/{id}': 'institution change declarations: the fields a kind defines (principal, licence...), no child',
};

/**
 * Masking that cannot be undone (issue 21, item 1; ADR 22). Every GET answer of the OpenAPI
 * document whose schema carries a masked number (or free-form data that may) is fetched for real,
 * as a caller who may not see the numbers, and every masked number in it must leave at least 10,000
 * candidates given what the same answer shows: area codes, the birth date and the gender.
 */
describe('masked numbers leave at least 10,000 candidates in every answer', () => {
  const demo = useDemoApp();
  const h = enrolmentHelpers(demo, '1141010001', 700);
  const api = '/api/v1';
  const COUNTY = '410102-business'; // sees its county's records, masked (record-access.ts)
  const KG_ADMIN = '1141010001-admin'; // sees its kindergarten's queues, masked
  const RECEIVING = '1141010004'; // 二七区: applies for children it does not hold, sees them masked
  const SCHOOL = '2141010101'; // a primary school: its own pupils in full, the kindergartens' candidates without numbers
  let schoolAuth: { Authorization: string } = { Authorization: '' };
  const entered = [child('孙悦然', '2022-02-14', 31), child('周子墨', '2021-11-03', 42), child('吴若溪', '2022-07-19', 53), child('郑一诺', '2021-12-30', 64), child('冯嘉树', '2022-01-05', 75)];
  const secrets = [...entered.flatMap((c) => [c.idNumber, c.guardians[0]!.idNumber, c.guardians[0]!.phone])];
  let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>; components: { schemas: Record<string, Schema> } };
  const ids: Record<string, string> = {};
  let feedToken = '';

  const fresh = async (username: string) => ({ ...(await demo.as(username)), 'X-Min-Position': String(await demo.app.get<EventStore>(EVENT_STORE).headPosition()) });
  const get = async (path: string, username = COUNTY, query: Record<string, string> = {}) => (await demo.http.get(`${api}${path}`).query(query).set(await fresh(username)).expect(200)).body as Json;

  beforeAll(async () => {
    doc = (await demo.http.get(`${api}/openapi.json`).expect(200)).body;
    // a numbered child with a G number in a class, one left, and the same child entered by two kindergartens (a case)
    const [a, b, saving, waiting, rejected] = entered;
    const saved = async (kg: string, body: Record<string, unknown>) => (await demo.http.post(`${api}/records`).set(await demo.as(`${kg}-business`)).send(body).expect(201)).body.id as string;
    ids['a'] = await saved('1141010001', a!);
    await demo.http.post(`${api}/records/submit`).set(await demo.as('1141010001-business')).send({ recordIds: [ids['a']] }).expect(200);
    await demo.http.post(`${api}/records/${ids['a']}/approve`).set(await demo.as('1141010001-review')).expect(200);
    ids['b'] = await saved('1141010001', b!);
    ids['b2'] = await saved('1141010002', b!);
    await demo.http.post(`${api}/records/submit`).set(await demo.as('1141010001-business')).send({ recordIds: [ids['b']] }).expect(200);
    const dup = await demo.http.post(`${api}/records/submit`).set(await demo.as('1141010002-business')).send({ recordIds: [ids['b2']] }).expect(200);
    expect(dup.body.results[0].outcome).toBe('problem');
    ids['case'] = ((await get(`/records/${ids['b2']}`, '1141010002-business')) as { caseId: string }).caseId;
    // one of each queue: saved, waiting for review, rejected
    await saved('1141010001', saving!);
    const queued = [await saved('1141010001', waiting!), await saved('1141010001', rejected!)];
    await demo.http.post(`${api}/records/submit`).set(await demo.as('1141010001-business')).send({ recordIds: queued }).expect(200);
    await demo.http.post(`${api}/records/${queued[1]}/reject`).set(await demo.as('1141010001-review')).send({ reason: '出生日期与户口簿不符' }).expect(200);
    ids['class'] = await h.createClass('向日葵班', '中班');
    await h.assign(ids['class'], [ids['a']]);
    const [leaver] = await h.numbered(2); // the other stays unplaced
    await demo.http.post(`${api}/leaves/${leaver}`).set(await demo.as('1141010001-business')).send({ leaveType: 'transfer-out', leaveDate: '2026-09-01', reason: '随父母迁居外省' }).expect(200);
    const client = (await demo.http.post(`${api}/api-clients`).set(await demo.as('410102-admin')).send({ name: '中原区教育门户', level: 'county', divisionCode: '410102', profile: 'masked' }).expect(201)).body;
    feedToken = (await demo.http.post(`${api}/oauth/token`).type('form').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200)).body.access_token;

    // transfers to 二七区 (410103), whose kindergarten does not hold the children: one agreed (waiting for it), one applied
    const movers = await h.numbered(2, '2021-09-09');
    const apply = async (id: string) => (await demo.http.post(`${api}/transfers`).set(await demo.as(`${RECEIVING}-business`)).send({ recordNumber: (await h.record(id)).recordNumber }).expect(201)).body.id as string;
    ids['agreed'] = await apply(movers[0]!);
    await demo.http.post(`${api}/transfers/${ids['agreed']}/agree`).set(await demo.as('1141010001-business')).expect(200);
    ids['applied'] = await apply(movers[1]!);

    // hand-over: a primary school lists a child in full (matched, supplemented form), one without an ID number
    // with the name, gender and birth date of child a (a candidate beside the list's full birth date) and one not found
    const registry = `${DEMO_REGISTRY_CSV}\n${SCHOOL},郑州市中原区建设路小学,小学,410102,公办,`;
    const sync = await demo.http.post(`${api}/institution-registry/sync`).set(await demo.as('admin')).set('Content-Type', 'text/csv').send(Buffer.from(registry)).expect(200);
    const registrar = (sync.body.accounts as Array<{ username: string; initialPassword: string }>).find((x) => x.username === `${SCHOOL}-registrar`)!;
    schoolAuth = { Authorization: `Bearer ${await firstLogin(demo.http, registrar.username, registrar.initialPassword)}` };
    const [pupilId] = await h.numbered(1, '2021-04-04');
    const pupil = (await h.record(pupilId!)).child as { name: string; gender: string; birthDate: string; idNumber: string };
    const sex = (g: string) => (g === '1' ? '男' : '女');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('新生名单');
    sheet.addRow(['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码']);
    sheet.addRow([pupil.name, sex(pupil.gender), pupil.birthDate, '居民身份证', pupil.idNumber]);
    sheet.addRow([a!.name, sex(a!.gender), a!.birthDate, '其他', '']);
    sheet.addRow(['张未查', '1', '2021-06-06', '1', residentId('2021-06-06', 991)]);
    const list = await demo.http.post(`${api}/handover/lists`).set(schoolAuth).set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(Buffer.from(await book.xlsx.writeBuffer())).expect(200);
    expect(list.body.counts).toEqual({ matched: 1, 'to-confirm': 1, 'not-found': 1 });
    ids['list'] = list.body.listId;
    const lines = (await demo.http.get(`${api}/handover/entries`).query({ listId: ids['list'] }).set({ ...schoolAuth, 'X-Min-Position': String(await demo.app.get<EventStore>(EVENT_STORE).headPosition()) }).expect(200)).body.items as Array<{ entryId: string; status: string }>;
    ids['matched'] = lines.find((l) => l.status === 'matched')!.entryId;
    ids['toConfirm'] = lines.find((l) => l.status === 'to-confirm')!.entryId;
  });

  /** Free-form answers whose events carry names and record ids but no number (still checked for leaks). */
  const NUMBERLESS = new Set([
    'GET /api/v1/duplicate-cases/{caseId}/history',
    // transfer events hold record ids and institution codes only
    'GET /api/v1/transfers/{id}/timeline',
    // the school's own pupil in full (typed in by it), its candidates with no number at all (ADR 22)
    'GET /api/v1/handover/lists/{listId}/entries/{entryId}',
    // only the school that matched the pupil gets it, in full to hand over (an audited read): nothing masked
    'GET /api/v1/handover/lists/{listId}/entries/{entryId}/supplement',
  ]);
  /** Answers that are empty in this walk, with why (the same view as a walked one). */
  const EMPTY_HERE: Record<string, string> = { 'GET /api/v1/transfers/overdue': 'takes 30 working days; the same TransferViews as the other transfer lists' };

  /** How each answer is fetched as a caller who may not see the numbers. */
  const WALK: Record<string, () => Promise<Json>> = {
    'GET /api/v1/records': () => get('/records', COUNTY, { limit: '200' }),
    'GET /api/v1/records/saved': () => get('/records/saved', KG_ADMIN),
    'GET /api/v1/records/review-queue': () => get('/records/review-queue', KG_ADMIN),
    'GET /api/v1/records/rejected': () => get('/records/rejected', KG_ADMIN),
    'GET /api/v1/records/problems': () => get('/records/problems', COUNTY),
    'GET /api/v1/records/{id}': () => get(`/records/${ids['a']}`),
    'GET /api/v1/records/{id}/history': () => get(`/records/${ids['b']}/history`),
    'GET /api/v1/duplicate-cases/{caseId}': () => get(`/duplicate-cases/${ids['case']}`),
    'GET /api/v1/duplicate-cases/{caseId}/history': () => get(`/duplicate-cases/${ids['case']}/history`),
    'GET /api/v1/classes/{id}': () => get(`/classes/${ids['class']}`),
    'GET /api/v1/classes/unplaced': () => get('/classes/unplaced', COUNTY, { institutionCode: '1141010001' }),
    'GET /api/v1/leaves': () => get('/leaves'),
    'GET /api/v1/transfers/waiting-for-me': () => get('/transfers/waiting-for-me', `${RECEIVING}-business`),
    'GET /api/v1/transfers/waiting-for-them': () => get('/transfers/waiting-for-them', `${RECEIVING}-business`),
    'GET /api/v1/transfers/incoming': () => get('/transfers/incoming', `${RECEIVING}-business`),
    'GET /api/v1/transfers/outgoing': () => get('/transfers/outgoing', COUNTY),
    'GET /api/v1/transfers/overdue': () => get('/transfers/overdue', COUNTY),
    'GET /api/v1/transfers/{id}': () => get(`/transfers/${ids['agreed']}`, `${RECEIVING}-business`),
    'GET /api/v1/transfers/{id}/timeline': () => get(`/transfers/${ids['agreed']}/timeline`, `${RECEIVING}-business`),
    'GET /api/v1/handover/entries': async () => (await demo.http.get(`${api}/handover/entries`).set({ ...schoolAuth, 'X-Min-Position': String(await demo.app.get<EventStore>(EVENT_STORE).headPosition()) }).expect(200)).body,
    'GET /api/v1/handover/lists/{listId}/entries/{entryId}': async () => (await demo.http.get(`${api}/handover/lists/${ids['list']}/entries/${ids['toConfirm']}`).set(schoolAuth).expect(200)).body,
    'GET /api/v1/handover/lists/{listId}/entries/{entryId}/supplement': async () => (await demo.http.get(`${api}/handover/lists/${ids['list']}/entries/${ids['matched']}/supplement`).set(schoolAuth).expect(200)).body,
    'GET /api/v1/handover/registration/not-found': async () => (await demo.http.get(`${api}/handover/registration/not-found`).set({ Authorization: `Bearer ${feedToken}`, 'X-Min-Position': String(await demo.app.get<EventStore>(EVENT_STORE).headPosition()) }).expect(200)).body,
    'GET /api/v1/feed': async () => (await demo.http.get(`${api}/feed`).query({ after: '0', limit: '500' }).set({ Authorization: `Bearer ${feedToken}`, 'X-Min-Position': String(await demo.app.get<EventStore>(EVENT_STORE).headPosition()) }).expect(200)).body,
  };

  /** GET operations whose 2xx JSON schema names a masked field, or holds free-form objects that may carry one. */
  function carriers(): string[] {
    const schemas = doc.components.schemas;
    const carries = (schema: Schema | undefined, seen: Set<string>): boolean => {
      if (!schema || typeof schema !== 'object') return false;
      const ref = schema['$ref'];
      if (typeof ref === 'string') {
        const name = ref.split('/').pop()!;
        if (seen.has(name)) return false;
        seen.add(name);
        return carries(schemas[name], seen);
      }
      // a nullable reference is rendered `{ type: 'object', allOf: [{ $ref }] }`: the reference decides, it is not free-form
      const composed = ['allOf', 'oneOf', 'anyOf'].some((k) => Array.isArray(schema[k]));
      const free = (schema['additionalProperties'] !== undefined && schema['additionalProperties'] !== false) || (schema['type'] === 'object' && !schema['properties'] && !composed);
      const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
      return free
        || Object.keys(properties).some((p) => MASKED_FIELDS.has(p))
        || Object.values(properties).some((p) => carries(p, seen))
        || carries(schema['items'] as Schema | undefined, seen)
        || ['allOf', 'oneOf', 'anyOf'].some((k) => ((schema[k] ?? []) as Schema[]).some((s) => carries(s, seen)));
    };
    const found: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      const get = operations['get'];
      if (!get) continue;
      const json = Object.entries(get.responses).filter(([code]) => code.startsWith('2')).map(([, r]) => r.content?.['application/json']?.schema);
      if (json.some((s) => carries(s, new Set()))) found.push(`GET ${path}`);
    }
    return found.filter((op) => !(op in NO_CHILD_DATA)).sort();
  }

  /** Every masked number of an answer, with the facts of its own item (or of the whole answer when its item has none). */
  function maskedNumbers(answer: Json): Array<{ field: string; value: string; facts: Facts }> {
    const text = JSON.stringify(answer);
    const areas = [...new Set(text.match(/(?<![0-9])[1-9]\d{5}/g) ?? [])];
    const births: string[] = [];
    const genders: string[] = [];
    const out: Array<{ field: string; value: string; facts: Facts }> = [];
    const walk = (node: Json, chain: Array<Record<string, Json>>): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, chain));
      if (!node || typeof node !== 'object') return;
      const object = node as Record<string, Json>;
      if (typeof object['birthDate'] === 'string') births.push(object['birthDate']);
      if (typeof object['gender'] === 'string') genders.push(object['gender']);
      const here = [...chain, object];
      for (const [key, value] of Object.entries(object)) {
        if (MASKED_FIELDS.has(key) && typeof value === 'string' && value.includes('*')) {
          // the item's own facts, and those of what it is nested in (a candidate under the entry it may be): the most telling birth date
          const owner = [...here].reverse().find((o) => typeof o['birthDate'] === 'string');
          const birth = here.map((o) => o['birthDate']).filter((b): b is string => typeof b === 'string').sort((x, y) => y.length - x.length)[0] ?? null;
          out.push({ field: key, value, facts: { areas, birth, gender: owner && typeof owner['gender'] === 'string' ? owner['gender'] : null } });
        } else walk(value, here);
      }
    };
    walk(answer, []);
    // an item without its own birth facts: the most telling facts of the answer (a full date, if any, wins)
    const birth = births.sort((x, y) => y.length - x.length)[0] ?? null;
    return out.map((m) => (m.facts.birth ? m : { ...m, facts: { ...m.facts, birth, gender: genders.length === 1 ? genders[0]! : m.facts.gender } }));
  }

  it('finds every answer that carries masked numbers in the OpenAPI document, and the walk fetches each', () => {
    expect(carriers()).toEqual(Object.keys(WALK).sort());
  });

  it('leaves at least 10,000 candidates for every masked number, and no full number of the children entered', async () => {
    let counted = 0;
    for (const [operation, fetch] of Object.entries(WALK)) {
      const answer = await fetch();
      const text = JSON.stringify(answer);
      for (const secret of secrets) expect({ operation, leaks: text.includes(secret) }).toEqual({ operation, leaks: false });
      const numbers = maskedNumbers(answer);
      expect({ operation, masked: numbers.length > 0 }).toEqual({ operation, masked: !NUMBERLESS.has(operation) && !(operation in EMPTY_HERE) });
      for (const { field, value, facts } of numbers) {
        const left = candidates(field, value, facts);
        expect({ operation, field, value, birth: facts.birth, enough: left >= 10_000 }).toEqual({ operation, field, value, birth: facts.birth, enough: true });
        counted++;
      }
    }
    expect(counted).toBeGreaterThan(20);
  });

  it('shows key hashes to nobody: not in any walked answer, nor in the histories and case views of entitled callers', async () => {
    const hasher = openKeyedHasher(demo.app.get<AppConfig>(APP_CONFIG));
    const hashes = entered.map((c) => dedupeKeyHash(hasher, `id:${c.idNumber}`));
    const answers = [
      ...(await Promise.all(Object.values(WALK).map((fetch) => fetch()))),
      await get(`/records/${ids['b']}/history`, '1141010001-business'),
      await get(`/duplicate-cases/${ids['case']}`, '410102-review'),
      await get(`/duplicate-cases/${ids['case']}/history`, '410102-review'),
    ];
    const text = JSON.stringify(answers);
    expect(text).toContain(ids['b']);
    for (const hash of hashes) expect(text).not.toContain(hash);
    // the case's key stream is named by one of them: the hashes are the real ones
    expect((await demo.app.get<EventStore>(EVENT_STORE).readStream(`dedupe-key-${hashes[1]}`)).length).toBeGreaterThan(1);
  });

  it('the count itself is right: the old mask (birth date visible) left a few dozen numbers, the full birth date alone 500', () => {
    const [a] = entered;
    const old = `${a!.idNumber.slice(0, 6)}********${a!.idNumber.slice(-4)}`;
    expect(candidates('idNumber', old, { areas: [], birth: a!.birthDate, gender: a!.gender })).toBe(1);
    expect(candidates('idNumber', `${a!.idNumber.slice(0, 6)}************`, { areas: [], birth: a!.birthDate, gender: a!.gender })).toBe(500);
    expect(candidates('idNumber', `${a!.idNumber.slice(0, 6)}************`, { areas: [], birth: a!.birthDate.slice(0, 7), gender: a!.gender })).toBe(28 * 500);
  });

  it('every answer says no-store and nosniff (issue 21, item 8): records, problems, downloads, the document', async () => {
    const auth = await demo.as('1141010001-business');
    const answers = [
      await demo.http.get(`${api}/records/${ids['a']}`).set(auth).expect(200),
      await demo.http.get(`${api}/records`).set(auth).expect(200),
      await demo.http.get(`${api}/records/00000000-0000-4000-8000-000000000000`).set(auth).expect(404),
      await demo.http.get(`${api}/records`).expect(401),
      await demo.http.post(`${api}/records`).set(auth).send({ name: '' }).expect(400),
      await demo.http.get(`${api}/records/template`).set(auth).expect(200),
      await demo.http.get(`${api}/openapi.json`).expect(200),
      await demo.http.get('/health').expect(200),
    ];
    answers.forEach((res, n) => {
      expect({ n, cacheControl: res.headers['cache-control'], nosniff: res.headers['x-content-type-options'] }).toEqual({ n, cacheControl: 'no-store', nosniff: 'nosniff' });
    });
  });
});
