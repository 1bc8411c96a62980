import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { TEMPLATE_COLUMNS } from '../../domain/template-columns.js';
import { readTemplateRows } from './template-rows.js';

const headers = TEMPLATE_COLUMNS.map((c) => c.header);
const child = ['张小明', '1', '2022-03-15', '1', '410102202203150018', 'CHN'];

async function workbook(header: unknown[], ...rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('幼儿信息');
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function outcome(file: Buffer): Promise<unknown> {
  const rows = [];
  try {
    for await (const row of readTemplateRows(file)) rows.push(row);
  } catch (error) {
    return error;
  }
  return rows;
}

describe('reading the template rows: no column is dropped silently (issue 22, item 7)', () => {
  const ethnicity = TEMPLATE_COLUMNS.findIndex((c) => c.key === 'ethnicity');

  it('reads a row whose every value sits under a header', async () => {
    const row = [...child];
    row[ethnicity] = '01';
    expect(await outcome(await workbook(headers, row))).toEqual([{ row: 2, cells: expect.objectContaining({ name: '张小明', ethnicity: '01' }) }]);
  });

  it('refuses a cleared header cell whose column still holds data, naming the column and its template header', async () => {
    const header: unknown[] = [...headers];
    header[ethnicity] = null;
    const row = [...child];
    row[ethnicity] = '01';
    const letter = String.fromCharCode(65 + ethnicity);
    const refusal = await outcome(await workbook(header, [...child], row));
    expect(refusal).toMatchObject({ kind: 'validation', code: 'import-layout', errors: [{ code: 'unnamed-column', field: `第 1 行，${letter} 列`, value: headers[ethnicity] }] });
    expect((refusal as Error).message).toContain(`${letter} 列没有列名，但第 3 行起有数据`);
  });

  it('refuses data typed in a column beyond the headers', async () => {
    const row = [...child];
    row[headers.length + 1] = '备注：过敏';
    const refusal = await outcome(await workbook(headers, row));
    expect(refusal).toMatchObject({ code: 'import-layout', errors: [{ code: 'unnamed-column' }] });
    expect((refusal as Error).message).toContain('请删除这些数据，或移到有列名的列中');
  });

  it('still accepts a cleared optional header whose column is empty, and blank spaces under no header', async () => {
    const header: unknown[] = [...headers];
    header[ethnicity] = '';
    const row = [...child];
    row[headers.length + 2] = '   ';
    expect(await outcome(await workbook(header, row))).toEqual([{ row: 2, cells: expect.objectContaining({ name: '张小明' }) }]);
  });
});
