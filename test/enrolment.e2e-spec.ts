import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { SettableClock } from '../src/shared/time/clock.js';
import { useDemoApp } from './fixtures/demo-app.js';
import { api, enrolmentHelpers } from './fixtures/enrolment.js';

/**
 * Classes and the child's year (issue 14, domain.md sections 6 and 8), walked through the HTTP
 * API as the kindergarten's business account (1141010001 of 中原区), its review account and the
 * county's review account (410102-review) would.
 */
describe('enrolment: classes, promotion, graduation, leaves, restoration (HTTP)', () => {
  // a date whose 30-working-day deadlines lie in a year of known holidays
  const demo = useDemoApp({ clock: new SettableClock('2026-11-20T02:00:00.000Z') });
  const h = enrolmentHelpers(demo);

  it('the promotion walk: top-down, 留园 and 留班 children stay, a refused promotion changes nothing', async () => {
    const big = await h.classWith('大一班', '大班', 3);
    const middle = await h.classWith('中一班', '中班', 3);
    const small = await h.classWith('小一班', '小班', 3);
    await h.mark(big.id, big.children[0]!, '留园');
    await h.mark(big.id, big.children[1]!, '留园');
    await h.mark(small.id, small.children[0]!, '留班');

    // 中一班 still holds children who are not kept back: refused, naming the class and what to do
    const refused = await demo.http.post(`${api}/classes/${small.id}/promote`).set(await h.business()).send({ targetClassId: middle.id });
    h.expectProblem(refused, 422, 'promotion-target-occupied');
    expect(refused.body.message).toContain('中一班还有 3 名幼儿未标记留班/留园');
    expect(refused.body.message).toContain('请先将中一班升级');
    expect(await h.memberIds(small.id)).toEqual([...small.children].sort());

    const graduated = await demo.http.post(`${api}/classes/${big.id}/graduate`).set(await h.business()).send({ leaveDate: '2027-07-05' }).expect(200);
    expect(graduated.body).toMatchObject({ graduated: 1, stayed: 2 });
    const afterGraduation = await h.roster(big.id);
    expect(afterGraduation.children.map((c: { recordId: string; mark: string }) => [c.recordId, c.mark]).sort()).toEqual([[big.children[0], '留园'], [big.children[1], '留园']].sort());
    expect((await h.record(big.children[2]!)).status).toBe('left');

    const intoBig = await demo.http.post(`${api}/classes/${middle.id}/promote`).set(await h.business()).send({ targetClassId: big.id }).expect(200);
    expect(intoBig.body).toMatchObject({ promoted: 3, stayed: 0 });
    const intoMiddle = await demo.http.post(`${api}/classes/${small.id}/promote`).set(await h.business()).send({ targetClassId: middle.id }).expect(200);
    expect(intoMiddle.body).toMatchObject({ promoted: 2, stayed: 1 });

    expect(await h.memberIds(big.id)).toEqual([big.children[0], big.children[1], ...middle.children].sort());
    expect(await h.memberIds(middle.id)).toEqual([small.children[1], small.children[2]].sort());
    const keptBack = await h.roster(small.id);
    expect(keptBack.children.map((c: { recordId: string }) => c.recordId)).toEqual([small.children[0]]);
    // the marks were used up by the promotions they were made for: none carries into next year
    expect([...keptBack.children, ...(await h.roster(big.id)).children].every((c: { mark: string | null }) => c.mark === null)).toBe(true);
    const list = (await demo.http.get(`${api}/classes`).set(await h.fresh()).expect(200)).body.items as Array<{ id: string; headCount: number; boys: number; girls: number }>;
    const bigRow = list.find((c) => c.id === big.id)!;
    expect(bigRow.headCount).toBe(5);
    expect(bigRow.boys + bigRow.girls).toBe(5);
  });

  it('the demo kindergarten 1141010004 has a class of every grade with children in each', async () => {
    const classes = (await demo.http.get(`${api}/classes`).set(await demo.as('1141010004-business')).expect(200)).body.items as Array<{ name: string; grade: string; headCount: number }>;
    expect(classes.map((c) => [c.grade, c.name, c.headCount])).toEqual([['托班', '托一班', 6], ['小班', '小一班', 6], ['中班', '中一班', 6], ['大班', '大一班', 6], ['混龄班', '混龄一班', 6]]);
  });

  it('whole-class graduation: a 小班 is refused, a 混龄班 graduates', async () => {
    const small = await h.classWith('小二班', '小班', 1);
    const refused = await demo.http.post(`${api}/classes/${small.id}/graduate`).set(await h.business()).send({ leaveDate: '2027-07-05' });
    h.expectProblem(refused, 422, 'graduation-grade');
    expect(await h.memberIds(small.id)).toEqual(small.children);
    expect((await h.record(small.children[0]!)).status).toBe('numbered');

    const mixed = await h.classWith('混龄一班', '混龄班', 2);
    await demo.http.post(`${api}/classes/${mixed.id}/graduate`).set(await h.business()).send({ leaveDate: '2027-07-05' }).expect(200);
    expect(await h.memberIds(mixed.id)).toEqual([]);
    for (const id of mixed.children) expect((await h.record(id)).status).toBe('left');
    const history = (await demo.http.get(`${api}/leaves?limit=200`).set(await h.fresh()).expect(200)).body.items as Array<{ recordId: string; leaves: Array<{ leaveType: string; classId: string }> }>;
    for (const id of mixed.children) expect(history.find((r) => r.recordId === id)?.leaves).toEqual([expect.objectContaining({ leaveType: 'graduated', leaveDate: '2027-07-05', classId: mixed.id })]);
  });

  it('concurrent class assignments of one child: exactly one class holds it, the other is told why', async () => {
    const a = await h.createClass('中二班', '中班');
    const b = await h.createClass('中三班', '中班');
    const [child] = await h.numbered(1);
    const auth = await h.business();
    const answers = await Promise.all([a, b].map((id) => demo.http.post(`${api}/classes/${id}/children`).set(auth).send({ recordIds: [child] }).expect(200)));
    const outcomes = answers.map((r) => r.body.results[0]).sort((x, y) => x.outcome.localeCompare(y.outcome));
    expect(outcomes.map((o) => o.outcome)).toEqual(['placed', 'refused']);
    expect(outcomes[1]).toMatchObject({ code: 'child-already-in-class' });
    const holders = [(await h.memberIds(a)).length, (await h.memberIds(b)).length];
    expect(holders.sort()).toEqual([0, 1]);

    // a class change moves it: still exactly one class
    const other = holders[0] === 1 ? b : a;
    await demo.http.post(`${api}/classes/${holders[0] === 1 ? a : b}/class-change`).set(auth).send({ recordIds: [child] }).expect(200);
    await demo.http.post(`${api}/classes/${other}/class-change`).set(auth).send({ recordIds: [child] }).expect(200);
    expect(await h.memberIds(other)).toEqual([child]);
    expect((await h.memberIds(a)).length + (await h.memberIds(b)).length).toBe(1);
    // the record search of every level filters by class
    const byClass = (await demo.http.get(`${api}/records?classId=${other}`).set(await h.fresh()).expect(200)).body.items as Array<{ id: string; classId: string }>;
    expect(byClass.map((r) => [r.id, r.classId])).toEqual([[child, other]]);
    const countyView = (await demo.http.get(`${api}/records?classId=${other}`).set(await h.fresh('410102-review')).expect(200)).body.items as Array<{ id: string }>;
    expect(countyView.map((r) => r.id)).toEqual([child]);
  });

  it('classes: rename, teachers, a class with a child cannot be deleted (the refusal counts them), an empty one can; only the business account', async () => {
    const cls = await h.classWith('托一班', '托班', 2);
    await demo.http.patch(`${api}/classes/${cls.id}`).set(await h.business()).send({ name: '托二班', teachers: ['刘老师', '陈老师'] }).expect(200);
    // null is not a name (it reached the decider as a 500 before)
    h.expectProblem(await demo.http.patch(`${api}/classes/${cls.id}`).set(await h.business()).send({ name: null }), 400, 'validation-failed');
    h.expectProblem(await demo.http.patch(`${api}/classes/${cls.id}`).set(await h.business()).send({ teachers: null }), 400, 'validation-failed');
    expect(await h.roster(cls.id)).toMatchObject({ name: '托二班', teachers: ['刘老师', '陈老师'], grade: '托班', schoolYear: '2026-2027', headCount: 2 });
    const refused = await demo.http.delete(`${api}/classes/${cls.id}`).set(await h.business());
    h.expectProblem(refused, 422, 'class-not-empty');
    expect(refused.body.message).toContain('还有 2 名幼儿');
    h.expectProblem(await demo.http.post(`${api}/classes`).set(await demo.as('1141010001-review')).send({ name: '托三班', grade: '托班', schoolYear: '2026-2027', teachers: [] }), 403, 'business-account-only');
    h.expectProblem(await demo.http.post(`${api}/classes`).set(await h.business()).send({ name: '托三班', grade: '大大班', schoolYear: '2026', teachers: [] }), 400, 'validation-failed');
    // another kindergarten's class looks absent
    h.expectProblem(await demo.http.delete(`${api}/classes/${cls.id}`).set(await demo.as('1141010002-business')), 404, 'class-not-found');
    const empty = await h.createClass('托四班', '托班');
    await demo.http.delete(`${api}/classes/${empty}`).set(await h.business()).expect(200);
    h.expectProblem(await demo.http.get(`${api}/classes/${empty}`).set(await h.fresh()), 404, 'class-not-found');
    // an unapproved child cannot be placed
    const saved = (await demo.http.post(`${api}/records`).set(await h.business()).send((await import('./fixtures/children.js')).child('赵小未', '2022-01-01', 991)).expect(201)).body.id;
    const placed = await demo.http.post(`${api}/classes/${cls.id}/children`).set(await h.business()).send({ recordIds: [saved] }).expect(200);
    expect(placed.body.results[0]).toMatchObject({ outcome: 'refused', code: 'record-not-in-kindergarten' });
  });

  it('leaves: a normal leave leaves the class and shows in the history and the search; accident leave needs proof and the 30-working-day deadline', async () => {
    const cls = await h.classWith('大二班', '大班', 3);
    const [leaver, accident, late] = cls.children as [string, string, string];
    const left = await demo.http.post(`${api}/leaves/${leaver}`).set(await h.business()).send({ leaveType: 'transfer-out', leaveDate: '2026-11-20', reason: '随父母迁往外省' }).expect(200);
    expect(left.body.status).toBe('left');
    expect(await h.memberIds(cls.id)).toEqual([accident, late].sort());
    const number = (await h.record(leaver)).recordNumber;
    expect(number).toMatch(/^G/);
    const search = (await demo.http.get(`${api}/records?presence=left&limit=200`).set(await h.fresh()).expect(200)).body.items as Array<{ id: string; recordNumber: string }>;
    expect(search.find((r) => r.id === leaver)?.recordNumber).toBe(number);
    const inKg = (await demo.http.get(`${api}/records?presence=in&limit=200`).set(await h.fresh()).expect(200)).body.items as Array<{ id: string }>;
    expect(inKg.some((r) => r.id === leaver)).toBe(false);
    // leaving twice is refused with the state it is in
    h.expectProblem(await demo.http.post(`${api}/leaves/${leaver}`).set(await h.business()).send({ leaveType: 'other', leaveDate: '2026-11-21', reason: '重复办理' }), 422, 'record-status');

    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const noProof = await demo.http.post(`${api}/leaves/${accident}/accident`).set(await h.business()).field('accidentDate', '2026-11-18').field('reason', '意外身故');
    h.expectProblem(noProof, 400, 'files-required');
    const overdue = await demo.http.post(`${api}/leaves/${late}/accident`).set(await h.business()).field('accidentDate', '2026-08-03').field('reason', '意外身故').attach('files', pdf, 'proof.pdf');
    h.expectProblem(overdue, 422, 'accident-leave-overdue');
    expect(overdue.body.message).toContain('30 个工作日');
    expect((await h.record(late)).status).toBe('numbered');
    const cancelled = await demo.http.post(`${api}/leaves/${accident}/accident`).set(await h.business()).field('accidentDate', '2026-11-18').field('reason', '意外身故').attach('files', pdf, 'proof.pdf').expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await h.memberIds(cls.id)).toEqual([late]);
    const history = (await demo.http.get(`${api}/leaves?limit=200`).set(await h.fresh()).expect(200)).body.items as Array<{ recordId: string; idNumber: string; leaves: Array<{ leaveType: string }> }>;
    expect(history.find((r) => r.recordId === leaver)?.leaves.map((l) => l.leaveType)).toEqual(['transfer-out']);
    expect(history.find((r) => r.recordId === accident)?.leaves.map((l) => l.leaveType)).toEqual(['accident']);
    // the county sees the history with masked ID numbers
    const county = (await demo.http.get(`${api}/leaves?limit=200`).set(await h.fresh('410102-admin')).expect(200)).body.items as Array<{ recordId: string; idNumber: string }>;
    expect(county.find((r) => r.recordId === leaver)?.idNumber).toMatch(/\*{8}/);
  });

  it('class-assignment template import: good rows are placed, each bad row is named with its column, value and reason', async () => {
    const cls = await h.createClass('小九班', '小班');
    const [byNumber, byIdNumber, elsewhere] = await h.numbered(3);
    const other = await h.createClass('小十班', '小班');
    await h.assign(other, [elsewhere!]);
    const numberOf = async (id: string) => (await h.record(id)).recordNumber as string;
    const idOf = async (id: string) => { const r = await h.record(id); return String(r.idNumber ?? r.child?.idNumber); };
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('分班');
    sheet.addRow(['学籍号或身份证件号', '班级名称']);
    sheet.addRow([await numberOf(byNumber!), '小九班']);
    sheet.addRow([` ${(await idOf(byIdNumber!)).toLowerCase()} `, ' 小九班']);
    sheet.addRow([await numberOf(elsewhere!), '小九班']);
    sheet.addRow(['G410102200001010000', '小九班']);
    sheet.addRow([await numberOf(byNumber!), '中九班']);
    sheet.addRow([await numberOf(byIdNumber!), '小十班']); // the same child again, for another class
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const res = await demo.http.post(`${api}/classes/assignment-imports`).set(await h.business()).set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(file).expect(200);
    expect(res.body).toMatchObject({ rows: 6, placed: 2, failed: 4 });
    expect(res.body.issues.map((i: { row: number; column: string; code: string }) => [i.row, i.column, i.code])).toEqual([[4, 'A', 'child-already-in-class'], [5, 'A', 'record-unknown'], [6, 'B', 'class-unknown'], [7, 'A', 'child-twice']]);
    expect(res.body.issues[3].reason).toContain('第 3 行已分到小九班');
    expect(await h.memberIds(other)).toEqual([elsewhere]);
    expect(res.body.issues.every((i: { reason: string }) => /[\u4e00-\u9fff]/.test(i.reason))).toBe(true);
    expect(await h.memberIds(cls)).toEqual([byNumber, byIdNumber].sort());
    const wrong = new ExcelJS.Workbook();
    wrong.addWorksheet('x').addRow(['姓名', '年级']);
    h.expectProblem(await demo.http.post(`${api}/classes/assignment-imports`).set(await h.business()).set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(Buffer.from(await wrong.xlsx.writeBuffer())), 400, 'validation-failed');
  });

  it('restore after a wrong graduation: a rejected application changes nothing; the approved one puts the child back in its class with its number, by new events', async () => {
    const cls = await h.classWith('大三班', '大班', 2);
    const [wrong, right] = cls.children as [string, string];
    const before = await h.record(wrong);
    await demo.http.post(`${api}/classes/${cls.id}/graduate`).set(await h.business()).send({ leaveDate: '2027-07-05' }).expect(200);
    expect(await h.memberIds(cls.id)).toEqual([]);

    // a child that did not leave cannot be applied for; the category must match the leave
    h.expectProblem(await demo.http.post(`${api}/restorations`).set(await h.business()).send({ category: 'transfer-out', recordIds: [wrong], reason: '误操作' }), 422, 'restoration-children');

    const first = (await demo.http.post(`${api}/restorations`).set(await h.business()).send({ category: 'graduated', recordIds: [wrong], reason: '误将未满龄幼儿随班毕业' }).expect(201)).body.id;
    const queue = (await demo.http.get(`${api}/restorations?status=pending`).set(await h.fresh('410102-review')).expect(200)).body.items as Array<{ id: string; waitingHours: number }>;
    expect(queue.find((r) => r.id === first)).toMatchObject({ waitingHours: 0 });
    h.expectProblem(await demo.http.post(`${api}/restorations/${first}/approve`).set(await demo.as('1141010001-review')), 403, 'county-review-only');
    h.expectProblem(await demo.http.post(`${api}/restorations/${first}/reject`).set(await demo.as('410102-review')).send({}), 400, 'validation-failed');
    const historyOf = async () => (await demo.http.get(`${api}/records/${wrong}/history`).set(await h.fresh()).expect(200)).body;
    const typesOf = (history: any): string[] => (history.events ?? history.items ?? history).map((e: { type: string }) => e.type);
    const beforeReject = typesOf(await historyOf());
    await demo.http.post(`${api}/restorations/${first}/reject`).set(await demo.as('410102-review')).send({ reason: '幼儿已实际离园' }).expect(200);
    // a rejected application changes nothing of the child: still left, not in the class, no new record event
    expect((await h.record(wrong)).status).toBe('left');
    expect(await h.memberIds(cls.id)).toEqual([]);
    expect(typesOf(await historyOf())).toEqual(beforeReject);
    h.expectProblem(await demo.http.post(`${api}/restorations/${first}/approve`).set(await demo.as('410102-review')), 409, 'restoration-decided');

    const second = (await demo.http.post(`${api}/restorations`).set(await h.business()).send({ category: 'graduated', recordIds: [wrong], reason: '误将未满龄幼儿随班毕业，附家长说明' }).expect(201)).body.id;
    await demo.http.post(`${api}/restorations/${second}/approve`).set(await demo.as('410102-review')).expect(200);
    const after = await h.record(wrong);
    expect(after).toMatchObject({ status: 'numbered', recordNumber: before.recordNumber });
    expect(await h.memberIds(cls.id)).toEqual([wrong]);
    expect((await h.record(right)).status).toBe('left');
    const history = (await demo.http.get(`${api}/records/${wrong}/history`).set(await h.fresh()).expect(200)).body;
    const types = (history.events ?? history.items ?? history).map((e: { type: string }) => e.type);
    expect(types.slice(-2)).toEqual(['RecordLeft', 'RecordRestored']);
    // every step: the graduation leave, then the return naming the approved application
    const [leaveEntry, returnEntry] = (history.items as Array<{ data: Record<string, unknown> }>).slice(-2);
    expect(leaveEntry!.data).toMatchObject({ leaveType: 'graduated', leaveDate: '2027-07-05' });
    expect(returnEntry!.data).toMatchObject({ applicationId: second });
    expect(types.filter((t: string) => t === 'RecordNumberIssued')).toHaveLength(1);
    const decided = (await demo.http.get(`${api}/restorations`).set(await h.fresh('410102-review')).expect(200)).body.items as Array<{ id: string; status: string; decisionReason: string | null }>;
    expect(decided.find((r) => r.id === first)).toMatchObject({ status: 'rejected', decisionReason: '幼儿已实际离园' });
    expect(decided.find((r) => r.id === second)).toMatchObject({ status: 'approved' });
  });
  it('promotion follows its business switch: switched off by the province, refused with the business named; on again, it works', async () => {
    const small = await h.classWith('小七班', '小班', 1);
    const middle = await h.createClass('中七班', '中班');
    const admin = await demo.as('admin');
    await demo.http.post(`${api}/settings/businesses/promotion/switch`).set(admin).send({ enabled: false, reason: '升级工作尚未开始' }).expect(200);
    const closed = await demo.http.post(`${api}/classes/${small.id}/promote`).set(await h.business()).send({ targetClassId: middle });
    expect(closed.status).toBe(403);
    expect(closed.body.business).toBe('promotion');
    expect(String(closed.body.message)).toMatch(/[\u4e00-\u9fff]/);
    expect(await h.memberIds(small.id)).toEqual(small.children);
    await demo.http.post(`${api}/settings/businesses/promotion/switch`).set(admin).send({ enabled: true, reason: '八月升级' }).expect(200);
    await demo.http.post(`${api}/classes/${small.id}/promote`).set(await h.business()).send({ targetClassId: middle }).expect(200);
    expect(await h.memberIds(middle)).toEqual(small.children);
  });

  it('every refusal is a problem with a stable code and a Chinese message saying what to do; a refused command stores nothing', async () => {
    const big = await h.classWith('大八班', '大班', 1);
    const middle = await h.classWith('中八班', '中班', 1);
    const small = await h.classWith('小八班', '小班', 1);
    const store = demo.app.get<EventStore>(EVENT_STORE);
    const business = await h.business();
    const post = (path: string, body: object, auth = business) => demo.http.post(`${api}${path}`).set(auth).send(body);
    const refusals: Array<[string, () => Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }>, number, string]> = [
      ['promote into a class with children not kept back', () => post(`/classes/${small.id}/promote`, { targetClassId: middle.id }), 422, 'promotion-target-occupied'],
      ['promote a 大班', () => post(`/classes/${big.id}/promote`, { targetClassId: middle.id }), 422, 'promotion-grade'],
      ['promote a 小班 into a 大班', () => post(`/classes/${small.id}/promote`, { targetClassId: big.id }), 422, 'promotion-target-grade'],
      ['promote a class into itself', () => post(`/classes/${small.id}/promote`, { targetClassId: small.id }), 422, 'promotion-same-class'],
      ['graduate a 小班 as a whole', () => post(`/classes/${small.id}/graduate`, { leaveDate: '2027-07-05' }), 422, 'graduation-grade'],
      ['graduate without a valid date', () => post(`/classes/${big.id}/graduate`, { leaveDate: '2027-7-5' }), 400, 'validation-failed'],
      ['mark 留园 in a 小班', async () => demo.http.put(`${api}/classes/${small.id}/children/${small.children[0]}/mark`).set(business).send({ mark: '留园' }), 422, 'mark-stay-not-graduating'],
      ['mark a child of another class', async () => demo.http.put(`${api}/classes/${big.id}/children/${middle.children[0]}/mark`).set(business).send({ mark: '留园' }), 404, 'child-not-in-class'],
      ['delete a class with a child', async () => demo.http.delete(`${api}/classes/${big.id}`).set(business), 422, 'class-not-empty'],
      ['graduate with the review account', async () => post(`/classes/${big.id}/graduate`, { leaveDate: '2027-07-05' }, await demo.as('1141010001-review')), 403, 'business-account-only'],
      ['promote another kindergarten\'s class', async () => post(`/classes/${small.id}/promote`, { targetClassId: middle.id }, await demo.as('1141010002-business')), 404, 'class-not-found'],
      ['approve an application that does not exist', async () => post(`/restorations/${small.id}/approve`, {}, await demo.as('410102-review')), 404, 'restoration-not-found'],
    ];
    for (const [what, send, status, code] of refusals) {
      const before = await store.headPosition();
      const res = await send();
      h.expectProblem(res, status, code);
      expect([what, String(res.body['message'])]).toEqual([what, expect.stringMatching(/请/)]);
      // nothing stored under the refused request (its correlation id), by it or by a reaction to it
      const after = await store.readAll({ after: before, maxCount: 10_000 });
      expect([what, after.filter((e) => e.metadata.correlationId === res.body['correlationId'])]).toEqual([what, []]);
    }
    // the check sees what a command stores: the same mark, allowed, is found under its correlation id
    const before = await store.headPosition();
    await demo.http.put(`${api}/classes/${big.id}/children/${big.children[0]}/mark`).set(business).set('X-Correlation-Id', 'allowed-mark').send({ mark: '留园' }).expect(200);
    expect((await store.readAll({ after: before, maxCount: 10_000 })).filter((e) => e.metadata.correlationId === 'allowed-mark').map((e) => e.type)).toEqual(['ChildMarked']);
    await demo.http.put(`${api}/classes/${big.id}/children/${big.children[0]}/mark`).set(business).send({ mark: null }).expect(200);
    expect(await h.memberIds(big.id)).toEqual(big.children);
    expect(await h.memberIds(middle.id)).toEqual(middle.children);
    expect(await h.memberIds(small.id)).toEqual(small.children);
    expect([...(await h.roster(big.id)).children, ...(await h.roster(small.id)).children].every((c: { mark: string | null }) => c.mark === null)).toBe(true);
  });
});
