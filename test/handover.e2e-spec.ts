import { beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { DEMO_REGISTRY_CSV } from '../src/cli/demo-data.js';
import { useDemoApp } from './fixtures/demo-app.js';
import { child, residentId } from './fixtures/children.js';
import { api, enrolmentHelpers } from './fixtures/enrolment.js';
import { firstLogin } from './fixtures/sessions.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SCHOOL_1 = '2141010101';
const SCHOOL_2 = '2141010102';
type Row = [name: string, gender: string, birthDate: string, idType: string, idNumber: string];

/** A new-pupil list as a registrar fills the template: the sheet 新生名单, header row, one pupil a row. */
async function pupilList(rows: Row[], header = ['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码']): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('新生名单');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function readSheet(file: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ArrayBuffer);
  const rows: string[][] = [];
  book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

const binary = (res: { on(event: string, cb: (chunk?: Buffer) => void): void }, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

/**
 * Hand-over to primary school (学籍接续, issue 16, domain.md section 11), walked through the HTTP
 * API as primary schools' registrars, the kindergarten and the county would: the schools come
 * in through the province's registry sync, each with its registrar account.
 */
describe('hand-over to primary school (HTTP)', () => {
  const demo = useDemoApp();
  const kg = enrolmentHelpers(demo, '1141010001', 700);
  const school: Record<string, { Authorization: string }> = {};
  type Child = { id: string; name: string; gender: string; birthDate: string; idNumber: string };
  const children: Child[] = [];
  let GRADUATES_BEFORE = -1;

  const fresh = async (auth: { Authorization: string }) => ({ ...auth, 'X-Min-Position': String((await kg.fresh())['X-Min-Position']) });
  const upload = (auth: { Authorization: string }, file: Buffer) =>
    demo.http.post(`${api}/handover/lists`).set(auth).set('Content-Type', XLSX).set('X-File-Name', encodeURIComponent('2027级新生名单.xlsx')).send(file);
  const entriesOf = async (auth: { Authorization: string }, listId: string) =>
    (await demo.http.get(`${api}/handover/entries?listId=${listId}`).set(await fresh(auth)).expect(200)).body.items as Array<{ entryId: string; row: number; status: string; idNumber: string | null }>;
  const entryUrl = (listId: string, entryId: string) => `${api}/handover/lists/${listId}/entries/${entryId}`;
  const row = (c: Child, name = c.name): Row => [name, c.gender === '1' ? '男' : '女', c.birthDate.replaceAll('-', '/'), '居民身份证', c.idNumber];

  beforeAll(async () => {
    // the province's registry now lists two primary schools of 中原区 (学校标识码, type 小学)
    const registry = `${DEMO_REGISTRY_CSV}\n${SCHOOL_1},郑州市中原区建设路小学,小学,410102,公办,\n${SCHOOL_2},郑州市中原区桐柏路小学,小学,410102,公办,`;
    const sync = await demo.http.post(`${api}/institution-registry/sync`).set(await demo.as('admin')).set('Content-Type', 'text/csv').send(Buffer.from(registry)).expect(200);
    const accounts = sync.body.accounts as Array<{ institutionCode: string; username: string; role: string; initialPassword: string }>;
    expect(accounts.map((a) => [a.username, a.role]).sort()).toEqual([[`${SCHOOL_1}-admin`, 'admin'], [`${SCHOOL_1}-registrar`, 'school-registrar'], [`${SCHOOL_2}-admin`, 'admin'], [`${SCHOOL_2}-registrar`, 'school-registrar']]);
    for (const code of [SCHOOL_1, SCHOOL_2]) {
      const registrar = accounts.find((a) => a.username === `${code}-registrar`)!;
      school[code] = { Authorization: `Bearer ${await firstLogin(demo.http, registrar.username, registrar.initialPassword)}` };
    }
    const progress = (await demo.http.get(`${api}/handover/progress`).set(await kg.fresh('410102-review')).expect(200)).body;
    GRADUATES_BEFORE = progress.counties.find((c: { divisionCode: string }) => c.divisionCode === '410102').graduates;
    expect(GRADUATES_BEFORE).toBeGreaterThanOrEqual(0);
    for (const id of await kg.numbered(8, '2021-05-01')) {
      const record = await kg.record(id);
      children.push({ id, name: record.child.name, gender: record.child.gender, birthDate: record.child.birthDate, idNumber: record.child.idNumber });
    }
  });

  it('a 5-entry list walks to confirmed, supplemented (a key-field edit refused) and the not-found export', async () => {
    const [a, b, c] = children;
    const stranger = residentId('2021-06-06', 991);
    const file = await pupilList([
      row(a!), // matched
      row(b!, '李错名'), // the same ID number with another name: to confirm
      [c!.name, c!.gender, c!.birthDate, '其他', ''], // no ID number, the same name, gender and birth date: to confirm
      ['张未查', '1', '2021-06-06', '1', stranger], // nobody: not found
      ['王坏行', '1', '2021-06-06', '1', `${stranger.slice(0, 17)}${stranger.endsWith('0') ? '1' : '0'}`], // a bad check digit: logged
    ]);
    // the template: the five columns on 新生名单, as the upload reads them
    const template = await demo.http.get(`${api}/handover/template`).set(school[SCHOOL_1]!).buffer(true).parse(binary).expect(200);
    expect((await readSheet(template.body as Buffer))[0]).toEqual(['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码']);
    await demo.http.get(`${api}/handover/template`).set(await demo.as('1141010001-business')).expect(403);
    await upload(await demo.as('1141010001-business'), file).expect(403);
    // a school registrar works on the hand-over only: no record entry, no kindergarten's record
    await demo.http.post(`${api}/records`).set(school[SCHOOL_1]!).send(child('王小明', '2022-03-15', 31)).expect(403);
    await demo.http.get(`${api}/records/${a!.id}`).set(school[SCHOOL_1]!).expect(404);
    const imported = await upload(school[SCHOOL_1]!, file).expect(200);
    expect(imported.body).toMatchObject({ rows: 5, imported: 4, failed: 1, counts: { matched: 1, 'to-confirm': 2, 'not-found': 1 } });
    expect(imported.body.issues).toEqual([expect.objectContaining({ row: 6, column: '身份证件号码', code: 'id-number-check-digit' })]);
    expect(imported.body.issues[0].reason).toMatch(/校验位/);
    const listId = imported.body.listId as string;
    const entries = await entriesOf(school[SCHOOL_1]!, listId);
    expect(entries.map((e) => [e.row, e.status])).toEqual([[2, 'matched'], [3, 'to-confirm'], [4, 'to-confirm'], [5, 'not-found']]);
    expect(entries[0]!.idNumber).not.toBe(a!.idNumber); // lists mask ID numbers
    const log = await demo.http.get(`${api}/handover/lists/${listId}/log`).set(school[SCHOOL_1]!).buffer(true).parse(binary).expect(200);
    expect((await readSheet(log.body as Buffer)).slice(2)).toEqual([['6', '身份证件号码', expect.any(String), expect.stringContaining('校验位')]]);

    // another school sees nothing of this list
    await demo.http.get(`${api}/handover/lists/${listId}`).set(await fresh(school[SCHOOL_2]!)).expect(404);
    await demo.http.get(entryUrl(listId, entries[1]!.entryId)).set(await fresh(school[SCHOOL_2]!)).expect(404);

    // to confirm by name mismatch: the candidate is shown with its kindergarten, without its numbers; picked
    const byName = (await demo.http.get(entryUrl(listId, entries[1]!.entryId)).set(await fresh(school[SCHOOL_1]!)).expect(200)).body;
    expect(byName).toMatchObject({ status: 'to-confirm', basis: 'id-only', candidates: [{ recordId: b!.id, name: b!.name, kindergartenCode: '1141010001', kindergartenName: '郑州市中原区第一幼儿园' }] });
    // no number of the candidate, masked or not (the entry's birth date would undo any mask): whether it is the list's (ADR 22)
    expect(byName.candidates[0]).toMatchObject({ sameIdNumber: true, recordNumber: null, birthDate: b!.birthDate.slice(0, 7) });
    expect(byName.candidates[0]).not.toHaveProperty('idNumber');
    await demo.http.post(`${entryUrl(listId, entries[1]!.entryId)}/confirm`).set(school[SCHOOL_1]!).send({ recordId: children[5]!.id }).expect(422);
    await demo.http.post(`${entryUrl(listId, entries[1]!.entryId)}/confirm`).set(school[SCHOOL_1]!).send({ recordId: b!.id }).expect(200);
    // to confirm without ID number: none match, then the correction undoes it (still to confirm), then picked
    const noId = (await demo.http.get(entryUrl(listId, entries[2]!.entryId)).set(await fresh(school[SCHOOL_1]!)).expect(200)).body;
    expect(noId).toMatchObject({ basis: 'name-gender-birth', candidates: [{ recordId: c!.id }] });
    await demo.http.post(`${entryUrl(listId, entries[2]!.entryId)}/confirm`).set(school[SCHOOL_1]!).send({ recordId: null }).expect(200);
    await demo.http.put(entryUrl(listId, entries[2]!.entryId)).set(school[SCHOOL_1]!).send({ name: c!.name, gender: c!.gender, birthDate: c!.birthDate, idType: 'Z', idNumber: null }).expect(200);
    await demo.http.post(`${entryUrl(listId, entries[2]!.entryId)}/confirm`).set(school[SCHOOL_1]!).send({ recordId: c!.id }).expect(200);

    // the child is still in a class of its kindergarten: the hand-over will take it out
    const classId = await kg.createClass('大二班', '大班');
    await kg.assign(classId, [a!.id]);
    // supplement: 17 fields pre-filled, 5 locked; a key field edit refused and nothing handed over
    const form = (await demo.http.get(`${entryUrl(listId, entries[0]!.entryId)}/supplement`).set(school[SCHOOL_1]!).expect(200)).body;
    expect(Object.keys(form.fields)).toHaveLength(17);
    expect(form.fields).toMatchObject({ name: a!.name, idNumber: a!.idNumber, nationality: 'CHN', ethnicity: '01', address: '郑州市中原区建设路 12 号' });
    expect(form.locked.sort()).toEqual(['birthDate', 'gender', 'idNumber', 'idType', 'name']);
    // the 17 fields in full are a read of the kindergarten's record, on record for its county; the candidates (no numbers) are not (ADR 22)
    const readsOf = async (recordId: string) => ((await demo.http.get(`${api}/personal-data-reads/records/${recordId}`).set(await fresh(await demo.as('410102-admin'))).expect(200)).body.items as Array<{ route: string; username: string }>).map((r) => `${r.username} ${r.route}`);
    expect(await readsOf(a!.id)).toContain(`${SCHOOL_1}-registrar GET /api/v1/handover/lists/:listId/entries/:entryId/supplement`);
    expect((await readsOf(b!.id)).filter((r) => r.startsWith(SCHOOL_1))).toEqual([]);
    expect(form.editable).toHaveLength(12);
    const keyEdit = await demo.http.post(`${entryUrl(listId, entries[0]!.entryId)}/supplement`).set(school[SCHOOL_1]!).send({ ...form.fields, name: '王改名' }).expect(400);
    expect(keyEdit.body).toMatchObject({ code: 'validation-failed', errors: [{ field: 'name', code: 'key-field-locked' }] });
    expect((await kg.record(a!.id)).status).toBe('numbered');
    const edits = { address: '郑州市中原区桐柏路 8 号', householdType: '1', birthplaceCode: '410103', onlyChild: '0', leftBehind: '0', migrantWorkerChild: '1', orphan: '0', hkMacaoTaiwan: '00', ethnicity: '02', nationality: 'CHN', householdCode: '410103', disabilityType: null };
    const saved = await demo.http.post(`${entryUrl(listId, entries[0]!.entryId)}/supplement`).set(school[SCHOOL_1]!).send({ ...form.fields, ...edits }).expect(200);
    expect(saved.body.events).toEqual(['PupilEntrySupplemented']);
    // the kindergarten's record: handed over, and the child left the kindergarten (it had not graduated)
    expect((await kg.record(a!.id)).status).toBe('left');
    // the enrolment context follows the leave: the class place is given up (by its reactor, shortly after)
    for (let tries = 0; tries < 100 && (await kg.memberIds(classId)).length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await kg.memberIds(classId)).toEqual([]);
    const supplemented = (await demo.http.get(entryUrl(listId, entries[0]!.entryId)).set(await fresh(school[SCHOOL_1]!)).expect(200)).body;
    expect(supplemented.status).toBe('supplemented');
    // the school's copy carries the edited fields; the kindergarten's record keeps its own
    expect(supplemented.supplement).toMatchObject({ ...edits, name: a!.name, idNumber: a!.idNumber });
    expect((await demo.http.get(`${entryUrl(listId, entries[0]!.entryId)}/supplement`).set(school[SCHOOL_1]!).expect(200)).body.fields).toMatchObject({ address: '郑州市中原区桐柏路 8 号', householdType: '1' });
    expect((await kg.record(a!.id)).child.address).toBe('郑州市中原区建设路 12 号');
    await demo.http.delete(entryUrl(listId, entries[0]!.entryId)).set(school[SCHOOL_1]!).send({}).expect(422);

    // not found: exported in the registration template's layout
    const exported = await demo.http.get(`${api}/handover/not-found`).set(await fresh(school[SCHOOL_1]!)).buffer(true).parse(binary).expect(200);
    expect(exported.headers['content-type']).toContain(XLSX);
    const sheet = await readSheet(exported.body as Buffer);
    expect(sheet[0]).toEqual(['姓名', '性别', '出生日期', '出生地', '民族', '国籍/地区', '身份证件类型', '身份证件号码', '港澳台侨外', '户口性质', '户口所在地', '现住址', '残疾人类型', '是否独生子女', '是否留守儿童', '是否进城务工人员随迁子女', '是否孤儿']);
    expect(sheet.slice(1).map((r) => [r[0], r[7]])).toEqual([['张未查', stranger]]);

    const queue = (await demo.http.get(`${api}/handover/queue`).set(await fresh(school[SCHOOL_1]!)).expect(200)).body;
    expect(queue.counts).toMatchObject({ matched: 2, 'to-confirm': 0, 'not-found': 1, supplemented: 1 });
  });

  it('correcting a not-found entry matches it again; correcting a matched one is refused', async () => {
    const d = children[3]!;
    // a list whose columns cannot all be placed is refused whole, naming each column; nothing is stored
    const layout = await upload(school[SCHOOL_1]!, await pupilList([row(d)], ['姓名', '性别', '民族', '出生日期', '身份证件类型'])).expect(400);
    expect(layout.body.code).toBe('pupil-list-layout');
    expect(layout.body.errors.map((e: { code: string }) => e.code).sort()).toEqual(['unknown-column']);
    expect(layout.body.errors[0].message).toContain('民族');
    const imported = await upload(school[SCHOOL_1]!, await pupilList([['李打错', d.gender, d.birthDate, '1', residentId('2021-05-01', d.gender === '1' ? 893 : 894)], row(children[4]!)])).expect(200);
    const listId = imported.body.listId as string;
    const [wrong, matched] = await entriesOf(school[SCHOOL_1]!, listId);
    expect([wrong!.status, matched!.status]).toEqual(['not-found', 'matched']);
    // a bad correction is explained on its field and changes nothing
    const bad = await demo.http.put(entryUrl(listId, wrong!.entryId)).set(school[SCHOOL_1]!).send({ name: '李改名', gender: '1', birthDate: '2021-13-01', idType: '1', idNumber: null }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('birthDate');
    const corrected = await demo.http.put(entryUrl(listId, wrong!.entryId)).set(school[SCHOOL_1]!).send({ name: d.name, gender: d.gender, birthDate: d.birthDate, idType: '1', idNumber: ` ${d.idNumber} ` }).expect(200);
    expect(corrected.body.events).toEqual(['PupilEntryCorrected']);
    const now = (await demo.http.get(entryUrl(listId, wrong!.entryId)).set(await fresh(school[SCHOOL_1]!)).expect(200)).body;
    expect(now).toMatchObject({ status: 'matched', recordId: d.id, name: d.name, idNumber: d.idNumber });
    const refused = await demo.http.put(entryUrl(listId, matched!.entryId)).set(school[SCHOOL_1]!).send({ name: '李改名', gender: children[4]!.gender, birthDate: '2021-05-01', idType: '1', idNumber: children[4]!.idNumber }).expect(422);
    expect(refused.body).toMatchObject({ code: 'entry-status' });
    expect(refused.body.message).toContain('已匹配');
    // a matched entry not yet supplemented may be deleted: it leaves the list
    await demo.http.delete(entryUrl(listId, matched!.entryId)).set(school[SCHOOL_1]!).send({ reason: '该生未到校报到' }).expect(200);
    await demo.http.get(entryUrl(listId, matched!.entryId)).set(await fresh(school[SCHOOL_1]!)).expect(404);
    expect((await entriesOf(school[SCHOOL_1]!, listId)).map((e) => e.entryId)).toEqual([wrong!.entryId]);
  });

  it('two schools supplement the same child at once: one hand-over, the other refused naming the first school', async () => {
    const e = children[6]!;
    const lists: Record<string, { listId: string; entryId: string }> = {};
    for (const code of [SCHOOL_1, SCHOOL_2]) {
      const imported = await upload(school[code]!, await pupilList([row(e)])).expect(200);
      lists[code] = { listId: imported.body.listId, entryId: (await entriesOf(school[code]!, imported.body.listId))[0]!.entryId };
    }
    const answers = await Promise.all([SCHOOL_1, SCHOOL_2].map((code) => demo.http.post(`${entryUrl(lists[code]!.listId, lists[code]!.entryId)}/supplement`).set(school[code]!).send({ address: '郑州市中原区互助路 1 号' })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    const winner = answers[0]!.status === 200 ? SCHOOL_1 : SCHOOL_2;
    expect(refused.body.code).toBe('record-handed-over');
    expect(refused.body.message).toContain(winner === SCHOOL_1 ? '郑州市中原区建设路小学（2141010101）' : '郑州市中原区桐柏路小学（2141010102）');
    const history = (await demo.http.get(`${api}/records/${e.id}/history`).set(await kg.fresh()).expect(200)).body.items as Array<{ type: string }>;
    expect(history.filter((h) => h.type === 'RecordHandedOver')).toHaveLength(1);
  });

  it('the kindergarten and the county see the hand-over in the record’s history; the county sees the progress', async () => {
    const a = children[0]!;
    expect((await kg.record(a.id)).handedOver).toMatchObject({ schoolCode: SCHOOL_1, schoolName: '郑州市中原区建设路小学' });
    for (const username of ['1141010001-business', '410102-review']) {
      const items = (await demo.http.get(`${api}/records/${a.id}/history`).set(await kg.fresh(username)).expect(200)).body.items as Array<{ type: string; label: string; actor: { role: string; organisationId: string }; data: Record<string, unknown>; reason: string | null }>;
      const handedOver = items.find((i) => i.type === 'RecordHandedOver')!;
      expect(handedOver).toMatchObject({ label: '学籍接续到小学', actor: { role: 'school-registrar', organisationId: SCHOOL_1 }, data: { schoolCode: SCHOOL_1, schoolName: '郑州市中原区建设路小学', leftKindergarten: true } });
      expect(items.find((i) => i.type === 'RecordLeft')).toMatchObject({ data: { leaveType: 'graduated' }, reason: expect.stringContaining('升入小学') });
    }
    const progress = (await demo.http.get(`${api}/handover/progress`).set(await kg.fresh('410102-review')).expect(200)).body;
    const county = progress.counties.find((c: { divisionCode: string }) => c.divisionCode === '410102');
    expect(county).toMatchObject({ name: expect.stringContaining('中原区'), handedOver: 2, counts: { 'not-found': 1 } });
    // out of how many: the county's graduates of the season include the two that left by the hand-over
    expect(county.graduates).toBe(GRADUATES_BEFORE + 2);
    expect(county.toSchools.reduce((n: number, s: { pupils: number }) => n + s.pupils, 0)).toBe(2);
    expect(county.toSchools.map((s: { name: string }) => s.name)).toContain('郑州市中原区建设路小学');
    const province = (await demo.http.get(`${api}/handover/progress`).set(await kg.fresh('admin')).expect(200)).body;
    expect(province.total).toMatchObject({ handedOver: 2, counts: { 'not-found': 1 } });
    const other = (await demo.http.get(`${api}/handover/progress`).set(await kg.fresh('410103-review')).expect(200)).body;
    expect(other.total).toMatchObject({ pupils: 0, handedOver: 0 });
    await demo.http.get(`${api}/handover/progress`).set(school[SCHOOL_1]!).expect(403);
  });

  it('a school that lists a child twice supplements it once: the other entry is told the child is its pupil already', async () => {
    const f = children[7]!;
    const lists = [await upload(school[SCHOOL_1]!, await pupilList([row(f)])).expect(200), await upload(school[SCHOOL_1]!, await pupilList([row(f)])).expect(200)];
    const entries = await Promise.all(lists.map(async (l) => (await entriesOf(school[SCHOOL_1]!, l.body.listId as string))[0]!));
    expect(entries.map((e) => e.status)).toEqual(['matched', 'matched']);
    const supplement = (i: number) => demo.http.post(`${entryUrl(lists[i]!.body.listId as string, entries[i]!.entryId)}/supplement`).set(school[SCHOOL_1]!).send({ address: '郑州市中原区伏牛路 2 号' });
    await supplement(0).expect(200);
    const twice = await supplement(1).expect(422);
    expect(twice.body.code).toBe('record-handed-over-here');
    expect(twice.body.message).toContain('本校');
    const history = (await demo.http.get(`${api}/records/${f.id}/history`).set(await kg.fresh()).expect(200)).body.items as Array<{ type: string }>;
    expect(history.filter((h) => h.type === 'RecordHandedOver')).toHaveLength(1);
    // the progress counts the child once
    const county = (await demo.http.get(`${api}/handover/progress`).set(await kg.fresh('410102-review')).expect(200)).body.counties.find((c: { divisionCode: string }) => c.divisionCode === '410102');
    expect(county.handedOver).toBe(3);
  });

  it('the registration system reads the not-found pupils of its division as an API client', async () => {
    const created = await demo.http.post(`${api}/api-clients`).set(await demo.as('admin')).send({ name: '河南省中小学生学籍系统', level: 'province', divisionCode: '410000', profile: 'personal' }).expect(201);
    const token = (await demo.http.post(`${api}/oauth/token`).type('form').send({ grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret }).expect(200)).body.access_token as string;
    const page = (await demo.http.get(`${api}/handover/registration/not-found`).set({ Authorization: `Bearer ${token}` }).set('X-Min-Position', String((await kg.fresh())['X-Min-Position'])).expect(200)).body;
    expect(page.items).toEqual([expect.objectContaining({ name: '张未查', schoolCode: SCHOOL_1, idNumber: residentId('2021-06-06', 991) })]);
    // a `personal` client's read is on record, under the client: the pupil has no preschool record, the read names the school's entry
    const reads = (await demo.http.get(`${api}/personal-data-reads`).query({ accountId: created.body.clientId }).set(await fresh(await demo.as('410102-admin'))).expect(200)).body.items;
    expect(reads).toEqual([expect.objectContaining({ recordId: page.items[0].entryId, institutionCode: SCHOOL_1, divisionCode: '410102', role: 'api-client', route: 'GET /api/v1/handover/registration/not-found' })]);
    await demo.http.get(`${api}/handover/registration/not-found`).set(school[SCHOOL_1]!).expect(403);
    await demo.http.get(`${api}/handover/not-found`).set({ Authorization: `Bearer ${token}` }).expect(403);
  });
});
