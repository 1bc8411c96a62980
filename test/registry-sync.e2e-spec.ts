import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { createFixtureApp } from './fixtures/fixture-app.js';
import { firstLogin } from './fixtures/sessions.js';
import { zip } from './fixtures/zip.js';

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = '机构标识码,机构名称,机构类别,行政区划代码,办别,办学许可证号';

async function xlsx(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('机构');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('institution registry sync (HTTP, province administrator)', () => {
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  let store: EventStore;
  let admin: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const upload = (body: Buffer | string, type = CSV, token = admin) => http.post('/api/v1/institution-registry/sync').set(auth(token)).set('Content-Type', type).send(typeof body === 'string' ? Buffer.from(body) : body);

  beforeAll(async () => {
    app = await createFixtureApp({ bootstrapAdminPassword: 'Init#Pass2026' });
    http = request(app.getHttpServer());
    store = app.get<EventStore>(EVENT_STORE);
    admin = await firstLogin(http, 'admin', 'Init#Pass2026');
  });
  afterAll(async () => {
    await app.close();
  });

  let kgAccounts: Array<{ institutionCode: string; username: string; role: string; initialPassword: string }>;

  it('registers the good rows with three accounts each and reports every bad row by row and column', async () => {
    const file = [
      HEADER,
      '1141010001,郑州市中原区第一幼儿园,幼儿园,410102,公办,教民141010270000001号',
      '１１４１０１０００２, 郑州市中原区阳光幼儿园 ,幼儿园,410102,民办,',
      '2141010003,郑州市中原区实验小学附设幼儿园,附设幼儿园,410103,公办,',
      '1141010004,错误的码,幼儿园,410102,公办,',
      '11410100,位数不对,幼儿园,410102,公办,',
      '1141010005,区划不对,幼儿园,999999,公办,',
      '1142010006,外省机构,幼儿园,420102,公办,',
      '1141010007,重复一,幼儿园,410102,公办,',
      '1141010007,重复二,幼儿园,410102,公办,',
      ',,,,,',
      '1141010008,,托儿所,410102,集体,',
    ].join('\r\n');
    // row 5 ("错误的码") is valid apart from being a fifth good row: keep it out by giving it a bad ownership
    const res = await upload(file.replace('1141010004,错误的码,幼儿园,410102,公办', '1141010004,错误的码,幼儿园,410102,国营')).expect(200);
    expect(res.body.summary).toEqual({ rows: 10, valid: 3, invalid: 7, registered: 3, renamed: 0, detailsChanged: 0, revoked: 0, reinstated: 0, unchanged: 0 });
    expect(res.body.changes.map((c: { code: string }) => c.code).sort()).toEqual(['1141010001', '1141010002', '2141010003']);
    const byRow = res.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(byRow).toEqual([
      '第 5 行，办别:invalid-ownership',
      '第 6 行，机构标识码:invalid-institution-code',
      '第 7 行，行政区划代码:unknown-division',
      '第 8 行，机构标识码:institution-outside-province',
      '第 8 行，行政区划代码:division-outside-province',
      '第 9 行，机构标识码:duplicate-code',
      '第 10 行，机构标识码:duplicate-code',
      '第 12 行，机构名称:name-required',
      '第 12 行，机构类别:invalid-type',
      '第 12 行，办别:invalid-ownership',
    ]);
    for (const e of res.body.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    kgAccounts = res.body.accounts;
    expect(kgAccounts).toHaveLength(9);
    expect(kgAccounts.filter((a) => a.institutionCode === '1141010001').map((a) => a.username)).toEqual(['1141010001-business', '1141010001-review', '1141010001-admin']);
    // full-width digits and surrounding spaces were cleaned
    const kg2 = await http.get('/api/v1/institutions/1141010002').set(auth(admin)).set('X-Min-Position', String(await store.headPosition())).expect(200);
    expect(kg2.body).toMatchObject({ name: '郑州市中原区阳光幼儿园', ownership: 'private', divisionCode: '410102', status: 'active' });
  });

  it('changes nothing when the same file is synced again', async () => {
    const head = await store.headPosition();
    const file = [HEADER, '1141010001,郑州市中原区第一幼儿园,幼儿园,410102,公办,教民141010270000001号', '1141010002,郑州市中原区阳光幼儿园,幼儿园,410102,民办,', '2141010003,郑州市中原区实验小学附设幼儿园,附设幼儿园,410103,公办,'].join('\n');
    const res = await upload(file).expect(200);
    expect(res.body.summary).toMatchObject({ registered: 0, renamed: 0, revoked: 0, unchanged: 3 });
    expect(res.body.accounts).toEqual([]);
    expect(await store.headPosition()).toBe(head);
  });

  it('renames and revokes from an xlsx file; the revoked institution’s accounts cannot log in, and history keeps the old name', async () => {
    const kg2Business = kgAccounts.find((a) => a.username === '1141010002-business')!;
    const file = await xlsx([HEADER.split(','), ['1141010001', '郑州市中原区实验幼儿园', '幼儿园', '410102', '公办', '教民141010270000001号'], ['2141010003', '郑州市中原区实验小学附设幼儿园', '附设幼儿园', '410103', '公办', '']]);
    const res = await upload(file, XLSX).expect(200);
    expect(res.body.summary).toMatchObject({ renamed: 1, revoked: 1, unchanged: 1 });
    expect(res.body.changes).toEqual(expect.arrayContaining([
      { code: '1141010001', change: 'renamed', name: '郑州市中原区实验幼儿园', from: '郑州市中原区第一幼儿园' },
      { code: '1141010002', change: 'revoked', name: '郑州市中原区阳光幼儿园' },
    ]));

    const refused = await http.post('/api/v1/auth/login').send({ username: kg2Business.username, password: kg2Business.initialPassword }).expect(403);
    expect(refused.body.code).toBe('account-disabled');
    expect(refused.body.message).toMatch(/撤销/);

    const head = String(await store.headPosition());
    const renamed = await http.get('/api/v1/institutions/1141010001').set(auth(admin)).set('X-Min-Position', head).expect(200);
    expect(renamed.body).toMatchObject({ name: '郑州市中原区实验幼儿园', formerNames: ['郑州市中原区第一幼儿园'] });
    const history = await store.readStream('institution-1141010001');
    expect(history.map((e) => e.type)).toEqual(['InstitutionRegistered', 'InstitutionRenamed']);
    expect(history[0]!.data['name']).toBe('郑州市中原区第一幼儿园');
    const revoked = await http.get('/api/v1/institutions').query({ status: 'revoked' }).set(auth(admin)).expect(200);
    expect(revoked.body.items.map((i: { id: string }) => i.id)).toEqual(['1141010002']);
  });

  it('scopes the institution list to the caller’s jurisdiction', async () => {
    const kg1Admin = kgAccounts.find((a) => a.username === '1141010001-admin')!;
    const kgToken = await firstLogin(http, kg1Admin.username, kg1Admin.initialPassword);
    const own = await http.get('/api/v1/institutions').set(auth(kgToken)).expect(200);
    expect(own.body.items.map((i: { id: string }) => i.id)).toEqual(['1141010001']);
    const other = await http.get('/api/v1/institutions/2141010003').set(auth(kgToken)).expect(404);
    expect(other.body.code).toBe('institution-not-found');
    const all = await http.get('/api/v1/institutions').set(auth(admin)).expect(200);
    expect(all.body.items).toHaveLength(3);
    const forbidden = await upload(`${HEADER}\n`, CSV, kgToken).expect(403);
    expect(forbidden.body.code).toBe('admin-only');
  });

  it('explains a file it cannot use and changes nothing', async () => {
    const head = await store.headPosition();
    const layout = await upload('编号,名字\n1141010009,新园\n').expect(400);
    expect(layout.body.code).toBe('registry-file-layout');
    expect(layout.body.errors.map((e: { code: string }) => e.code)).toEqual(expect.arrayContaining(['unknown-column', 'missing-column']));
    const png = await upload(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'application/octet-stream').expect(415);
    expect(png.body.code).toBe('registry-file-type');
    const brokenZip = await upload(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)]), XLSX).expect(415);
    expect(brokenZip.body.code).toBe('registry-file-unreadable');
    const empty = await upload(`${HEADER}\n\n`).expect(400);
    expect(empty.body.code).toBe('registry-file-empty');
    const json = await http.post('/api/v1/institution-registry/sync').set(auth(admin)).send({ file: 'x' }).expect(415);
    expect(json.body.code).toBe('registry-file-type');
    const huge = await upload(Buffer.alloc(21 * 1024 * 1024, 0x41)).expect(413);
    expect(huge.body.code).toBe('payload-too-large');
    expect(await store.headPosition()).toBe(head);
  });

  it('refuses a zip bomb as the child import does (413, same code), and a CSV quote left open naming its row, changing nothing', async () => {
    const head = await store.headPosition();
    // 100 MB of zeros declared as the worksheet, compressed to about 100 KB
    const bomb = zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(100 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const refused = await upload(bomb, XLSX).expect(413);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 413, code: 'import-file-bomb' });
    expect(refused.body.message).toMatch(/恶意构造/);
    // a small part claiming 300 MB: refused from the zip directory alone
    const liar = zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/media/a.bin', data: Buffer.alloc(10), declaredSize: 300 * 1024 * 1024 }]);
    expect((await upload(liar, XLSX).expect(413)).body.code).toBe('import-file-bomb');

    const open = await upload([HEADER, '1141010009,"郑州市新园,幼儿园,410102,公办,', '1141010010,郑州市另一园,幼儿园,410102,公办,'].join('\n')).expect(400);
    expect(open.body).toMatchObject({ code: 'registry-file-malformed', errors: [{ field: '第 2 行', code: 'unterminated-quote' }] });
    expect(open.body.message).toContain('第 2 行');
    expect(await store.headPosition()).toBe(head);
  });
});
