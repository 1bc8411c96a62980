import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RecordRegister } from '../src/records/contracts/index.js';
import { child } from './fixtures/children.js';
import { type DemoApp, createDemoApp } from './fixtures/demo-app.js';

/**
 * The records front door as another context sees it: facts read from the record's stream,
 * right after the HTTP commands that changed it (no waiting for a projection), and the holder
 * of a record number.
 */
describe('RecordRegister (records contracts) over a record walked through HTTP', () => {
  let demo: DemoApp;
  let register: RecordRegister;
  const KG = '1141010001';

  beforeAll(async () => {
    demo = await createDemoApp();
    register = demo.app.get(RecordRegister);
  }, 120_000);
  afterAll(async () => {
    await demo.app.close();
  });

  it('answers the facts of each state, the holder of a number, and null for what never existed', async () => {
    const entered = child('李小红', '2022-05-20', 7);
    const saved = await demo.http.post('/api/v1/records').set(await demo.as(`${KG}-business`)).send(entered).expect(201);
    const id: string = saved.body.id;
    expect(await register.get(id)).toEqual({
      recordId: id, institutionCode: KG, divisionCode: '410102', status: 'saved', recordNumber: null, revision: 0, leave: null, handedOver: null,
      key: { name: entered.name, gender: entered.gender, birthDate: entered.birthDate, idType: entered.idType, idNumber: entered.idNumber },
    });

    await demo.http.post('/api/v1/records/submit').set(await demo.as(`${KG}-business`)).send({ recordIds: [id] }).expect(200);
    expect(await register.get(id)).toMatchObject({ status: 'dedupe-passed', recordNumber: null });

    const approved = await demo.http.post(`/api/v1/records/${id}/approve`).set(await demo.as(`${KG}-review`)).expect(200);
    const number: string = approved.body.recordNumber;
    expect(number).toBe(`G${entered.idNumber}`);
    const facts = await register.get(id);
    expect(facts).toMatchObject({ status: 'numbered', recordNumber: number, revision: approved.body.revision });

    // by number: found through the read model, confirmed on the stream (wait for the projection first)
    const deadline = Date.now() + 5000;
    let holder = await register.byNumber(number);
    while (!holder && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      holder = await register.byNumber(number);
    }
    expect(holder).toEqual(facts);

    expect(await register.get(randomUUID())).toBeNull();
    expect(await register.byNumber('G000000000000000000')).toBeNull();
  });

  it('a deleted record is still known, as deleted', async () => {
    const saved = await demo.http.post('/api/v1/records').set(await demo.as(`${KG}-business`)).send(child('赵小刚', '2022-07-01', 8)).expect(201);
    await demo.http.delete(`/api/v1/records/${saved.body.id}`).set(await demo.as(`${KG}-business`)).send({ reason: '重复录入' }).expect(200);
    expect(await register.get(saved.body.id)).toMatchObject({ status: 'deleted', institutionCode: KG });
  });

  it('moveTo: the record of `from` moves once per transfer with its number; another holder is refused as absent (issue 15)', async () => {
    const entered = child('李小转', '2022-05-20', 9);
    const id: string = (await demo.http.post('/api/v1/records').set(await demo.as(`${KG}-business`)).send(entered).expect(201)).body.id;
    await demo.http.post('/api/v1/records/submit').set(await demo.as(`${KG}-business`)).send({ recordIds: [id] }).expect(200);
    await demo.http.post(`/api/v1/records/${id}/approve`).set(await demo.as(`${KG}-review`)).expect(200);
    const context = { actor: { accountId: 'test', role: 'business', organisationId: '1141020001' }, correlationId: randomUUID(), causationId: null };
    const transferId = randomUUID();
    const to = { institutionCode: '1141020001', divisionCode: '410202' };
    await expect(register.moveTo(id, { institutionCode: '1141010002' }, to, transferId, context)).rejects.toMatchObject({ code: 'record-not-found' });
    const moved = await register.moveTo(id, { institutionCode: KG }, to, transferId, context);
    expect(moved.events.map((e) => e.type)).toEqual(['RecordTransferred']);
    expect(await register.get(id)).toMatchObject({ institutionCode: '1141020001', divisionCode: '410202', status: 'numbered', recordNumber: `G${entered.idNumber}` });
    expect((await register.moveTo(id, { institutionCode: KG }, to, transferId, context)).events).toEqual([]);
    // a step noted twice is noted once
    const note = { step: 'agreed' as const, transferId, toInstitutionCode: to.institutionCode, reason: null };
    expect((await register.noteTransfer(id, note, context)).events.map((e) => e.type)).toEqual(['RecordTransferAgreed']);
    expect((await register.noteTransfer(id, note, context)).events).toEqual([]);
  });

  it('hands a numbered record over to a primary school once (issue 16): the child leaves, a repeat changes nothing, another school is refused', async () => {
    const entered = child('钱小军', '2021-04-02', 9);
    const saved = await demo.http.post('/api/v1/records').set(await demo.as(`${KG}-business`)).send(entered).expect(201);
    const id: string = saved.body.id;
    const context = { actor: { accountId: 'school-registrar-test', role: 'school-registrar', organisationId: '2141010101' }, correlationId: randomUUID(), causationId: null };
    const to = { schoolCode: '2141010101', schoolName: '郑州市中原区建设路小学', entryId: randomUUID() };
    await expect(register.handOver(id, to, context)).rejects.toMatchObject({ code: 'record-status' });
    expect(await register.child(id)).toMatchObject({ name: entered.name, idNumber: entered.idNumber, address: entered.address });

    await demo.http.post('/api/v1/records/submit').set(await demo.as(`${KG}-business`)).send({ recordIds: [id] }).expect(200);
    await demo.http.post(`/api/v1/records/${id}/approve`).set(await demo.as(`${KG}-review`)).expect(200);
    const handed = await register.handOver(id, to, context);
    expect(handed.events.map((e) => e.type)).toEqual(['RecordLeft', 'RecordHandedOver']);
    expect(await register.get(id)).toMatchObject({ status: 'left', leave: { leaveType: 'graduated' }, handedOver: { schoolCode: '2141010101', schoolName: '郑州市中原区建设路小学' } });
    expect((await register.handOver(id, to, context)).events).toEqual([]);
    await expect(register.handOver(id, { schoolCode: '2141010102', schoolName: '郑州市中原区桐柏路小学', entryId: randomUUID() }, context)).rejects.toMatchObject({ kind: 'conflict', code: 'record-handed-over', message: expect.stringContaining('郑州市中原区建设路小学（2141010101）') });
    await expect(register.handOver(randomUUID(), to, context)).rejects.toMatchObject({ code: 'record-not-found' });
  });
});

