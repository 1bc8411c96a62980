import { afterAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { DomainError } from '../../../shared/domain/domain-error.js';
import { TEMPLATE_COLUMNS } from '../../domain/template-columns.js';
import { TemplateReader } from './template-reader.js';

// With a build (npm test builds first) the reading runs in the worker thread and a refusal
// crosses it as plain fields; without one it runs here. Either way the caller gets a DomainError.
describe('the template reader', () => {
  const reader = new TemplateReader();
  afterAll(() => reader.onModuleDestroy());

  const readAll = async (file: Buffer) => {
    const rows = [];
    for await (const row of reader.read(file)) rows.push(row);
    return rows;
  };

  it('yields the rows, and refuses as a DomainError with its kind, code, message and field errors', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('幼儿信息');
    sheet.addRow(TEMPLATE_COLUMNS.map((c) => c.header));
    sheet.addRow(['张小明', '1', '2022-03-15', '1', '410102202203150018', 'CHN']);
    expect((await readAll(Buffer.from(await book.xlsx.writeBuffer()))).map((r) => [r.row, r.cells.name])).toEqual([[2, '张小明']]);

    sheet.getCell(1, TEMPLATE_COLUMNS.length + 1).value = '爱好';
    const refused = await readAll(Buffer.from(await book.xlsx.writeBuffer())).then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ kind: 'validation', code: 'import-layout', errors: [{ code: 'unknown-column', value: '爱好' }] });
    expect((refused as DomainError).message).toContain('未导入任何数据');

    const text = await readAll(Buffer.from('not a workbook')).then(() => null, (error: unknown) => error);
    expect(text).toBeInstanceOf(DomainError);
    expect(text).toMatchObject({ kind: 'unsupported', code: 'import-file-type' });
  });
});
