import { beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { ProjectionManager } from '../src/shared/projections/projection-manager.js';
import { child } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';

/**
 * Province de-duplication under concurrency (architecture rule 4): two kindergartens in
 * different counties enter 50 children each with the same ID numbers, plus 25 children of
 * their own; all 150 submissions are sent at once, one request each.
 */
describe('province de-duplication, 150 concurrent submissions (HTTP)', () => {
  const demo = useDemoApp();
  let store: EventStore;
  const KGS = ['1141010001', '1141010004'] as const;
  const shared = new Map<string, string[]>();
  const unique = new Set<string>();
  const sharedIds = new Set<string>();

  beforeAll(() => {
    store = demo.app.get<EventStore>(EVENT_STORE);
  });

  it('saves the 150 records', async () => {
    for (const [k, kg] of KGS.entries()) {
      const auth = await demo.as(`${kg}-business`);
      for (let i = 0; i < 50; i++) {
        const body = child(`共同${String.fromCharCode(0x4e00 + i)}`, '2022-04-01', 100 + i);
        const id = (await demo.http.post('/api/v1/records').set(auth).send(body).expect(201)).body.id as string;
        shared.set(body.idNumber, [...(shared.get(body.idNumber) ?? []), id]);
        sharedIds.add(id);
      }
      for (let i = 0; i < 25; i++) {
        const id = (await demo.http.post('/api/v1/records').set(auth).send(child(`独有${String.fromCharCode(0x4e00 + k * 30 + i)}`, '2022-05-01', 200 + k * 100 + i)).expect(201)).body.id as string;
        unique.add(id);
      }
    }
    expect([...shared.values()].every((ids) => ids.length === 2)).toBe(true);
  }, 60_000);

  it('every pair ends as problem records, no unique record is flagged', async () => {
    const all = [...sharedIds, ...unique].sort(() => Math.random() - 0.5);
    const kgOf = new Map<string, (typeof KGS)[number]>();
    for (const ids of shared.values()) ids.forEach((id, i) => kgOf.set(id, KGS[i]!));
    let u = 0;
    for (const id of unique) kgOf.set(id, KGS[u++ < 25 ? 0 : 1]!);
    const auth = new Map(await Promise.all(KGS.map(async (kg) => [kg, await demo.as(`${kg}-business`)] as const)));

    const answers = await Promise.all(all.map((id) => demo.http.post('/api/v1/records/submit').set(auth.get(kgOf.get(id)!)!).send({ recordIds: [id] })));
    const outcome = new Map(answers.map((res) => [res.body.results[0].recordId as string, res.body.results[0].outcome as string]));
    expect(answers.every((res) => res.status === 200)).toBe(true);
    // what each registrar was told at once: the later entry of a pair always learns it is a problem
    // record (the earlier one may have passed a moment before, and is flagged when the later one claims)
    for (const pair of shared.values()) expect(pair.some((id) => outcome.get(id) === 'problem')).toBe(true);
    expect([...unique].filter((id) => outcome.get(id) !== 'dedupe-passed')).toEqual([]);

    // and what stands once the reactor has replayed every submission from the log
    const head = await store.headPosition();
    expect(await demo.app.get(ProjectionManager).reactor('province-deduplication').waitFor(head, 20_000)).toBe(true);
    const settled = await store.headPosition();
    for (const kg of KGS) {
      const headers = { ...(await demo.as(`${kg}-review`)), 'X-Min-Position': String(settled) };
      const problems = await demo.http.get('/api/v1/records/problems').query({ limit: 500 }).set(headers).expect(200);
      expect(problems.body.items).toHaveLength(50);
      expect(problems.body.items.every((r: { id: string }) => sharedIds.has(r.id))).toBe(true);
      const queue = await demo.http.get('/api/v1/records/review-queue').query({ limit: 500 }).set(headers).expect(200);
      expect(queue.body.items).toHaveLength(25);
      expect(queue.body.items.every((r: { id: string }) => unique.has(r.id))).toBe(true);
    }
    // each pair shares one case; no record outside the pairs was ever flagged
    const events = await store.readAll({ after: 0, maxCount: 100_000 });
    const flagged = events.filter((e) => e.type === 'RecordFlaggedAsDuplicate');
    expect(flagged.every((e) => sharedIds.has(String(e.data['recordId'])))).toBe(true);
    expect(new Set(flagged.map((e) => e.data['recordId'])).size).toBe(100);
    const caseOf = new Map(flagged.map((e) => [String(e.data['recordId']), String(e.data['caseId'])]));
    for (const [first, second] of shared.values()) expect(caseOf.get(first!)).toBe(caseOf.get(second!));
    expect(new Set(caseOf.values()).size).toBe(50);
    // a shared record that passed for a moment was flagged after it: none stays passed alone
    const passedShared = events.filter((e) => e.type === 'RecordPassedDeduplication' && sharedIds.has(String(e.data['recordId'])));
    for (const pass of passedShared) {
      expect(flagged.find((f) => f.data['recordId'] === pass.data['recordId'])!.position).toBeGreaterThan(pass.position);
    }
  }, 60_000);
});
