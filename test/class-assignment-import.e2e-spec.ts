import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { useDemoApp } from './fixtures/demo-app.js';
import { api, enrolmentHelpers } from './fixtures/enrolment.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};
const cellText = (sheet: ExcelJS.Worksheet, row: number, col: number) => String(sheet.getCell(row, col).value ?? '');

/**
 * 分班模板导入 as the registrar of the demo's 1141010004 (二七区, a class of every grade) does it:
 * download the template, fill it, upload it, find the batch in the list and download its log.
 */
describe('class-assignment import: template, upload, batches and their logs (HTTP)', () => {
  const demo = useDemoApp();
  const kg = '1141010004';
  const h = enrolmentHelpers(demo, kg, 700);

  it('the template names the columns and the classes; the stored batch lists and logs every refused row; other institutions get 404', async () => {
    const template = await demo.http.get(`${api}/classes/assignment-template`).set(await h.fresh()).buffer(true).parse(binary).expect(200);
    expect(template.headers['content-type']).toContain(XLSX);
    expect(decodeURIComponent(String(template.headers['content-disposition']))).toContain('分班导入模板.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.body as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['分班', '填写说明', '本园班级']);
    const data = book.getWorksheet('分班')!;
    expect([cellText(data, 1, 1), cellText(data, 1, 2)]).toEqual(['幼儿学籍号或身份证件号码*', '班级名称*']);
    const classNames = book.getWorksheet('本园班级')!.getColumn(1).values.slice(2).map(String);
    expect(classNames).toEqual(expect.arrayContaining(['托一班', '小一班', '中一班', '大一班', '混龄一班']));
    expect(book.getWorksheet('填写说明')!.rowCount).toBeGreaterThan(3);

    const [first, second] = await h.numbered(2, '2022-10-01');
    const one = await h.record(first!);
    const two = await h.record(second!);
    data.getCell('A2').value = one.recordNumber;
    data.getCell('B2').value = '小一班';
    data.getCell('A3').value = String(two.idNumber ?? two.child?.idNumber);
    data.getCell('B3').value = '小一班';
    data.getCell('A4').value = 'G410103200001010000';
    data.getCell('B4').value = '小一班';
    data.getCell('A5').value = one.recordNumber;
    data.getCell('B5').value = '小九班';
    const filled = Buffer.from(await book.xlsx.writeBuffer());

    const uploaded = await demo.http.post(`${api}/classes/assignment-imports`).set(await h.business()).set('Content-Type', XLSX).set('X-File-Name', encodeURIComponent('二七区分班.xlsx')).send(filled).expect(200);
    expect(uploaded.body).toMatchObject({ rows: 4, placed: 2, unchanged: 0, failed: 2 });
    const batchId = uploaded.body.batchId as string;
    expect(batchId).toMatch(/^[0-9a-f-]{36}$/);

    // the review account of the same kindergarten sees the batch; the list carries no log
    const list = await demo.http.get(`${api}/classes/assignment-imports?limit=5`).set(await h.fresh(`${kg}-review`)).expect(200);
    expect(list.body.items[0]).toMatchObject({ batchId, fileName: '二七区分班.xlsx', rows: 4, placed: 2, failed: 2, institutionCode: kg, importedBy: expect.any(String) });
    expect(list.body.items[0].issues).toBeUndefined();

    const log = await demo.http.get(`${api}/classes/assignment-imports/${batchId}/log.xlsx`).set(await h.fresh(`${kg}-review`)).buffer(true).parse(binary).expect(200);
    const logBook = new ExcelJS.Workbook();
    await logBook.xlsx.load(log.body as unknown as ArrayBuffer);
    const sheet = logBook.getWorksheet('分班导入校验日志')!;
    expect(cellText(sheet, 3, 2)).toBe(batchId);
    expect([cellText(sheet, 9, 1), cellText(sheet, 9, 2), cellText(sheet, 9, 3), cellText(sheet, 9, 4)]).toEqual(['行号', '列', '填写的值', '问题说明']);
    const lines = [10, 11].map((r) => [Number(sheet.getCell(r, 1).value), cellText(sheet, r, 2), cellText(sheet, r, 3), cellText(sheet, r, 5)]);
    expect(lines).toEqual([[4, 'A', 'G410103200001010000', 'record-unknown'], [5, 'B', '小九班', 'class-unknown']]);
    expect(cellText(sheet, 11, 4)).toContain('小九班');
    expect(sheet.rowCount).toBe(11);

    // another kindergarten, a county account: the batch is not theirs
    h.expectProblem(await demo.http.get(`${api}/classes/assignment-imports/${batchId}/log.xlsx`).set(await demo.as('1141010001-business')), 404, 'import-not-found');
    h.expectProblem(await demo.http.get(`${api}/classes/assignment-imports/${batchId}/log.xlsx`).set(await demo.as('410103-review')), 404, 'import-not-found');
    h.expectProblem(await demo.http.get(`${api}/classes/assignment-imports/not-a-uuid/log.xlsx`).set(await h.business()), 404, 'import-not-found');
    const elsewhere = await demo.http.get(`${api}/classes/assignment-imports`).set(await h.fresh('1141010001-business')).expect(200);
    expect(elsewhere.body.items.map((b: { batchId: string }) => b.batchId)).not.toContain(batchId);
    h.expectProblem(await demo.http.get(`${api}/classes/assignment-imports`).set(await demo.as('410103-review')), 403, 'institution-only');
    h.expectProblem(await demo.http.get(`${api}/classes/assignment-template`).set(await demo.as(`${kg}-review`)), 403, 'business-account-only');
  });
});
