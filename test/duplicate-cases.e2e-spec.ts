import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../src/shared/event-store/event-store.port.js';
import { ProjectionManager } from '../src/shared/projections/projection-manager.js';
import { child, residentId } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';

/**
 * Problem records (issue 5, domain.md section 5) walked through the HTTP API with the demo
 * province's real accounts: kindergartens in the same county (中原区 1141010001 / 1141010002), in
 * two counties of one prefecture (中原区 / 二七区 1141010004) and in two prefectures (郑州 / 开封
 * 1141020001). Every case must end with exactly one valid entry, decided by the right office.
 */
describe('duplicate cases: evidence, county review, arbitration, forced deletion (HTTP)', () => {
  const demo = useDemoApp();
  let store: EventStore;
  const api = '/api/v1';
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
  const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 9), Buffer.from([0xff, 0xd9])]);
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  let sequence = 300;

  beforeAll(() => {
    store = demo.app.get<EventStore>(EVENT_STORE);
  });

  const as = (username: string) => demo.as(username);
  /** headers that wait for everything written so far (read your writes) */
  const fresh = async (username: string) => ({ ...(await as(username)), 'X-Min-Position': String(await store.headPosition()) });

  /** A child entered and submitted by a kindergarten's business account: its record id and the outcome told at once. */
  async function enter(kg: string, body: Record<string, unknown>): Promise<{ id: string; outcome: string }> {
    const auth = await as(`${kg}-business`);
    const id = (await demo.http.post(`${api}/records`).set(auth).send(body).expect(201)).body.id as string;
    const res = await demo.http.post(`${api}/records/submit`).set(auth).send({ recordIds: [id] }).expect(200);
    return { id, outcome: res.body.results[0].outcome as string };
  }
  const approve = async (kg: string, id: string) => (await demo.http.post(`${api}/records/${id}/approve`).set(await as(`${kg}-review`)).expect(200)).body;
  const record = async (kg: string, id: string) => (await demo.http.get(`${api}/records/${id}`).set(await as(`${kg}-business`)).expect(200)).body;
  const getCase = async (username: string, caseId: string) => (await demo.http.get(`${api}/duplicate-cases/${caseId}`).set(await as(username)).expect(200)).body;

  /** The same child entered by two kindergartens, `first` earlier: both become problem records of one case. */
  async function pair(first: string, second: string, approveFirst = false) {
    const body = child('张可欣', '2022-06-01', sequence++);
    const a = await enter(first, body);
    if (approveFirst) await approve(first, a.id);
    const b = await enter(second, body);
    expect(b.outcome).toBe('problem');
    const caseId = (await record(first, a.id)).caseId as string;
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await record(second, b.id)).caseId).toBe(caseId);
    return { a: a.id, b: b.id, caseId, body };
  }

  function upload(kg: string, caseId: string, recordId: string, files: Array<[Buffer, string]>, reason: string | null = '幼儿在本园就读，附入园登记表和缴费凭证') {
    return (async () => {
      let req = demo.http.post(`${api}/duplicate-cases/${caseId}/entries/${recordId}/evidence`).set(await as(`${kg}-business`));
      if (reason !== null) req = req.field('reason', reason);
      for (const [bytes, name] of files) req = req.attach('files', bytes, { filename: name, contentType: 'application/octet-stream' });
      return req;
    })();
  }
  const pass = async (county: string, caseId: string, recordId: string) =>
    demo.http.post(`${api}/duplicate-cases/${caseId}/entries/${recordId}/evidence/pass`).set(await as(`${county}-review`)).send({ reason: '材料齐全，确认在园' });
  const fail = async (county: string, caseId: string, recordId: string) =>
    demo.http.post(`${api}/duplicate-cases/${caseId}/entries/${recordId}/evidence/fail`).set(await as(`${county}-review`)).send({ reason: '材料不能证明幼儿在园' });
  const arbitrate = async (username: string, caseId: string, recordId: string, reason?: string) =>
    demo.http.post(`${api}/duplicate-cases/${caseId}/arbitration`).set(await as(username)).send({ recordId, ...(reason ? { reason } : {}) });

  /** Exactly one entry valid, every other void or gone; the records agree. */
  async function expectSettled(caseId: string, valid: string, kgOf: Record<string, string>, voided: string[]) {
    const view = await getCase('410000-review', caseId);
    expect(view.status).toBe('resolved');
    expect(view.entries.filter((e: { status: string }) => e.status === 'valid').map((e: { recordId: string }) => e.recordId)).toEqual([valid]);
    expect(view.entries.filter((e: { status: string }) => e.status === 'void').map((e: { recordId: string }) => e.recordId).sort()).toEqual([...voided].sort());
    expect(['dedupe-passed', 'numbered']).toContain((await record(kgOf[valid]!, valid)).status);
    for (const id of voided) expect((await record(kgOf[id]!, id)).status).toBe('void');
  }

  it('same county: both pass, the county arbitrates; the proposal is the entry entered first; nobody else can decide', async () => {
    const { a, b, caseId } = await pair('1141010001', '1141010002');
    // what each institution sees: its entry waiting for it, the competitor's personal data masked
    const waiting = await demo.http.get(`${api}/duplicate-cases/waiting`).set(await fresh('1141010002-business')).expect(200);
    const mine = waiting.body.items.find((i: { caseId: string }) => i.caseId === caseId);
    expect(mine).toMatchObject({ recordId: b, status: 'unhandled', waitingFor: 'institution', waitedHours: 0, waitedDays: 0 });
    const seen = await getCase('1141010002-business', caseId);
    const theirs = seen.entries.find((e: { recordId: string }) => e.recordId === a);
    const ours = seen.entries.find((e: { recordId: string }) => e.recordId === b);
    expect(theirs).toMatchObject({ institutionCode: '1141010001', institutionName: '郑州市中原区第一幼儿园', own: false });
    expect(theirs.record.child.idNumber).toMatch(/\*{8}/);
    expect(theirs.record.child.address).toMatch(/…$/);
    expect(ours.record.child.idNumber).not.toMatch(/\*/);
    expect(theirs.history).toBeUndefined();

    expect((await upload('1141010001', caseId, a, [[PDF, '入园登记表.pdf'], [JPEG, '缴费凭证.jpg']])).status).toBe(200);
    expect((await upload('1141010002', caseId, b, [[PNG, '户口簿.png']])).status).toBe(200);
    const queue = await demo.http.get(`${api}/duplicate-cases/evidence-to-review`).set(await fresh('410102-review')).expect(200);
    expect(queue.body.items.filter((i: { caseId: string }) => i.caseId === caseId).map((i: { recordId: string }) => i.recordId).sort()).toEqual([a, b].sort());
    expect(queue.body.items[0]).toHaveProperty('waitedHours');
    // another county's reviewer neither sees nor reviews it
    expect((await demo.http.get(`${api}/duplicate-cases/evidence-to-review`).set(await fresh('410103-review')).expect(200)).body.items.some((i: { caseId: string }) => i.caseId === caseId)).toBe(false);
    expect((await pass('410103', caseId, a)).status).toBe(404);

    expect((await pass('410102', caseId, a)).body).toMatchObject({ caseStatus: 'open', entryStatus: 'evidence-passed' });
    const second = await pass('410102', caseId, b);
    expect(second.body).toMatchObject({ caseStatus: 'arbitration', entryStatus: 'evidence-passed' });
    const asked = await demo.http.get(`${api}/duplicate-cases/arbitrations`).set(await fresh('410102-review')).expect(200);
    expect(asked.body.items.find((i: { caseId: string }) => i.caseId === caseId)).toMatchObject({ level: 'county', divisionCode: '410102', proposedRecordId: a, status: 'pending' });
    // the arbitrator reads who the entries are, not only their record ids (issue 22, item 3)
    const entries = asked.body.items.find((i: { caseId: string }) => i.caseId === caseId).entries as Array<{ recordId: string; name: string; institutionCode: string; institutionName: string | null }>;
    expect(entries.map((e) => e.recordId).sort()).toEqual([a, b].sort());
    for (const e of entries) expect(e).toMatchObject({ name: '张可欣', institutionName: expect.stringMatching(/[\u4e00-\u9fff]/) });
    for (const who of ['410100-review', '410000-review']) {
      expect((await demo.http.get(`${api}/duplicate-cases/arbitrations`).set(await fresh(who)).expect(200)).body.items.some((i: { caseId: string }) => i.caseId === caseId)).toBe(false);
      const refused = await arbitrate(who, caseId, a);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('not-the-arbitrator');
    }
    expect((await arbitrate('1141010001-review', caseId, a)).body.code).toBe('office-account-only');
    expect((await arbitrate('410102-leader', caseId, a)).body.code).toBe('leader-read-only');
    expect((await arbitrate('410103-review', caseId, a)).status).toBe(404);
    const view = await getCase('410102-review', caseId);
    expect(view.arbitration).toMatchObject({ level: 'county', proposedRecordId: a, youArbitrate: true });
    // the arbitrator sees every entry's full history and evidence
    for (const e of view.entries) {
      expect(e.history.map((h: { type: string }) => h.type)).toEqual(expect.arrayContaining(['RecordSaved', 'RecordSubmitted', 'RecordFlaggedAsDuplicate']));
      expect(e.evidence.files.length).toBeGreaterThan(0);
    }

    const decided = await arbitrate('410102-review', caseId, a);
    expect(decided.status).toBe(200);
    expect(decided.body.resolution).toMatchObject({ validRecordId: a, voidRecordIds: [b], how: 'arbitration' });
    await expectSettled(caseId, a, { [a]: '1141010001', [b]: '1141010002' }, [b]);
    expect((await demo.http.get(`${api}/duplicate-cases/arbitrations`).set(await fresh('410102-review')).expect(200)).body.items.some((i: { caseId: string }) => i.caseId === caseId)).toBe(false);
    // a void record is final
    const refused = await demo.http.post(`${api}/records/${b}/approve`).set(await as('1141010002-review')).expect(422);
    expect(refused.body.code).toBe('record-status');
    expect(refused.body.message).toMatch(/已失效/);
    expect((await demo.http.delete(`${api}/records/${b}`).set(await as('1141010002-business')).send({ reason: '清理' })).status).toBe(422);
    // the winner goes on to review and gets its number
    expect(await approve('1141010001', a)).toMatchObject({ status: 'numbered' });
  });

  it('two counties of one prefecture: the prefecture arbitrates; it may pick the later entry only with a reason', async () => {
    const { a, b, caseId } = await pair('1141010001', '1141010004', true);
    // the entry approved long ago is in the case too, and remembers its number
    expect((await record('1141010001', a)).status).toBe('problem');
    expect((await upload('1141010001', caseId, a, [[PDF, '学籍卡.pdf']])).status).toBe(200);
    expect((await upload('1141010004', caseId, b, [[JPEG, '转园证明.jpg']])).status).toBe(200);
    // each county reviews its own institution's evidence only
    expect((await pass('410102', caseId, b)).body.code).toBe('not-entry-county');
    expect((await pass('410102', caseId, a)).status).toBe(200);
    expect((await pass('410103', caseId, b)).body.caseStatus).toBe('arbitration');
    for (const who of ['410102-review', '410103-review', '410000-review']) expect((await arbitrate(who, caseId, b, '理由')).body.code).toBe('not-the-arbitrator');
    const noReason = await arbitrate('410100-business', caseId, b);
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0]).toMatchObject({ field: 'reason', code: 'reason-required' });
    const bad = await arbitrate('410100-business', caseId, '00000000-0000-4000-8000-000000000000', '理由充分');
    expect(bad.body.code).toBe('not-a-candidate');
    expect((await arbitrate('410100-business', caseId, b, '幼儿已于九月转入二七区实验幼儿园，有转园证明')).status).toBe(200);
    await expectSettled(caseId, b, { [a]: '1141010001', [b]: '1141010004' }, [a]);
    // the earlier approved entry is void: never approved, never numbered again
    expect((await demo.http.post(`${api}/records/${a}/approve`).set(await as('1141010001-review'))).body.code).toBe('record-status');
    expect((await demo.http.post(`${api}/records/${a}/key-information`).set(await as('1141010001-review')).send({ name: '张可心', gender: '2', birthDate: '2022-06-01', idType: '1', idNumber: residentId('2022-06-01', 301), reason: '更正姓名' })).status).toBe(422);

    // the timeline: who filed, reviewed and arbitrated, when and why, for everyone involved and auditors
    const history = await demo.http.get(`${api}/duplicate-cases/${caseId}/history`).set(await as('1141010004-business')).expect(200);
    const types = history.body.items.map((i: { type: string }) => i.type);
    expect(types).toEqual(['DuplicateCaseOpened', 'EvidenceFiled', 'EvidenceFiled', 'EvidenceAccepted', 'EvidenceAccepted', 'ArbitrationRequested', 'ArbitrationDecided', 'DuplicateCaseResolved']);
    const decision = history.body.items.find((i: { type: string }) => i.type === 'ArbitrationDecided');
    expect(decision).toMatchObject({ reason: '幼儿已于九月转入二七区实验幼儿园，有转园证明', actor: { role: 'business', organisationId: '410100' } });
    expect(history.body.items.find((i: { type: string }) => i.type === 'EvidenceFiled').actor.organisationId).toBe('1141010001');
    for (const who of ['1141010001-review', '410102-business', '410000-business']) await demo.http.get(`${api}/duplicate-cases/${caseId}/history`).set(await as(who)).expect(200);
    // not involved: it does not exist for them
    for (const who of ['1141010002-business', '410202-review']) expect((await demo.http.get(`${api}/duplicate-cases/${caseId}/history`).set(await as(who))).status).toBe(404);
    // the record's own history says why it became void
    const voided = await demo.http.get(`${api}/records/${a}/history`).set(await as('1141010001-business')).expect(200);
    expect(voided.body.items.at(-1)).toMatchObject({ type: 'RecordVoided', reason: expect.stringMatching(/仲裁/) });
  });

  it('two prefectures: the province arbitrates and confirms the proposal', async () => {
    const { a, b, caseId } = await pair('1141020001', '1141010001');
    await upload('1141020001', caseId, a, [[PNG, '入园通知书.png']]);
    await upload('1141010001', caseId, b, [[PDF, '入园登记表.pdf']]);
    expect((await pass('410202', caseId, a)).status).toBe(200);
    expect((await pass('410102', caseId, b)).body.caseStatus).toBe('arbitration');
    for (const who of ['410100-review', '410200-review', '410202-review', '410102-review']) expect((await arbitrate(who, caseId, a)).status).toBe(403);
    const queue = await demo.http.get(`${api}/duplicate-cases/arbitrations`).set(await fresh('410000-business')).expect(200);
    expect(queue.body.items.find((i: { caseId: string }) => i.caseId === caseId)).toMatchObject({ level: 'province', divisionCode: '410000', proposedRecordId: a });
    expect((await arbitrate('410000-review', caseId, a)).body.resolution).toMatchObject({ validRecordId: a, how: 'arbitration' });
    await expectSettled(caseId, a, { [a]: '1141020001', [b]: '1141010001' }, [b]);
  });

  it('a third kindergarten joins the open case, even while arbitration is pending: it is heard first, then arbitration is asked again', async () => {
    const { a, b, caseId, body } = await pair('1141010001', '1141010004');
    await upload('1141010001', caseId, a, [[PDF, '入园登记表.pdf']]);
    await upload('1141010004', caseId, b, [[PDF, '入园登记表.pdf']]);
    await pass('410102', caseId, a);
    expect((await pass('410103', caseId, b)).body.caseStatus).toBe('arbitration');
    const c = await enter('1141020001', body);
    expect(c.outcome).toBe('problem');
    expect((await record('1141020001', c.id)).caseId).toBe(caseId);
    const joined = await getCase('410000-review', caseId);
    expect(joined).toMatchObject({ status: 'open', arbitration: null });
    expect(joined.entries.map((e: { recordId: string; status: string }) => [e.recordId, e.status])).toEqual([[a, 'evidence-passed'], [b, 'evidence-passed'], [c.id, 'unhandled']]);
    expect((await demo.http.get(`${api}/duplicate-cases/arbitrations`).set(await fresh('410100-review')).expect(200)).body.items.some((i: { caseId: string }) => i.caseId === caseId)).toBe(false);
    expect((await arbitrate('410100-review', caseId, a)).body.code).toBe('no-arbitration');
    // the newcomer's evidence fails: the two that passed (one prefecture) go back to the prefecture
    await upload('1141020001', caseId, c.id, [[PNG, '说明.png']]);
    expect((await fail('410202', caseId, c.id)).body.caseStatus).toBe('arbitration');
    expect((await arbitrate('410100-review', caseId, a)).body.resolution).toMatchObject({ validRecordId: a, voidRecordIds: [b, c.id], how: 'arbitration' });
    await expectSettled(caseId, a, { [a]: '1141010001', [b]: '1141010004', [c.id]: '1141020001' }, [b, c.id]);
  });

  it('exactly one evidence passes: the other becomes void by itself; a failed filing may be filed again while the case is open', async () => {
    const { a, b, caseId } = await pair('1141010001', '1141010004');
    await upload('1141010004', caseId, b, [[PDF, '说明.pdf']]);
    expect((await fail('410103', caseId, b)).body).toMatchObject({ caseStatus: 'open', entryStatus: 'evidence-failed' });
    // failed, not final while the other is still open: the institution files again
    expect((await upload('1141010004', caseId, b, [[PDF, '补充材料.pdf']], '补充户口簿')).status).toBe(200);
    expect((await fail('410103', caseId, b)).status).toBe(200);
    await upload('1141010001', caseId, a, [[PDF, '入园登记表.pdf']]);
    const passed = await pass('410102', caseId, a);
    expect(passed.body).toMatchObject({ caseStatus: 'resolved', resolution: { validRecordId: a, voidRecordIds: [b], how: 'single-pass' } });
    await expectSettled(caseId, a, { [a]: '1141010001', [b]: '1141010004' }, [b]);
    expect((await record('1141010001', a)).status).toBe('dedupe-passed');
  });

  it('the other institution deletes its entry, or corrects it: the remaining entry continues; a corrected one is de-duplicated again', async () => {
    const deleted = await pair('1141010001', '1141010004', true);
    await demo.http.delete(`${api}/records/${deleted.b}`).set(await as('1141010004-business')).send({ reason: '幼儿实际在中原区第一幼儿园' }).expect(200);
    const afterDelete = await getCase('410100-review', deleted.caseId);
    expect(afterDelete).toMatchObject({ status: 'resolved', resolution: { validRecordId: deleted.a, voidRecordIds: [], how: 'last-remaining' } });
    // approved before, approved again: the number stays
    expect(await record('1141010001', deleted.a)).toMatchObject({ status: 'numbered', recordNumber: `G${deleted.body.idNumber}`, caseId: null });

    const corrected = await pair('1141010001', '1141010004');
    const fixed = { ...corrected.body, idNumber: residentId('2022-06-01', 700), gender: '2' };
    const res = await demo.http.put(`${api}/records/${corrected.b}`).set(await as('1141010004-business')).send(fixed).expect(200);
    expect(res.body).toMatchObject({ status: 'dedupe-passed', deduplication: 'dedupe-passed' });
    expect((await getCase('1141010001-business', corrected.caseId)).entries.map((e: { status: string }) => e.status).sort()).toEqual(['corrected', 'valid']);
    expect((await record('1141010001', corrected.a)).status).toBe('dedupe-passed');
    // a correction that keeps the key is only a correction: the entry stays in the case
    const stays = await pair('1141010001', '1141010004');
    await demo.http.put(`${api}/records/${stays.b}`).set(await as('1141010004-business')).send({ ...stays.body, address: '郑州市二七区大学路 1 号' }).expect(200);
    expect((await record('1141010004', stays.b)).status).toBe('problem');
  });

  it('same institution entered twice: it cannot defend one against the other; it deletes one and keeps the other', async () => {
    const auth = await as('1141010001-business');
    const first = await enter('1141010001', child('刘子墨', '2022-07-07', sequence++));
    const other = child('刘子默', '2022-07-07', sequence++);
    const second = await enter('1141010001', other);
    // the reviewer rejects the second; correcting it into the first child's number is refused, as
    // entering that child again is (issue 22, item 4: it used to be saved and became a problem record)
    await demo.http.post(`${api}/records/${second.id}/reject`).set(await as('1141010001-review')).send({ reason: '身份证号码与户口簿不符' }).expect(200);
    const clash = { idNumber: residentId('2022-07-07', sequence - 2), gender: (sequence - 2) % 2 === 1 ? '1' : '2' };
    const refusedEdit = await demo.http.put(`${api}/records/${second.id}`).set(auth).send({ ...other, ...clash }).expect(409);
    expect(refusedEdit.body).toMatchObject({ code: 'already-present', recordId: first.id });
    // a key-information change of an approved record can still make the two one child
    expect((await demo.http.post(`${api}/records/submit`).set(auth).send({ recordIds: [second.id] }).expect(200)).body.results[0].outcome).toBe('dedupe-passed');
    await approve('1141010001', second.id);
    const key = { name: other.name, birthDate: other.birthDate, idType: '1', ...clash, reason: '身份证号码更正' };
    const changed = await demo.http.post(`${api}/records/${second.id}/key-information`).set(await as('1141010001-review')).send(key).expect(200);
    expect(changed.body.deduplication).toBe('problem');
    const caseId = (await record('1141010001', second.id)).caseId as string;
    expect((await record('1141010001', first.id)).caseId).toBe(caseId);
    const refused = await upload('1141010001', caseId, first.id, [[PDF, '说明.pdf']]);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('delete-own-duplicates-first');
    await demo.http.delete(`${api}/records/${second.id}`).set(auth).send({ reason: '本园重复录入' }).expect(200);
    const kept = await record('1141010001', first.id);
    expect(kept).toMatchObject({ status: 'dedupe-passed', caseId: null });
    expect((await getCase('1141010001-review', caseId)).entries.map((e: { status: string }) => e.status).sort()).toEqual(['deleted', 'valid']);
  });

  it('the county force-deletes an entry its institution left unhandled; the queue shows how long it waited', async () => {
    const { a, b, caseId } = await pair('1141010001', '1141010004');
    const unhandled = await demo.http.get(`${api}/duplicate-cases/unhandled`).set(await fresh('410103-review')).expect(200);
    expect(unhandled.body.items.find((i: { recordId: string }) => i.recordId === b)).toMatchObject({ caseId, status: 'unhandled', waitingFor: 'institution', waitedDays: 0, institutionCode: '1141010004', institutionName: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect((await demo.http.get(`${api}/duplicate-cases/unhandled`).query({ olderThanDays: 3 }).set(await fresh('410103-review')).expect(200)).body.items.some((i: { recordId: string }) => i.recordId === b)).toBe(false);
    expect((await demo.http.get(`${api}/duplicate-cases/unhandled`).query({ olderThanDays: -1 }).set(await as('410103-review'))).status).toBe(400);
    const forceDelete = async (county: string, reason: string) =>
      demo.http.post(`${api}/duplicate-cases/${caseId}/entries/${b}/force-delete`).set(await as(`${county}-review`)).send({ reason });
    expect((await forceDelete('410102', '逾期未处理')).body.code).toBe('not-entry-county');
    expect((await forceDelete('410103', '')).status).toBe(400);
    const done = await forceDelete('410103', '幼儿园逾期未处理，经核实幼儿不在该园');
    expect(done.body).toMatchObject({ caseStatus: 'resolved', entryStatus: 'force-deleted', resolution: { validRecordId: a } });
    const gone = await demo.http.get(`${api}/records/${b}`).set(await as('1141010004-business')).expect(200);
    expect(gone.body.status).toBe('deleted');
    const history = await demo.http.get(`${api}/records/${b}/history`).set(await as('1141010004-business')).expect(200);
    expect(history.body.items.at(-1)).toMatchObject({ type: 'RecordDeleted', reason: '幼儿园逾期未处理，经核实幼儿不在该园', actor: { organisationId: '410103' } });
    // the case's history names each actor (issue 22, item 3)
    const timeline = await demo.http.get(`${api}/duplicate-cases/${caseId}/history`).set(await as('410103-review')).expect(200);
    expect(timeline.body.items.find((i: { type: string }) => i.type === 'DuplicateEntryForceDeleted').actor).toMatchObject({ username: '410103-review', realName: expect.any(String) });
    expect((await record('1141010001', a)).status).toBe('dedupe-passed');
  });

  it('evidence files: stored durably by content hash, readable by the institution and its offices only; bad uploads change nothing', async () => {
    const { a, b, caseId } = await pair('1141010001', '1141010004');
    const head = await store.headPosition();
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 1, 32)]);
    const cases: Array<[Array<[Buffer, string]>, string | null, number, string]> = [
      [[[big, '扫描件.pdf']], '说明', 413, 'file-too-large'],
      [[[Buffer.from('MZ\x90\x00 this is a program'), '入园登记表.pdf']], '说明', 415, 'file-type'],
      [[[Buffer.alloc(0), '空文件.pdf']], '说明', 400, 'file-empty'],
      [[], '说明', 400, 'files-required'],
      [[[PDF, '1.pdf'], [PDF, '2.pdf'], [PDF, '3.pdf'], [PDF, '4.pdf'], [PDF, '5.pdf'], [PDF, '6.pdf']], '说明', 413, 'too-many-files'],
      [[[PDF, '入园登记表.pdf']], null, 400, 'validation-failed'],
    ];
    for (const [files, reason, status, code] of cases) {
      const res = await upload('1141010001', caseId, a, files, reason);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const typeError = await upload('1141010001', caseId, a, [[Buffer.from('PK\x03\x04zip'), '户口簿.pdf']]);
    expect(typeError.body.errors[0]).toMatchObject({ value: '户口簿.pdf' });
    expect(await store.headPosition()).toBe(head);
    // not multipart at all
    expect((await demo.http.post(`${api}/duplicate-cases/${caseId}/entries/${a}/evidence`).set(await as('1141010001-business')).send({ reason: 'x' })).body.code).toBe('upload-not-multipart');
    // only the entry's own institution files for it
    expect((await upload('1141010004', caseId, a, [[PDF, 'x.pdf']])).status).toBe(404);

    const filed = await upload('1141010001', caseId, a, [[JPEG, '户口簿首页.jpg'], [PDF, '入园登记表.pdf']]);
    expect(filed.status).toBe(200);
    const events = await store.readStream(`duplicate-case-${caseId}`);
    const evidence = events.find((e: RecordedEvent) => e.type === 'EvidenceFiled')!;
    expect(evidence.data['files']).toEqual([
      { sha256: sha256(JPEG), size: JPEG.length, contentType: 'image/jpeg', fileName: '户口簿首页.jpg' },
      { sha256: sha256(PDF), size: PDF.length, contentType: 'application/pdf', fileName: '入园登记表.pdf' },
    ]);
    const url = `${api}/duplicate-cases/${caseId}/evidence/${sha256(JPEG)}`;
    for (const who of ['1141010001-business', '410102-review', '410100-business']) {
      const got = await demo.http.get(url).set(await as(who)).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('image/jpeg');
      expect(sha256(got.body as Buffer)).toBe(sha256(JPEG));
    }
    // the competing institution and the other county see that evidence was filed, not the files
    for (const who of ['1141010004-business', '410103-review']) expect((await demo.http.get(url).set(await as(who))).status).toBe(404);
    const competitor = (await getCase('1141010004-business', caseId)).entries.find((e: { recordId: string }) => e.recordId === a);
    expect(competitor.evidence).toEqual({ filedAt: expect.any(String), files: 2 });
    expect(b).toBeDefined();
  });

  it('the process managers are idempotent: replaying every event they handle changes nothing', async () => {
    const manager = demo.app.get(ProjectionManager);
    for (const name of ['province-deduplication', 'duplicate-case-resolution']) expect(await manager.reactor(name).waitFor(await store.headPosition(), 20_000)).toBe(true);
    const before = await store.headPosition();
    const all = await store.readAll({ after: 0, maxCount: 1_000_000 });
    const count = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type).length;
    // the walks above voided six entries (arbitrations and a single pass) and resolved nine cases
    expect(count(all, 'RecordVoided')).toBe(6);
    const reacted = new Map<string, number>();
    for (const name of ['province-deduplication', 'duplicate-case-resolution']) {
      const { definition } = manager.reactor(name);
      for (const event of all) {
        if (!definition.handles.includes(event.type)) continue;
        await definition.react(event);
        reacted.set(event.type, (reacted.get(event.type) ?? 0) + 1);
      }
    }
    // the replay did real work: every resolution, forced deletion, detection and departure again
    expect(Object.fromEntries(reacted)).toMatchObject({ DuplicateCaseResolved: 9, DuplicateEntryForceDeleted: 1, RecordLeftDuplicateCase: 4, DuplicateDetected: expect.any(Number) });
    expect(await store.headPosition()).toBe(before);
    // every case in the log ended (or stands) with at most one valid entry, and every resolved case with exactly one
    const resolved = all.filter((e) => e.type === 'DuplicateCaseResolved');
    expect(resolved.length).toBe(9);
    for (const r of resolved) expect(r.data['validRecordId']).toEqual(expect.any(String));
    const voided = new Set(all.filter((e) => e.type === 'RecordVoided').map((e) => e.data['recordId']));
    const kept = new Set(all.filter((e) => e.type === 'RecordKeptAfterDuplicateCase').map((e) => e.data['recordId']));
    expect([...voided].filter((id) => kept.has(id))).toEqual([]);
    expect(count(all, 'RecordVoided')).toBe(voided.size);
  });
});
