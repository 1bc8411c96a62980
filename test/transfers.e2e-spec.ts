import { describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { ChildrenExport, RecordRegister } from '../src/records/contracts/index.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { ProjectionManager } from '../src/shared/projections/projection-manager.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { child, residentId } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';
import { api } from './fixtures/enrolment.js';
import { transferHelpers } from './fixtures/transfers.js';

/**
 * Transfers between kindergartens (幼儿调转, issue 15, domain.md section 7), walked through the
 * HTTP API by the registrars of 中原区 (郑州, 1141010001), 龙亭区 (开封, another prefecture,
 * 1141020001) and 二七区 (郑州, another county, 1141010004), their reviewers and counties.
 */
describe('transfers between kindergartens (HTTP)', () => {
  const clock = new SettableClock('2026-09-07T02:00:00.000Z');
  const demo = useDemoApp({ clock });
  const t = transferHelpers(demo);
  const ZY = '1141010001';
  const LT = '1141020001';
  const EQ = '1141010004';

  it('receiving first, across prefectures: search, apply, agree, complete; the record moves with its number and history', async () => {
    const cls = await t.zy.classWith('中五班', '中班', 1);
    const recordId = cls.children[0]!;
    const recordNumber = await t.numberOf(recordId);

    // the search answers only what the applicant needs, the ID number masked
    const found = (await demo.http.post(`${api}/transfers/lookup`).set(await demo.as(`${LT}-business`)).send({ recordNumber }).expect(200)).body;
    expect(Object.keys(found).sort()).toEqual(['idNumber', 'institutionCode', 'institutionName', 'leaveType', 'name', 'recordId', 'status']);
    expect(found).toMatchObject({ recordId, institutionCode: ZY, institutionName: '郑州市中原区第一幼儿园', status: 'numbered' });
    expect(found.idNumber).toMatch(/^\d{6}\*{12}$/);
    // before completion the receiving kindergarten does not see the record
    await demo.http.get(`${api}/records/${recordId}`).set(await demo.as(`${LT}-business`)).expect(404);

    const applied = (await t.apply(LT, recordNumber, 201)).body;
    expect(applied.status).toBe('applied');
    const id = applied.id as string;
    expect(await t.ids(`${ZY}-business`, '/waiting-for-me')).toContain(id);
    expect(await t.ids(`${LT}-business`, '/waiting-for-them')).toContain(id);
    expect(await t.ids(`${LT}-business`, '/waiting-for-me')).not.toContain(id);
    // the sending kindergarten holds the child and sees its numbers: a read on record; the receiving one's masked lookup and list are not (ADR 22)
    const reads = ((await demo.http.get(`${api}/personal-data-reads/records/${recordId}`).set(await t.zy.fresh('410102-admin')).expect(200)).body.items as Array<{ route: string; username: string }>).map((r) => `${r.username} ${r.route}`);
    expect(reads).toContain(`${ZY}-business GET /api/v1/transfers/waiting-for-me`);
    expect(reads.filter((r) => r.startsWith(LT))).toEqual([]);
    // the receiving kindergarten cannot complete before the agreement, nor agree for the sender
    t.expectProblem(await t.act(LT, id, 'complete'), 422, 'transfer-not-agreed');
    t.expectProblem(await t.act(LT, id, 'agree'), 404, 'transfer-not-found');

    expect((await t.act(ZY, id, 'agree', {}, 200)).body.status).toBe('ready');
    expect(await t.ids(`${LT}-business`, '/waiting-for-me')).toContain(id);
    expect(await t.ids(`${ZY}-business`, '/waiting-for-them')).toContain(id);

    expect((await t.act(LT, id, 'complete', {}, 200)).body.status).toBe('completed');
    const moved = (await demo.http.get(`${api}/records/${recordId}`).set(await demo.as(`${LT}-business`)).expect(200)).body;
    expect(moved).toMatchObject({ institutionCode: LT, divisionCode: '410202', recordNumber, status: 'numbered' });
    await demo.http.get(`${api}/records/${recordId}`).set(await demo.as(`${ZY}-business`)).expect(404);
    // the whole history came along: entry at 中原区, then each step of the transfer with its actor
    const history = await t.history(`${LT}-business`, recordId);
    expect(history[0]!.type).toBe('RecordSaved');
    expect(history.map((h) => h.type).slice(-3)).toEqual(['RecordTransferApplied', 'RecordTransferAgreed', 'RecordTransferred']);
    expect(history.find((h) => h.type === 'RecordTransferAgreed')!.actor.username).toBe(`${ZY}-business`);
    const timeline = (await demo.http.get(`${api}/transfers/${id}/timeline`).set(await demo.as('410202-review')).expect(200)).body.items as Array<{ type: string; actor: { username: string } }>;
    expect(timeline.map((e) => [e.type, e.actor.username])).toEqual([['TransferApplied', `${LT}-business`], ['TransferAgreed', `${ZY}-business`], ['TransferCompleted', `${LT}-business`]]);

    // the sending kindergarten: out of its class and its children, still in its leave history
    expect(await t.zy.memberIds(cls.id)).toEqual([]);
    const inZy = (await demo.http.get(`${api}/records?presence=in&limit=500`).set(await t.zy.fresh()).expect(200)).body.items as Array<{ id: string }>;
    expect(inZy.map((r) => r.id)).not.toContain(recordId);
    const leaves = (await demo.http.get(`${api}/leaves`).set(await t.zy.fresh()).expect(200)).body.items as Array<{ recordId: string; status: string; leaves: Array<{ leaveType: string }> }>;
    expect(leaves.find((l) => l.recordId === recordId)).toMatchObject({ status: 'transferred-out', leaves: [expect.objectContaining({ leaveType: 'transfer-out' })] });
    // the receiving kindergarten lists it, not as left, and assigns it to a class
    const ltLeaves = (await demo.http.get(`${api}/leaves`).set(await t.lt.fresh(`${LT}-business`)).expect(200)).body.items as Array<{ recordId: string }>;
    expect(ltLeaves.map((l) => l.recordId)).not.toContain(recordId);
    const ltClass = await t.lt.createClass('中一班', '中班');
    // at once: the completion gave the class place at 中原区 up
    expect((await demo.http.post(`${api}/classes/${ltClass}/children`).set(await t.lt.business()).send({ recordIds: [recordId] }).expect(200)).body.placed).toBe(1);
    expect(await t.lt.memberIds(ltClass)).toEqual([recordId]);
    // each county sees what moved in and out
    expect(await t.ids('410202-review', '/incoming?status=completed')).toContain(id);
    expect(await t.ids('410102-review', '/outgoing?status=completed')).toContain(id);
    expect(await t.ids('410102-review', '/incoming')).not.toContain(id);
    const countyLeaves = (await demo.http.get(`${api}/leaves`).set(await t.zy.fresh('410102-review')).expect(200)).body.items as Array<{ recordId: string; status: string; idNumber: string }>;
    expect(countyLeaves.find((l) => l.recordId === recordId)).toMatchObject({ status: 'transferred-out' });
  });

  it('sending first, across counties: a transfer-out leave, then the application completes without another agreement', async () => {
    const [recordId] = await t.zy.numbered(1);
    await demo.http.post(`${api}/leaves/${recordId}`).set(await t.zy.business()).send({ leaveType: 'transfer-out', leaveDate: '2026-09-04', reason: '随父母迁居二七区' }).expect(200);
    const applied = (await t.apply(EQ, await t.numberOf(recordId!), 201)).body;
    expect(applied.status).toBe('ready');
    expect(await t.ids(`${EQ}-business`, '/waiting-for-me')).toContain(applied.id);
    expect(await t.ids(`${ZY}-business`, '/waiting-for-me')).not.toContain(applied.id);
    t.expectProblem(await t.act(ZY, applied.id, 'refuse', { reason: '不同意' }), 422, 'transfer-already-agreed');
    expect((await t.act(EQ, applied.id, 'complete', {}, 200)).body.status).toBe('completed');
    expect((await demo.http.get(`${api}/records/${recordId}`).set(await demo.as(`${EQ}-business`)).expect(200)).body).toMatchObject({ institutionCode: EQ, divisionCode: '410103', status: 'numbered' });
    const leaves = (await demo.http.get(`${api}/leaves`).set(await t.zy.fresh()).expect(200)).body.items as Array<{ recordId: string; leaves: unknown[] }>;
    expect(leaves.filter((l) => l.recordId === recordId)).toHaveLength(1);
    expect(await t.ids('410103-review', '/incoming?status=completed')).toContain(applied.id);
  });

  it('a record that only passed de-duplication arrives for review: the receiving reviewer approves before class assignment', async () => {
    const [recordId] = await t.zy.numbered(1);
    const before = await t.zy.record(recordId!);
    // a key-information change sends the numbered record through de-duplication and review again (number kept)
    const changed = await demo.http.post(`${api}/records/${recordId}/key-information`).set(await demo.as(`${ZY}-review`))
      .send({ name: '李更正', gender: before.child.gender, birthDate: before.child.birthDate, idType: '1', idNumber: before.child.idNumber, reason: '户口簿姓名更正' }).expect(200);
    expect(changed.body.status).toBe('dedupe-passed');
    const id = (await t.apply(LT, before.recordNumber, 201)).body.id;
    await t.act(ZY, id, 'agree', {}, 200);
    await t.act(LT, id, 'complete', {}, 200);
    expect((await demo.http.get(`${api}/records/${recordId}`).set(await demo.as(`${LT}-review`)).expect(200)).body).toMatchObject({ institutionCode: LT, status: 'dedupe-passed', recordNumber: before.recordNumber });
    // it waits in the receiving kindergarten's review queue
    const queue = (await demo.http.get(`${api}/records/review-queue?limit=500`).set(await t.lt.fresh(`${LT}-review`)).expect(200)).body.items as Array<{ id: string }>;
    expect(queue.map((r) => r.id)).toContain(recordId);
    const cls = await t.lt.createClass('小五班', '小班');
    const refused = (await demo.http.post(`${api}/classes/${cls}/children`).set(await t.lt.business()).send({ recordIds: [recordId] }).expect(200)).body;
    expect(refused.results[0]).toMatchObject({ outcome: 'refused', code: 'record-not-in-kindergarten' });
    expect((await demo.http.post(`${api}/records/${recordId}/approve`).set(await demo.as(`${LT}-review`)).expect(200)).body.status).toBe('numbered');
    expect((await demo.http.get(`${api}/records/${recordId}`).set(await demo.as(`${LT}-review`)).expect(200)).body.recordNumber).toBe(before.recordNumber);
    expect((await demo.http.post(`${api}/classes/${cls}/children`).set(await t.lt.business()).send({ recordIds: [recordId] }).expect(200)).body.placed).toBe(1);
  });

  it('a child without an ID number takes its de-duplication key along: free at the sending kindergarten, held at the receiving one', async () => {
    const noId = (name: string) => ({ ...child(name, '2021-06-01', 2), idType: 'Z', idNumber: null });
    const submit = async (kg: string, body: Record<string, unknown>) => {
      const id = (await demo.http.post(`${api}/records`).set(await demo.as(`${kg}-business`)).send(body).expect(201)).body.id as string;
      const answer = await demo.http.post(`${api}/records/submit`).set(await demo.as(`${kg}-business`)).send({ recordIds: [id] }).expect(200);
      return { id, outcome: answer.body.results[0].outcome as string };
    };
    const first = await submit(ZY, noId('张无证'));
    expect(first.outcome).toBe('dedupe-passed');
    const approved = await demo.http.post(`${api}/records/${first.id}/approve`).set(await demo.as(`${ZY}-review`)).expect(200);
    expect(approved.body.status).toBe('numbered');
    const number = (await t.zy.record(first.id)).recordNumber as string;
    expect(number).toMatch(/^J/);
    const id = (await t.apply(LT, number, 201)).body.id;
    await t.act(ZY, id, 'agree', {}, 200);
    await t.act(LT, id, 'complete', {}, 200);
    // the same name, gender and birth date: another child at 中原区 now; at 龙亭区 the child that arrived
    expect((await submit(ZY, noId('张无证'))).outcome).toBe('dedupe-passed');
    const again = await demo.http.post(`${api}/records`).set(await demo.as(`${LT}-business`)).send(noId('张无证'));
    t.expectProblem(again, 409, 'already-present');
    expect(again.body.recordId).toBe(first.id);
  });

  it('two kindergartens apply for the same child at once: exactly one application is open, the other names it', async () => {
    const [recordId] = await t.zy.numbered(1);
    const recordNumber = await t.numberOf(recordId!);
    const answers = await Promise.all([t.apply(LT, recordNumber), t.apply(EQ, recordNumber)]);
    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    t.expectProblem(refused[0]!, 409, 'transfer-already-open');
    expect(refused[0]!.body.openTransferId).toBe(accepted[0]!.body.id);
    expect(refused[0]!.body.message).toContain(accepted[0]!.body.id);
    const open = (await t.list(`${ZY}-business`, '/waiting-for-me?limit=500')).filter((x) => x['recordId'] === recordId);
    expect(open.map((x) => x.id)).toEqual([accepted[0]!.body.id]);
  });

  it('refusal with a reason and withdrawal change nothing for the child and show in the right lists', async () => {
    const cls = await t.zy.classWith('大五班', '大班', 1);
    const recordId = cls.children[0]!;
    const recordNumber = await t.numberOf(recordId);
    const first = (await t.apply(LT, recordNumber, 201)).body.id;
    t.expectProblem(await t.act(ZY, first, 'refuse', { reason: ' ' }), 400, 'validation-failed');
    expect((await t.act(ZY, first, 'refuse', { reason: '幼儿仍在本园就读，家长未申请转园' }, 200)).body.status).toBe('refused');
    expect(await t.ids(`${ZY}-business`, '/waiting-for-me')).not.toContain(first);
    expect(await t.ids(`${LT}-business`, '/waiting-for-them')).not.toContain(first);
    const refusedRow = (await t.list(`${LT}-business`, '/incoming?status=refused')).find((x) => x.id === first)!;
    expect(refusedRow).toMatchObject({ status: 'refused', reason: '幼儿仍在本园就读，家长未申请转园', open: false });
    expect((await t.history(`${ZY}-business`, recordId)).find((h) => h.type === 'RecordTransferRefused')).toMatchObject({ reason: '幼儿仍在本园就读，家长未申请转园', actor: expect.objectContaining({ username: `${ZY}-business` }) });
    t.expectProblem(await t.act(LT, first, 'complete'), 409, 'transfer-closed');

    // the child is free for a new application, which the applicant withdraws
    const second = (await t.apply(LT, recordNumber, 201)).body.id;
    t.expectProblem(await t.act(ZY, second, 'withdraw'), 404, 'transfer-not-found');
    expect((await t.act(LT, second, 'withdraw', { reason: '家长决定不转园' }, 200)).body.status).toBe('withdrawn');
    expect(await t.ids(`${ZY}-business`, '/waiting-for-me')).not.toContain(second);
    expect((await t.list(`${LT}-business`, '/incoming?status=withdrawn')).map((x) => x.id)).toContain(second);
    expect((await t.list(`${ZY}-business`, '/outgoing?status=withdrawn')).map((x) => x.id)).toContain(second);
    const record = await t.zy.record(recordId);
    expect(record).toMatchObject({ institutionCode: ZY, status: 'numbered', recordNumber });
    expect(await t.zy.memberIds(cls.id)).toEqual([recordId]);
  });

  it('bad input gets a clear problem and changes nothing: unknown number, another province, a problem record, its own child, the switch off', async () => {
    t.expectProblem(await t.apply(LT, 'G410102201901010000'), 404, 'transfer-record-not-found');
    // a record number of another province is not in this province's system
    const beijing = `G${residentId('2021-05-01', 31, '110105')}`;
    const otherProvince = await t.apply(LT, beijing);
    t.expectProblem(otherProvince, 404, 'transfer-record-not-found');
    expect(otherProvince.body.message).toContain('外省');
    t.expectProblem(await demo.http.post(`${api}/transfers/lookup`).set(await demo.as(`${LT}-business`)).send({ recordNumber: beijing }), 404, 'transfer-record-not-found');

    // a numbered child entered again by another kindergarten: both are problem records
    const [recordId] = await t.zy.numbered(1);
    const numbered = await t.zy.record(recordId!);
    const again = (await demo.http.post(`${api}/records`).set(await demo.as('1141010002-business')).send({ ...child('李重复', numbered.child.birthDate, 1), idNumber: numbered.child.idNumber, gender: numbered.child.gender }).expect(201)).body.id;
    await demo.http.post(`${api}/records/submit`).set(await demo.as('1141010002-business')).send({ recordIds: [again] }).expect(200);
    await t.eventually(() => t.zy.record(recordId!), (r) => r.status === 'problem', 'a problem record');
    const refused = await t.apply(LT, numbered.recordNumber);
    t.expectProblem(refused, 422, 'transfer-problem-record');
    expect((await t.list(`${LT}-business`, '/incoming?limit=500')).filter((x) => x['recordId'] === recordId)).toEqual([]);
    expect((await t.zy.record(recordId!)).institutionCode).toBe(ZY);

    const [own] = await t.zy.numbered(1);
    t.expectProblem(await t.apply(ZY, await t.numberOf(own!)), 422, 'transfer-same-institution');
    t.expectProblem(await demo.http.post(`${api}/transfers`).set(await demo.as(`${LT}-review`)).send({ recordNumber: await t.numberOf(own!) }), 403, 'business-account-only');
    t.expectProblem(await demo.http.post(`${api}/transfers`).set(await demo.as(`${LT}-business`)).send({}), 400, 'validation-failed');

    const admin = await demo.as('admin');
    await demo.http.post(`${api}/settings/businesses/record-transfer/switch`).set(admin).send({ enabled: false, reason: '学期中暂停调转' }).expect(200);
    const closed = await t.apply(LT, await t.numberOf(own!));
    expect(closed.status).toBe(403);
    expect(closed.body.message).toContain('幼儿调转');
    await demo.http.post(`${api}/settings/businesses/record-transfer/switch`).set(admin).send({ enabled: true, reason: '恢复调转' }).expect(200);
    expect((await t.list(`${ZY}-business`, '/waiting-for-me?limit=500')).filter((x) => x['recordId'] === own)).toEqual([]);
  });

  it('a completion interrupted after the record moved is finished from the log: transfer completed, child free again', async () => {
    const [recordId] = await t.zy.numbered(1);
    const id = (await t.apply(EQ, await t.numberOf(recordId!), 201)).body.id as string;
    await t.act(ZY, id, 'agree', {}, 200);
    // what the complete request does first, then "the process stops": only the records facade's move is written
    const context = { actor: { accountId: 'test', role: 'business', organisationId: EQ }, correlationId: 'crash-test', causationId: null };
    await demo.app.get(RecordRegister).moveTo(recordId!, { institutionCode: ZY }, { institutionCode: EQ, divisionCode: '410103' }, id, context);
    const done = await t.eventually(async () => (await demo.http.get(`${api}/transfers/${id}`).set(await demo.as(`${EQ}-business`)).expect(200)).body, (v) => v.status === 'completed' && v.open === false, 'the transfers reactor completed it (and the list caught up: the status is the stream\'s)');
    expect(done).toMatchObject({ recordStatus: 'numbered', open: false });
    // the reservation was released too: the child can be applied for again (back to 中原区)
    const moved = (await demo.http.get(`${api}/records/${recordId}`).set(await demo.as(`${EQ}-business`)).expect(200)).body;
    expect(moved.institutionCode).toBe(EQ);
    const back = await t.eventually(() => t.apply(ZY, moved.recordNumber), (r) => r.status !== 409, 'reservation released');
    expect(back.status).toBe(201);
  });

  it('reports and exports follow the move: the old county has one child fewer, the new one more, the old kindergarten a transfer-out this month', async () => {
    type Figures = { children: { total: number }; leftThisMonth: { month: string; byType: Array<{ code: string; count: number }> } };
    const figures = async (username: string, unit: string) => (await demo.http.get(`${api}/reports/live?unit=${unit}`).set(await t.zy.fresh(username)).expect(200)).body.figures as Figures;
    const transferOuts = (f: Figures) => f.leftThisMonth.byType.find((b) => b.code === 'transfer-out')?.count ?? 0;
    const numbers = async (kg: string) => {
      await demo.app.get(ProjectionManager).waitFor(await demo.app.get<EventStore>(EVENT_STORE).headPosition(), 10_000, ['records']);
      const rows: string[] = [];
      for await (const row of demo.app.get(ChildrenExport).rows(kg, false)) rows.push(row[0]!);
      return rows;
    };
    const [recordId] = await t.zy.numbered(1);
    const recordNumber = await t.numberOf(recordId!);
    const [oldCounty, newCounty, oldKg] = [await figures('410102-review', 'd:410102'), await figures('410202-review', 'd:410202'), await figures('410102-review', `i:${ZY}`)];
    expect(await numbers(ZY)).toContain(recordNumber);

    const id = (await t.apply(LT, recordNumber, 201)).body.id;
    await t.act(ZY, id, 'agree', {}, 200);
    await t.act(LT, id, 'complete', {}, 200);
    expect((await figures('410102-review', 'd:410102')).children.total).toBe(oldCounty.children.total - 1);
    expect((await figures('410202-review', 'd:410202')).children.total).toBe(newCounty.children.total + 1);
    const left = await figures('410102-review', `i:${ZY}`);
    expect(left.leftThisMonth.month).toBe('2026-09');
    expect(transferOuts(left)).toBe(transferOuts(oldKg) + 1);
    expect(left.children.total).toBe(oldKg.children.total - 1);
    // the institution children export: the new kindergarten lists the child, the old one no longer does
    expect(await numbers(ZY)).not.toContain(recordNumber);
    expect(await numbers(LT)).toContain(recordNumber);
  });

  // last: it moves the suite's clock forward
  it('a transfer open past 30 working days is overdue in both counties, with the working days elapsed', async () => {
    const [recordId] = await t.zy.numbered(1);
    const id = (await t.apply(EQ, await t.numberOf(recordId!), 201)).body.id;
    const row = (await t.list(`${EQ}-business`, '/waiting-for-them')).find((x) => x.id === id)!;
    expect(row).toMatchObject({ overdue: false, workingDaysElapsed: 0, dueDate: '2026-10-23', dueDateNote: null });
    expect(await t.ids('410102-review', '/overdue')).not.toContain(id);

    clock.set('2026-11-20T02:00:00.000Z');
    // sessions end with the time that passed: each account logs in again
    const tokens = new Map<string, string>();
    const as = async (username: string) => {
      if (!tokens.has(username)) tokens.set(username, (await demo.http.post(`${api}/auth/login`).send({ username, password: DEMO_PASSWORD }).expect(200)).body.token);
      return { Authorization: `Bearer ${tokens.get(username)}` };
    };
    // read-your-writes: each list waits for the log head (the completion below) before it answers
    const head = async () => String(await demo.app.get<EventStore>(EVENT_STORE).headPosition());
    const overdueFor = async (username: string) => (await demo.http.get(`${api}/transfers/overdue`).set(await as(username)).set('X-Min-Position', await head()).expect(200)).body.items as Array<Record<string, unknown> & { id: string }>;
    const overdue = (await overdueFor('410102-review')).find((x) => x.id === id)!;
    expect(overdue).toMatchObject({ overdue: true, status: 'applied', dueDate: row['dueDate'] });
    expect(overdue['workingDaysElapsed']).toBeGreaterThan(30);
    expect((await overdueFor('410103-review')).map((x) => x.id)).toContain(id);
    expect((await overdueFor('410202-review')).map((x) => x.id)).not.toContain(id);
    const zy = await as(`${ZY}-business`);
    const mine = (await demo.http.get(`${api}/transfers/waiting-for-me`).set(zy).expect(200)).body.items as Array<{ id: string; overdue: boolean }>;
    expect(mine.find((x) => x.id === id)).toMatchObject({ overdue: true });
    // a completed transfer is never overdue
    await demo.http.post(`${api}/transfers/${id}/agree`).set(zy).expect(200);
    await demo.http.post(`${api}/transfers/${id}/complete`).set(await as(`${EQ}-business`)).expect(200);
    expect((await overdueFor('410102-review')).map((x) => x.id)).not.toContain(id);
  });
});
