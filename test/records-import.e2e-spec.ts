import { beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { residentId } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';
import { zip } from './fixtures/zip.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Collects a binary response body (supertest buffers only text by default). */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** Typed as registrars type: fills the downloaded template's data sheet by header. */
async function fill(template: Buffer, rows: Array<Record<string, unknown> | null>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('幼儿信息')!;
  const column = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => column.set(String(cell.value).replace('*', ''), col));
  rows.forEach((values, i) => {
    if (!values) return;
    for (const [header, value] of Object.entries(values)) {
      const col = column.get(header);
      if (!col) throw new Error(`no column ${header}`);
      sheet.getRow(i + 2).getCell(col).value = value as ExcelJS.CellValue;
    }
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const kid = (name: string, birthDate: string, seq: number, extra: Record<string, unknown> = {}) => ({
  姓名: name, 性别: seq % 2 ? '1-男' : '2-女', 出生日期: birthDate, 身份证件类型: '1-居民身份证', 身份证件号码: residentId(birthDate, seq), '国籍/地区': 'CHN-中国', 民族: '01-汉族', ...extra,
});

// one demo app for both blocks: the second's uploads are all refused, so it sees what the first left and stores nothing
const demo = useDemoApp();

describe('Excel template import (HTTP, the institution’s business account)', () => {
  let store: EventStore;
  let template: Buffer;
  let filled: Buffer;
  let batchId: string;
  const KG = '1141010001';
  const business = () => demo.as(`${KG}-business`);
  let registrar: { Authorization: string };
  // not async: a supertest request is a thenable, awaiting it inside would send it
  const upload = (file: Buffer | string, type = XLSX, name = '2026级小班.xlsx') =>
    demo.http.post('/api/v1/records/imports').set(registrar).set('Content-Type', type).set('X-File-Name', encodeURIComponent(name)).send(file);

  beforeAll(async () => {
    store = demo.app.get<EventStore>(EVENT_STORE);
    registrar = await business();
  });

  it('downloads the template: Chinese headers, bounded dropdowns, instructions and the division lookup sheet', async () => {
    const res = await demo.http.get('/api/v1/records/template').set(await business()).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('幼儿信息导入模板.xlsx'));
    template = res.body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(expect.arrayContaining(['幼儿信息', '填写说明', '代码表', '区划代码']));
    const headers: string[] = [];
    workbook.getWorksheet('幼儿信息')!.getRow(1).eachCell((c) => headers.push(String(c.value)));
    expect(headers.slice(0, 6)).toEqual(['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码', '国籍/地区*']);
    const gender = workbook.getWorksheet('幼儿信息')!.getCell('B2').dataValidation;
    expect(gender).toMatchObject({ type: 'list' });
    const divisions = workbook.getWorksheet('区划代码')!;
    expect(divisions.rowCount).toBeGreaterThan(2800);
  });

  it('saves exactly the good rows and reports exactly the bad ones (row, column, value, reason)', async () => {
    filled = await fill(template, [
      { ...kid('张 三', '2022-03-15', 11), 出生日期: '2022/3/15' }, // 2: text date with slashes, a space in the name
      { ...kid('李四', '2022-04-01', 13), 出生日期: new Date(Date.UTC(2022, 3, 1)) }, // 3: an Excel date cell
      { ...kid('王五', '2022-05-02', 15), 身份证件号码: residentId('2022-05-02', 15).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)) }, // 4: full-width digits
      { ...kid('赵六', '2022-06-03', 17), 身份证件号码: `${residentId('2022-06-03', 17).slice(0, 17)}${residentId('2022-06-03', 17).endsWith('1') ? '2' : '1'}` }, // 5: wrong check digit
      null, // 6: a blank row in the middle
      { ...kid('孙七', '2022-02-30', 19), 身份证件类型: 'Z-其他', 身份证件号码: null }, // 7: impossible date
      { ...kid('', '2022-07-04', 21) }, // 8: empty name
      { ...kid('周八', '2022-08-05', 23), 民族: '57' }, // 9: unknown code
      { ...kid('吴九', '2019-03-01', 25) }, // 10: over-age, not confirmed
      { ...kid('郑十', '2019-04-01', 27), '确认超龄（是/否）': '是' }, // 11: over-age, confirmed
      { ...kid('钱十一', '2022-09-09', 29), 户口所在地: '419999' }, // 12: unknown division
      { ...kid('张 三', '2022-03-15', 11), 出生日期: '2022年3月15日' }, // 13: row 2 again, typed differently
    ]);
    const head = await store.headPosition();
    const res = await upload(filled).expect(200);
    expect(res.body).toMatchObject({ rows: 11, saved: 4, failed: 6, alreadyPresent: 1, fileName: '2026级小班.xlsx' });
    batchId = res.body.batchId;
    expect(res.body.issues.map((i: { row: number; column: string; code: string }) => `${i.row}:${i.column}:${i.code}`)).toEqual([
      '5:身份证件号码:id-number-check-digit',
      '7:出生日期:birth-date-not-exist',
      '8:姓名:name-required',
      '9:民族:unknown-code',
      '10:出生日期:over-age-unconfirmed',
      '12:户口所在地:division-unknown',
      '13:身份证件号码:duplicate-in-file',
    ]);
    expect(res.body.issues.every((i: { reason: string }) => /[\u4e00-\u9fff]/.test(i.reason))).toBe(true);
    expect(res.body.issues[1]).toMatchObject({ value: '2022-02-30' });
    expect(res.body.logUrl).toBe(`/api/v1/records/imports/${batchId}/log.xlsx`);
    expect(await store.headPosition()).toBeGreaterThan(head);

    // every saved record carries the batch and its row; what was typed is stored normalised
    const saved = await demo.http.get('/api/v1/records').query({ importBatchId: batchId }).set({ ...(await business()), 'X-Min-Position': String(res.body.position) }).expect(200);
    const byRow = new Map(saved.body.items.map((r: { importRow: number; name: string; birthDate: string; idNumber: string; status: string }) => [r.importRow, r]));
    expect([...byRow.keys()].sort((x, y) => Number(x) - Number(y))).toEqual([2, 3, 4, 11]);
    expect(byRow.get(2)).toMatchObject({ name: '张 三', birthDate: '2022-03-15', status: 'saved' });
    expect(byRow.get(3)).toMatchObject({ birthDate: '2022-04-01' });
    expect(byRow.get(4)).toMatchObject({ idNumber: residentId('2022-05-02', 15) });
  });

  it('re-uploading the same file doubles no child: they are reported as already present', async () => {
    const before = await demo.http.get('/api/v1/records/saved').query({ limit: 500 }).set(await business()).expect(200);
    const res = await upload(filled).expect(200);
    expect(res.body).toMatchObject({ rows: 11, saved: 0, failed: 6, alreadyPresent: 5 });
    const present = res.body.issues.filter((i: { code: string }) => i.code === 'already-present');
    expect(present.map((i: { row: number }) => i.row)).toEqual([2, 3, 4, 11]);
    expect(present[0].reason).toMatch(/本园已有该幼儿/);
    const after = await demo.http.get('/api/v1/records/saved').query({ limit: 500 }).set({ ...(await business()), 'X-Min-Position': String(res.body.position) }).expect(200);
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('serves the validation log as JSON and as an Excel file, and lists the uploads', async () => {
    const json = await demo.http.get(`/api/v1/records/imports/${batchId}`).set(await business()).expect(200);
    expect(json.body).toMatchObject({ id: batchId, institutionCode: KG, rows: 11, saved: 4 });
    const xlsx = await demo.http.get(`/api/v1/records/imports/${batchId}/log.xlsx`).set(await business()).buffer(true).parse(binary).expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const cells: string[] = [];
    sheet.eachRow((row) => cells.push(row.values ? JSON.stringify(row.values) : ''));
    const text = cells.join('\n');
    for (const issue of json.body.issues as Array<{ reason: string }>) expect(text).toContain(issue.reason);
    const list = await demo.http.get('/api/v1/records/imports').set(await business()).expect(200);
    expect(list.body.items.map((b: { fileName: string; saved: number }) => b.saved)).toEqual([0, 4]);
    await demo.http.get(`/api/v1/records/imports/${batchId}`).set(await demo.as('1141010004-business')).expect(404);
  });

  it('refuses what is not a filled template with a clear problem, and changes nothing', async () => {
    const head = await store.headPosition();
    const png = await upload(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')).expect(415);
    expect(png.body.code).toBe('import-file-type');
    const json = await demo.http.post('/api/v1/records/imports').set(await business()).send({ rows: [] }).expect(415);
    expect(json.body.code).toBe('import-file-type');
    const xls = await upload(Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)])).expect(415);
    expect(xls.body.detail ?? xls.body.message).toMatch(/xlsx/);
    // a zip bomb: 100 MB of zeros declared as the worksheet, compressed to about 100 KB
    const bomb = zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(100 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect((await upload(bomb).expect(413)).body.code).toBe('import-file-bomb');
    const huge = await upload(Buffer.alloc(50 * 1024 * 1024, 1)).expect(413);
    expect(huge.body.code).toBe('payload-too-large');
    // a changed layout is explained, never "0 imported"
    const layout = new ExcelJS.Workbook();
    layout.addWorksheet('幼儿信息').addRow(['姓名', '性别', '生日', '证件类型', '证件号码', '国籍', '爱好']);
    const unknown = await upload(Buffer.from(await layout.xlsx.writeBuffer())).expect(400);
    expect(unknown.body.code).toBe('import-layout');
    expect(unknown.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'unknown-column', value: '爱好' })]));
    const empty = await upload(template).expect(400);
    expect(empty.body.code).toBe('import-no-rows');
    expect(await store.headPosition()).toBe(head);
    // only the business account imports
    await demo.http.post('/api/v1/records/imports').set(await demo.as(`${KG}-review`)).set('Content-Type', XLSX).send(filled).expect(403);
  });
});

describe('template upload under any declared content type (issue 22, item 5)', () => {

  it('lets the file sniffing decide whatever type (or none) the client declared', async () => {
    const registrar = await demo.as('1141010001-business');
    const head = await demo.app.get<EventStore>(EVENT_STORE).headPosition();
    const template = (await demo.http.get('/api/v1/records/template').set(registrar).buffer(true).parse(binary).expect(200)).body as Buffer;
    for (const type of ['application/vnd.ms-excel', 'application/wps-office.xlsx', 'application/x-anything']) {
      const res = await demo.http.post('/api/v1/records/imports').set(registrar).set('Content-Type', type).send(template).expect(400);
      expect(res.body.code).toBe('import-no-rows');
    }
    const untyped = await demo.http.post('/api/v1/records/imports').set(registrar).unset('Content-Type').send(template);
    expect(untyped.request.getHeader?.('content-type') ?? undefined).toBeUndefined();
    expect([untyped.status, untyped.body.code]).toEqual([400, 'import-no-rows']);
    const png = await demo.http.post('/api/v1/records/imports').set(registrar).set('Content-Type', 'application/vnd.ms-excel').send(Buffer.from('89504e470d0a1a0a', 'hex')).expect(415);
    expect(png.body.code).toBe('import-file-type');
    // other routes still take JSON only
    const odd = await demo.http.post('/api/v1/auth/login').set('Content-Type', 'application/vnd.ms-excel').send(Buffer.from('x')).expect(415);
    expect(odd.body.code).toBe('unsupported-media-type');
    await demo.http.post('/api/v1/no-such-route').set('Content-Type', 'application/x-anything').send(Buffer.from('x')).expect(404);
    // refused uploads store nothing
    expect(await demo.app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head);
  });
});
