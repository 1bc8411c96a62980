import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/bootstrap.js';
import { GENERATED_PASSWORD, type ProvinceManifest, generateProvince } from '../src/cli/province-generator.js';
import { parseStateShares } from '../src/cli/province-model.js';
import { loadConfig } from '../src/config/app-config.js';
import { defaultDivisionTree } from '../src/organisation/domain/divisions.js';
import { RECORDS } from '../src/records/application/record-reads.js';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../src/shared/event-store/event-store.port.js';
import { EventRegistry } from '../src/shared/events/event-registry.js';
import { READ_STORE, type ReadStore, findAll } from '../src/shared/read-store/read-store.port.js';
import { quietLogger } from './fixtures/fixture-app.js';
import { TEST_ENV } from './fixtures/test-env.js';

/**
 * A small synthetic province (npm run generate), then served by the real service: its events are
 * the service's own (schemas, order of the steps), its read models were built by the projections,
 * and the bench kindergartens' accounts log in and work.
 */
describe('npm run generate: a province the service serves', () => {
  let manifest: ProvinceManifest;
  let app: NestFastifyApplication;
  let events: RecordedEvent[];
  const progress: string[] = [];
  const config = { ...loadConfig(TEST_ENV), dataDir: join(mkdtempSync(join(tmpdir(), 'province-')), 'data') };

  beforeAll(async () => {
    manifest = await generateProvince({
      config, children: 800, seed: 5, duplicateShare: 0.05, withoutIdShare: 0.05, stateShares: parseStateShares(undefined),
      benchInstitutions: 2, benchSaved: 6, benchPassed: 6, logger: quietLogger, progress: (line) => progress.push(line),
    });
    app = await createApp({ config, logger: quietLogger });
    events = await app.get<EventStore>(EVENT_STORE).readAll({ after: 0, maxCount: 100_000 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dirname(config.dataDir), { recursive: true, force: true });
  });

  it('says how far it is while creating accounts, in percent', () => {
    expect(progress).toEqual(expect.arrayContaining([expect.stringMatching(/^accounts: 2 of 2 bench kindergartens \(100 %, 6 accounts/)]));
    expect(progress.filter((l) => l.startsWith('accounts: ')).every((l) => / \(\d+ %/.test(l))).toBe(true);
  });

  it('wrote only events the service’s registry accepts, each record’s steps in the service’s order', () => {
    expect(events).toHaveLength(manifest.counts.events);
    const registry = app.get(EventRegistry);
    for (const e of events) registry.validate(e.type, e.data, e.metadata.schemaVersion);
    expect(events.filter((e) => e.type === 'InstitutionRegistered')).toHaveLength(manifest.counts.institutions);
    // a record's key claim comes after its submission and before its outcome, as Deduplication.check writes them
    const at = new Map<string, number>();
    for (const e of events) at.set(`${e.type}:${String(e.data['recordId'])}`, e.position);
    for (const claim of events.filter((e) => e.type === 'DedupeKeyClaimed')) {
      const id = String(claim.data['recordId']);
      expect(claim.position).toBeGreaterThan(at.get(`RecordSubmitted:${id}`)!);
      const outcome = at.get(`RecordPassedDeduplication:${id}`) ?? at.get(`RecordFlaggedAsDuplicate:${id}`)!;
      expect(outcome).toBeGreaterThan(claim.position);
    }
    const saved = events.filter((e) => e.type === 'RecordSaved');
    expect(saved).toHaveLength(manifest.counts.children);
    expect(saved.every((e) => e.revision === 0 && e.metadata.actor.role === 'business')).toBe(true);
  });

  it('left read models built by the projections: every child a record in the state the manifest counts, with known division codes', async () => {
    const reads = app.get<ReadStore>(READ_STORE);
    let total = 0;
    for (const [status, n] of Object.entries(manifest.counts.byState)) {
      expect(await reads.count(RECORDS, { status })).toBe(n);
      total += n;
    }
    expect(total).toBe(800);
    const tree = defaultDivisionTree();
    for (const e of events.filter((x) => x.type === 'RecordSaved')) {
      const child = e.data['child'] as { householdCode: string | null; birthplaceCode: string | null };
      for (const code of [child.householdCode, child.birthplaceCode]) if (code) expect(tree.has(code)).toBe(true);
    }
  });

  it('turned shared ID numbers into problem records of one case, and numbered children without an ID number with J numbers', async () => {
    const reads = app.get<ReadStore>(READ_STORE);
    const problems = await findAll(reads, RECORDS, { status: 'problem' });
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      const holders = await findAll(reads, RECORDS, { idNumber: String(p['idNumber']) });
      expect(holders.length).toBe(2);
      expect(new Set(holders.map((h) => h['institutionCode'])).size).toBe(2);
    }
    expect(events.filter((e) => e.type === 'DuplicateDetected').length).toBeGreaterThan(0);
    // the de-duplication reactor's replay opened each pair's duplicate case, as after a restart in production
    const opened = new Map(events.filter((e) => e.type === 'DuplicateCaseOpened').map((e) => [String(e.data['caseId']), (e.data['entries'] as Array<{ recordId: string }>).map((x) => x.recordId)]));
    for (const p of problems) expect(opened.get(String(p['caseId']))).toContain(p.id);
    expect(opened.size).toBe(problems.length / 2);
    const numbered = await findAll(reads, RECORDS, { status: 'numbered' });
    expect(numbered.every((r) => String(r['recordNumber']).startsWith(r['idNumber'] ? 'G' : 'J'))).toBe(true);
    expect(numbered.some((r) => String(r['recordNumber']).startsWith('J'))).toBe(true);
  });

  it('lets the bench kindergartens’ accounts log in with the known password and work: submit and approve', async () => {
    const http = request(app.getHttpServer());
    const [kg] = manifest.accounts.bench;
    const login = async (username: string) => {
      const res = await http.post('/api/v1/auth/login').send({ username, password: GENERATED_PASSWORD }).expect(200);
      expect(res.body.mustChangePassword).toBe(false);
      return { Authorization: `Bearer ${res.body.token as string}` };
    };
    const business = await login(kg!.business);
    const review = await login(kg!.review);
    const saved = await http.get('/api/v1/records/saved').set(business).expect(200);
    expect(saved.body.items.length).toBeGreaterThanOrEqual(6);
    const submitted = await http.post('/api/v1/records/submit').set(business).send({ recordIds: [saved.body.items[0].id] }).expect(200);
    expect(submitted.body).toMatchObject({ submitted: 1 });
    const queue = await http.get('/api/v1/records/review-queue').set(review).expect(200);
    expect(queue.body.items.length).toBeGreaterThanOrEqual(6);
    const approved = await http.post(`/api/v1/records/${queue.body.items[0].id}/approve`).set(review).expect(200);
    expect(approved.body).toMatchObject({ status: 'numbered' });
    expect(approved.body.recordNumber).toMatch(/^[GJ]/);
  });
});
