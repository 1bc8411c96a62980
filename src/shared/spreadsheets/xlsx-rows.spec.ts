import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { zip } from '../../../test/fixtures/zip.js';
import { TEST_XLSX_REFUSALS as R, refusalOf } from '../testing/spreadsheet-refusals.js';
import { columnLetter, halfWidth, plainCellValue } from './cell-values.js';
import { type SheetRow, readXlsxRowBatches } from './xlsx-rows.js';

async function readAll(file: Buffer, sheet?: string): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const batch of readXlsxRowBatches(file, { sheet, refusals: R })) rows.push(...batch);
  return rows;
}

/** A workbook written by exceljs's streaming writer (inline strings when useSharedStrings is false). */
async function streamed(rows: unknown[][], useSharedStrings: boolean, name = 'Sheet1'): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings });
  const sheet = writer.addWorksheet(name);
  for (const row of rows) sheet.addRow(row).commit();
  await writer.commit();
  return Buffer.concat(chunks);
}

describe('reading the rows of a worksheet', () => {
  it('yields each written row with its Excel number and plain, 0-based cells', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('机构');
    sheet.addRow(['机构标识码', '机构名称', '成立日期']);
    sheet.getCell('A3').value = 1141010001;
    sheet.getCell('B3').value = { richText: [{ text: '郑州市' }, { font: { bold: true }, text: '第一幼儿园' }] };
    sheet.getCell('C3').value = new Date(Date.UTC(2001, 8, 1));
    sheet.getCell('C3').numFmt = 'yyyy-mm-dd';
    sheet.getCell('B5').value = { formula: 'CONCAT("阳光","幼儿园")', result: '阳光幼儿园' };
    sheet.getCell('A5').value = { text: '1141010002', hyperlink: 'https://example.org/' };
    const rows = await readAll(Buffer.from(await book.xlsx.writeBuffer()));
    expect(rows).toEqual([
      { row: 1, cells: ['机构标识码', '机构名称', '成立日期'] },
      { row: 3, cells: [1141010001, '郑州市第一幼儿园', new Date(Date.UTC(2001, 8, 1))] },
      { row: 5, cells: ['1141010002', '阳光幼儿园'] },
    ]);
  });

  it('reads the named sheet wherever it is, or else the first, without shared strings too', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('说明').addRow(['这是说明']);
    book.addWorksheet('数据').addRow(['数据行']);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    expect((await readAll(file, '数据')).map((r) => r.cells)).toEqual([['数据行']]);
    expect((await readAll(file, '不存在')).map((r) => r.cells)).toEqual([['这是说明']]);
    expect((await readAll(file)).map((r) => r.cells)).toEqual([['这是说明']]);
    expect((await readAll(await streamed([['甲', '乙'], ['丙']], false))).map((r) => r.cells)).toEqual([['甲', '乙'], ['丙']]);
  });

  it('keeps Chinese text whole where it crosses the reader\'s chunk boundaries, in cells and in shared strings', async () => {
    const names = ['张', '李', '王', '欧阳', '司马'];
    const rows = Array.from({ length: 3000 }, (_, i) => [`${names[i % 5]}小${'明红华'[i % 3]}${'·'.repeat(i % 2)}`, '01-汉族', `河南省郑州市中原区建设路${i}号院`]);
    for (const useSharedStrings of [true, false]) {
      const read = await readAll(await streamed(rows, useSharedStrings));
      expect(read).toHaveLength(rows.length);
      const wrong = read.filter((r, i) => JSON.stringify(r.cells) !== JSON.stringify(rows[i]));
      expect({ useSharedStrings, wrong: wrong.slice(0, 3) }).toEqual({ useSharedStrings, wrong: [] });
    }
  }, 30_000); // writes and reads two 3,000-row workbooks: seconds on a loaded machine

  it('refuses before the first row what the container check refuses, and a workbook it cannot parse or without sheets', async () => {
    const parts = [
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
    ];
    expect(await refusalOf(() => readAll(zip([...parts, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024) }])))).toMatchObject({ kind: 'too_large', code: 'import-file-bomb' });
    expect(await refusalOf(() => readAll(zip(parts)))).toMatchObject({ code: 'test-unreadable' }); // no workbook relationships
    const rels = { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships/>') };
    expect(await refusalOf(() => readAll(zip([...parts, rels])))).toMatchObject({ code: 'test-no-sheet' });
    const broken = zip([...parts, rels, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet><sheetData><row r="1"><c r="A1"></row></worksheet>') }]);
    expect(await refusalOf(() => readAll(broken))).toMatchObject({ kind: 'unsupported', code: 'test-unreadable' });
  });
});

describe('cell values', () => {
  it('are plain: rich text and hyperlinks to text, formula results (errors marked), Date and number kept', () => {
    const date = new Date(Date.UTC(2022, 2, 15));
    expect([null, undefined, 3, '甲', date].map(plainCellValue)).toEqual([undefined, undefined, 3, '甲', date]);
    expect(plainCellValue({ richText: [{ text: '王' }, { text: '小红' }] })).toBe('王小红');
    expect(plainCellValue({ formula: 'A1', result: { richText: [{ text: '结果' }] } })).toBe('结果');
    expect(plainCellValue({ sharedFormula: 'A1', result: Number.NaN })).toBe('#公式错误');
    expect(plainCellValue({ text: '郑州', hyperlink: 'https://example.org/' })).toBe('郑州');
    expect(plainCellValue({ error: '#N/A' })).toBe('#N/A');
  });

  it('half-width and column letters', () => {
    expect(halfWidth('１１４１０\u3000ＡＢ')).toBe('11410 AB');
    expect([0, 25, 26, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  });
});
