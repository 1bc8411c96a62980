import { beforeAll, describe, expect, it } from '@jest/globals';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { child, residentId } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';

/**
 * The child record walked through the HTTP API by the institution's two accounts (business:
 * entry and submission; review: approval, rejection, key change), then seen from the county.
 */
describe('child records (HTTP, demo province)', () => {
  const demo = useDemoApp();
  let store: EventStore;
  const KG = '1141010001';
  const business = () => demo.as(`${KG}-business`);
  const review = () => demo.as(`${KG}-review`);
  const fresh = (headers: Record<string, string>, position: number) => ({ ...headers, 'X-Min-Position': String(position) });

  beforeAll(() => {
    store = demo.app.get<EventStore>(EVENT_STORE);
  });

  let a: string;
  let b: string;
  const aChild = child('王小明', '2022-03-15', 1);

  it('saves a record; the same child twice in one kindergarten is refused', async () => {
    const res = await demo.http.post('/api/v1/records').set(await business()).send(aChild).expect(201);
    expect(res.body).toMatchObject({ status: 'saved', revision: 0, events: ['RecordSaved'] });
    expect(res.headers['location']).toBe(`/api/v1/records/${res.body.id}`);
    a = res.body.id;
    // typed differently (spaces, lower-case, label instead of code): still the same child
    const again = await demo.http.post('/api/v1/records').set(await business()).send({ ...aChild, gender: '男', idNumber: ` ${aChild.idNumber.slice(0, 6)} ${aChild.idNumber.slice(6)}` }).expect(409);
    expect(again.body).toMatchObject({ code: 'already-present', recordId: a });
    const saved = await demo.http.get('/api/v1/records/saved').set(fresh(await business(), res.body.position)).expect(200);
    expect(saved.body.items.map((r: { id: string }) => r.id)).toEqual([a]);
    // the institution's own accounts see the whole ID number
    expect(saved.body.items[0].idNumber).toBe(aChild.idNumber);
  });

  it('refuses bad input with a problem naming each field, and stores nothing', async () => {
    const head = await store.headPosition();
    const wrongDigit = await demo.http.post('/api/v1/records').set(await business()).send({ ...aChild, idNumber: `${aChild.idNumber.slice(0, 17)}${aChild.idNumber.endsWith('1') ? '2' : '1'}` }).expect(400);
    expect(wrongDigit.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrongDigit.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['idNumber:id-number-check-digit']);
    const impossible = await demo.http.post('/api/v1/records').set(await business()).send({ ...aChild, idType: 'Z', idNumber: null, birthDate: '2022-02-30' }).expect(400);
    expect(impossible.body.errors[0]).toMatchObject({ field: 'birthDate', code: 'birth-date-invalid' });
    const codes = await demo.http.post('/api/v1/records').set(await business()).send({ ...aChild, ethnicity: '57', nationality: 'XXX', householdCode: '419999' }).expect(400);
    expect(codes.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual(['nationality:unknown-code', 'ethnicity:unknown-code', 'householdCode:division-unknown']);
    expect(codes.body.errors[0].message).toMatch(/国籍/);
    const mismatch = await demo.http.post('/api/v1/records').set(await business()).send({ ...aChild, birthDate: '2022-03-16', idNumber: residentId('2022-03-15', 3) }).expect(400);
    expect(mismatch.body.errors.map((e: { code: string }) => e.code)).toEqual(['birth-date-mismatch']);
    const overAge = { ...child('李大宝', '2019-05-01', 5) };
    const unconfirmed = await demo.http.post('/api/v1/records').set(await business()).send(overAge).expect(422);
    expect(unconfirmed.body).toMatchObject({ code: 'over-age-unconfirmed' });
    expect(unconfirmed.body.detail ?? unconfirmed.body.message).toMatch(/超龄/);
    const typeError = await demo.http.post('/api/v1/records').set(await business()).send({ ...aChild, name: 12 }).expect(400);
    expect(typeError.body.errors[0].field).toBe('name');
    expect(await store.headPosition()).toBe(head);
    // confirmed: saved, and the confirmation is recorded
    const confirmed = await demo.http.post('/api/v1/records').set(await business()).send({ ...overAge, confirmOverAge: true }).expect(201);
    const view = await demo.http.get(`/api/v1/records/${confirmed.body.id}`).set(await business()).expect(200);
    expect(view.body.child.name).toBe('李大宝');
    await demo.http.delete(`/api/v1/records/${confirmed.body.id}`).set(await business()).send({ reason: '测试数据' }).expect(200);
  });

  it('only the business account enters and the review account reviews', async () => {
    await demo.http.post('/api/v1/records').set(await review()).send(child('赵一', '2022-01-01', 7)).expect(403);
    await demo.http.post('/api/v1/records').set(await demo.as('410102-business')).send(child('赵一', '2022-01-01', 7)).expect(403);
    const leader = await demo.http.get('/api/v1/records').set(await demo.as('410102-leader')).expect(403);
    expect(leader.body.code).toBe('reports-only');
  });

  it('submits every saved record in one call: each passes province de-duplication at once', async () => {
    const noId = { ...child('刘小花', '2022-06-01', 2), idType: 'Z', idNumber: null };
    b = (await demo.http.post('/api/v1/records').set(await business()).send(noId).expect(201)).body.id;
    const res = await demo.http.post('/api/v1/records/submit').set(await business()).send({ all: true }).expect(200);
    expect(res.body).toMatchObject({ requested: 2, submitted: 2, passed: 2, problem: 0, refused: 0 });
    expect(res.body.results.map((r: { recordId: string }) => r.recordId).sort()).toEqual([a, b].sort());
    const queue = await demo.http.get('/api/v1/records/review-queue').set(fresh(await review(), Number(res.headers['x-log-position']))).expect(200);
    expect(queue.body.items.map((r: { id: string; status: string }) => `${r.id}:${r.status}`).sort()).toEqual([`${a}:dedupe-passed`, `${b}:dedupe-passed`].sort());
    // nothing saved is left; submitting again submits nothing
    const again = await demo.http.post('/api/v1/records/submit').set(await business()).send({ all: true }).expect(200);
    expect(again.body).toMatchObject({ requested: 0, submitted: 0 });
    const twice = await demo.http.post('/api/v1/records/submit').set(await business()).send({ recordIds: [a] }).expect(200);
    expect(twice.body.results[0]).toMatchObject({ recordId: a, outcome: 'refused', error: { code: 'record-status' } });
  });

  it('approval issues the record number at once: G + ID number, or a J number for a child without one', async () => {
    await demo.http.post(`/api/v1/records/${a}/approve`).set(await business()).expect(403);
    const approved = await demo.http.post(`/api/v1/records/${a}/approve`).set(await review()).expect(200);
    expect(approved.body).toMatchObject({ status: 'numbered', recordNumber: `G${aChild.idNumber}`, events: ['RecordApproved', 'RecordNumberIssued'] });
    const j = await demo.http.post(`/api/v1/records/${b}/approve`).set(await review()).expect(200);
    expect(j.body.recordNumber).toMatch(/^J41010220220601001[0-9X]$/);
    // an approved record is never deleted directly
    const del = await demo.http.delete(`/api/v1/records/${a}`).set(await business()).send({ reason: '误删' }).expect(422);
    expect(del.body.code).toBe('record-status');
    // the county now sees both; its review account sees full ID numbers, its business account masked ones
    const position = j.body.position;
    const county = await demo.http.get('/api/v1/records').query({ name: '王' }).set(fresh(await demo.as('410102-review'), position)).expect(200);
    expect(county.body.items.map((r: { id: string; idNumber: string; recordNumber: string }) => [r.id, r.idNumber, r.recordNumber])).toEqual([[a, aChild.idNumber, `G${aChild.idNumber}`]]);
    const masked = await demo.http.get('/api/v1/records').query({ idNumber: aChild.idNumber }).set(fresh(await demo.as('410102-business'), position)).expect(200);
    // only the area code is left of the number, and only the month of the birth date (ADR 22)
    expect(masked.body.items[0].idNumber).toBe(`${aChild.idNumber.slice(0, 6)}************`);
    expect(masked.body.items[0].recordNumber).toBe(`G${aChild.idNumber.slice(0, 6)}************`);
    expect(masked.body.items[0].birthDate).toBe(aChild.birthDate.slice(0, 7));
    expect(JSON.stringify(masked.body)).not.toContain(aChild.idNumber);
    // another county sees nothing of it
    const other = await demo.http.get('/api/v1/records').query({ idNumber: aChild.idNumber }).set(fresh(await demo.as('410103-review'), position)).expect(200);
    expect(other.body.items).toEqual([]);
    await demo.http.get(`/api/v1/records/${a}`).set(await demo.as('410103-review')).expect(404);
  });

  it('rejected -> edited -> resubmitted -> approved, and a rejected record can be deleted', async () => {
    const c = (await demo.http.post('/api/v1/records').set(await business()).send(child('陈小雨', '2022-09-09', 12)).expect(201)).body.id;
    await demo.http.post('/api/v1/records/submit').set(await business()).send({ recordIds: [c] }).expect(200);
    const noReason = await demo.http.post(`/api/v1/records/${c}/reject`).set(await review()).send({ reason: '' }).expect(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    const rejected = await demo.http.post(`/api/v1/records/${c}/reject`).set(await review()).send({ reason: '现住址与户口簿不符' }).expect(200);
    const list = await demo.http.get('/api/v1/records/rejected').set(fresh(await business(), rejected.body.position)).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: c, status: 'rejected', rejectReason: '现住址与户口簿不符' })]);
    const edited = await demo.http.put(`/api/v1/records/${c}`).set(await business()).set('If-Match', `"${rejected.body.revision}"`).send(child('陈小雨', '2022-09-09', 12, { address: '郑州市中原区桐柏路 1 号' })).expect(200);
    // a stale editor is told so
    await demo.http.put(`/api/v1/records/${c}`).set(await business()).set('If-Match', `"${rejected.body.revision}"`).send(child('陈小雨', '2022-09-09', 12)).expect(412);
    const resubmitted = await demo.http.post('/api/v1/records/submit').set(await business()).send({ recordIds: [c] }).expect(200);
    expect(resubmitted.body.results[0]).toMatchObject({ recordId: c, outcome: 'dedupe-passed' });
    const approved = await demo.http.post(`/api/v1/records/${c}/approve`).set(await review()).expect(200);
    expect(approved.body.recordNumber).toBe(`G${residentId('2022-09-09', 12)}`);
    expect(edited.body.revision).toBeGreaterThan(rejected.body.revision);

    const d = (await demo.http.post('/api/v1/records').set(await business()).send(child('周小天', '2022-10-10', 13)).expect(201)).body.id;
    await demo.http.post('/api/v1/records/submit').set(await business()).send({ recordIds: [d] }).expect(200);
    await demo.http.post(`/api/v1/records/${d}/reject`).set(await review()).send({ reason: '非本园幼儿' }).expect(200);
    const deleted = await demo.http.delete(`/api/v1/records/${d}`).set(await business()).send({ reason: '非本园幼儿，删除' }).expect(200);
    const after = await demo.http.get('/api/v1/records/rejected').set(fresh(await business(), deleted.body.position)).expect(200);
    expect(after.body.items).toEqual([]);
    // a deleted record still answers (status deleted) for the audit, and its history stays
    expect((await demo.http.get(`/api/v1/records/${d}`).set(await business()).expect(200)).body.status).toBe('deleted');
    const history = await demo.http.get(`/api/v1/records/${d}/history`).set(await business()).expect(200);
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['RecordSaved', 'RecordSubmitted', 'RecordPassedDeduplication', 'RecordRejected', 'RecordDeleted']);
    // the same child can be entered again once the old entry is deleted
    await demo.http.post('/api/v1/records').set(await business()).send(child('周小天', '2022-10-10', 13)).expect(201);
  });

  it('key-information change sends an approved record through de-duplication and review again, keeping its number', async () => {
    const before = await demo.http.get(`/api/v1/records/${a}`).set(await review()).expect(200);
    const change = { name: '王晓明', gender: '1', birthDate: '2022-03-15', idType: '1', idNumber: aChild.idNumber, reason: '户口簿姓名为王晓明' };
    await demo.http.post(`/api/v1/records/${a}/key-information`).set(await business()).send(change).expect(403);
    await demo.http.post(`/api/v1/records/${a}/key-information`).set(await review()).send({ ...change, reason: '' }).expect(400);
    const changed = await demo.http.post(`/api/v1/records/${a}/key-information`).set(await review()).send(change).expect(200);
    expect(changed.body).toMatchObject({ status: 'dedupe-passed', deduplication: 'dedupe-passed' });
    const queue = await demo.http.get('/api/v1/records/review-queue').set(fresh(await review(), changed.body.position)).expect(200);
    expect(queue.body.items.map((r: { id: string; name: string }) => `${r.id}:${r.name}`)).toEqual([`${a}:王晓明`]);
    const approved = await demo.http.post(`/api/v1/records/${a}/approve`).set(await review()).expect(200);
    expect(approved.body).toMatchObject({ status: 'numbered', recordNumber: `G${aChild.idNumber}`, events: ['RecordApproved'] });

    // history: who, when, why; and the record as it stood before the change
    const history = await demo.http.get(`/api/v1/records/${a}/history`).set(await review()).expect(200);
    const types = history.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(['RecordSaved', 'RecordSubmitted', 'RecordPassedDeduplication', 'RecordApproved', 'RecordNumberIssued', 'KeyInformationChanged', 'RecordPassedDeduplication', 'RecordApproved']);
    const keyChange = history.body.items[5];
    expect(keyChange).toMatchObject({ reason: '户口簿姓名为王晓明', actor: { role: 'review', organisationId: KG }, data: { before: { name: '王小明' }, after: { name: '王晓明' } } });
    expect(history.body.items[2].actor.accountId).toBe('system');
    const then = await demo.http.get(`/api/v1/records/${a}`).query({ asOf: before.body.updatedAt }).set(await review()).expect(200);
    expect(then.body).toMatchObject({ status: 'numbered', child: { name: '王小明' }, asOf: before.body.updatedAt });
    const now = await demo.http.get(`/api/v1/records/${a}`).set(await review()).expect(200);
    expect(now.body.child.name).toBe('王晓明');
    await demo.http.get(`/api/v1/records/${a}`).query({ asOf: '2020-01-01T00:00:00Z' }).set(await review()).expect(404);
    await demo.http.get(`/api/v1/records/${a}`).query({ asOf: 'yesterday' }).set(await review()).expect(400);
    // the county's business account reads the history with ID numbers masked
    const masked = await demo.http.get(`/api/v1/records/${a}/history`).set(await demo.as('410102-business')).expect(200);
    expect(JSON.stringify(masked.body)).not.toContain(aChild.idNumber);
  });

  it('the same ID number in another kindergarten makes both entries problem records', async () => {
    const other = demo.as.bind(demo);
    const dup = (await demo.http.post('/api/v1/records').set(await other('1141010004-business')).send({ ...aChild, name: '王晓明' }).expect(201)).body.id;
    const res = await demo.http.post('/api/v1/records/submit').set(await other('1141010004-business')).send({ recordIds: [dup] }).expect(200);
    expect(res.body.results[0]).toMatchObject({ recordId: dup, outcome: 'problem' });
    const ours = await demo.http.get('/api/v1/records/problems').set(fresh(await business(), Number(res.headers['x-log-position']))).expect(200);
    expect(ours.body.items).toEqual([expect.objectContaining({ id: a, status: 'problem', recordNumber: `G${aChild.idNumber}` })]);
    const theirs = await demo.http.get('/api/v1/records/problems').set(fresh(await other('410103-review'), Number(res.headers['x-log-position']))).expect(200);
    expect(theirs.body.items.map((r: { id: string }) => r.id)).toEqual([dup]);
    expect(theirs.body.items[0].caseId).toBe(ours.body.items[0].caseId);
    // the city sees both entries of the case
    const city = await demo.http.get('/api/v1/records/problems').set(fresh(await other('410100-review'), Number(res.headers['x-log-position']))).expect(200);
    expect(city.body.items.map((r: { id: string }) => r.id).sort()).toEqual([a, dup].sort());
  });
});
