import { describe, expect, it } from '@jest/globals';
import { child, residentId } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';

/** Issue 22, item 4: what used to be saved or refused without a word a registrar could act on. */
describe('no silent surprises for registrars (HTTP, demo province)', () => {
  const demo = useDemoApp();
  const api = '/api/v1';
  const KG = '1141010001';
  const business = () => demo.as(`${KG}-business`);
  const post = async (body: Record<string, unknown>, kg = KG) => demo.http.post(`${api}/records`).set(await demo.as(`${kg}-business`)).send(body);
  /** saves and expects the status */
  const save = async (body: Record<string, unknown>, status: number, kg = KG) => {
    const res = await post(body, kg);
    expect({ status: res.status, body: res.status === status ? null : res.body }).toEqual({ status, body: null });
    return res;
  };

  it('PUT refuses to turn a record into a child the kindergarten already has, as POST does', async () => {
    const first = (await save(child('孙一一', '2022-04-04', 501), 201)).body.id as string;
    const second = (await save(child('孙二二', '2022-04-04', 503), 201)).body.id as string;
    const res = await demo.http.put(`${api}/records/${second}`).set(await business()).send(child('孙二二', '2022-04-04', 501)).expect(409);
    expect(res.body).toMatchObject({ code: 'already-present', recordId: first, title: '数据冲突' });
    // editing a record without changing who it is stays possible
    await demo.http.put(`${api}/records/${first}`).set(await business()).send(child('孙一一', '2022-04-04', 501, { address: '郑州市中原区伊河路 3 号' })).expect(200);
  });

  it('checks the guardian’s phone', async () => {
    const bad = await save(child('周小满', '2022-05-05', 505, { guardians: [{ name: '周大山', relation: '父亲', phone: 'abc' }] }), 400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'guardians.0.phone', code: 'matches' })]);
    expect(bad.body.errors[0].message).toMatch(/联系电话/);
    for (const phone of ['13800000000', '0371-66000000', '+86 13800000000']) {
      const res = await post(child('周小满', '2022-05-05', 507 + 2 * ['13800000000', '0371-66000000', '+86 13800000000'].indexOf(phone), { guardians: [{ name: '周大山', relation: '父亲', phone }] }));
      expect({ phone, status: res.status }).toEqual({ phone, status: 201 });
    }
  });

  it('asks to confirm a child about one year old, as it does an over-age one', async () => {
    const year = new Date().getUTCFullYear();
    const birthDate = `${year - 1}-01-10`;
    const baby = child('吴小宝', birthDate, 521, { idNumber: residentId(birthDate, 521) });
    const refused = await save(baby, 422);
    expect(refused.body).toMatchObject({ code: 'under-age-unconfirmed' });
    expect(refused.body.message).toMatch(/未满 2 周岁.*核对出生日期/);
    await save({ ...baby, confirmOverAge: true }, 201);
  });

  it('deleting a problem record needs a reason; a refusal says what to do next', async () => {
    const body = child('郑可可', '2022-08-08', 531);
    const a = (await save(body, 201)).body.id as string;
    await demo.http.post(`${api}/records/submit`).set(await business()).send({ recordIds: [a] }).expect(200);
    const b = (await save(body, 201, '1141010002')).body.id as string;
    const submitted = await demo.http.post(`${api}/records/submit`).set(await demo.as('1141010002-business')).send({ recordIds: [b] }).expect(200);
    expect(submitted.body.results[0].outcome).toBe('problem');

    const approve = await demo.http.post(`${api}/records/${a}/approve`).set(await demo.as(`${KG}-review`)).expect(422);
    expect(approve.body.message).toMatch(/当前状态为“问题学籍”，不能.*。请在“问题学籍”中处理/);

    const noReason = await demo.http.delete(`${api}/records/${b}`).set(await demo.as('1141010002-business')).expect(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason', code: 'delete-reason-required' })]);
    await demo.http.delete(`${api}/records/${b}`).set(await demo.as('1141010002-business')).send({ reason: '幼儿已转至他园' }).expect(200);
    // a saved record (not in any case) is still deleted without a reason
    const saved = (await save(child('郑多多', '2022-08-08', 533), 201)).body.id as string;
    await demo.http.delete(`${api}/records/${saved}`).set(await business()).expect(200);
  });

  it('a missing name reports only that it is missing; messages name fields in Chinese; titles are Chinese', async () => {
    const { name: _name, ...nameless } = child('王无名', '2022-03-03', 541);
    const res = await save(nameless, 400);
    expect(res.body.errors.filter((e: { field: string }) => e.field === 'name').map((e: { message: string }) => e.message)).toEqual(['请填写姓名']);
    expect(res.body.title).toBe('请求有误');

    const password = await demo.http.post(`${api}/auth/password`).set(await demo.as(`${KG}-admin`)).send({ currentPassword: '', newPassword: 'x' }).expect(400);
    for (const e of password.body.errors as Array<{ message: string }>) expect(e.message).not.toMatch(/currentPassword|newPassword/);
    const submit = await demo.http.post(`${api}/records/submit`).set(await business()).send({ all: 'yes' }).expect(400);
    expect(submit.body.errors.find((e: { field: string }) => e.field === 'all').message).toBe('全部提交：必须是 true 或 false');

    const missing = await demo.http.get(`${api}/records/00000000-0000-4000-8000-000000000000`).set(await business()).expect(404);
    expect(missing.body.title).toBe('未找到');
  });

  it('an account’s history names each actor by username and real name (issue 22, item 3)', async () => {
    const me = (await demo.http.get(`${api}/auth/me`).set(await business()).expect(200)).body;
    const history = await demo.http.get(`${api}/accounts/${me.accountId}/history`).set(await demo.as(`${KG}-admin`)).expect(200);
    const login = (history.body as Array<{ type: string; actor: Record<string, unknown> }>).find((line) => line.type === 'LoginSucceeded');
    expect(login?.actor).toMatchObject({ accountId: me.accountId, username: `${KG}-business`, realName: me.realName });
  });
});
