import { PassThrough } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { zip } from '../../../../test/fixtures/zip.js';
import { DomainError } from '../../../shared/domain/domain-error.js';
import { readZipDirectory } from '../../../shared/spreadsheets/index.js';
import { codeTable, dropdownText } from '../../domain/code-tables.js';
import { type ColumnKey, TEMPLATE_COLUMNS } from '../../domain/template-columns.js';
import { type TemplateCells, parseTemplateRow } from '../../domain/template-row.js';
import { TEMPLATE_FILE_REFUSALS, readTemplateRows } from './template-rows.js';
import { buildTemplateWorkbook, buildValidationLogWorkbook } from './template-workbook.js';

const AT = '2026-09-10T00:00:00Z';
const DIVISIONS = [
  { code: '410102', name: '河南省郑州市中原区' },
  { code: '410103', name: '河南省郑州市二七区' },
];
const column = (key: ColumnKey): number => TEMPLATE_COLUMNS.findIndex((c) => c.key === key) + 1;

async function problemOf(run: () => unknown): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('no DomainError thrown');
}

async function readAll(file: Buffer, options?: { maxRows?: number }): Promise<Array<{ row: number; cells: TemplateCells }>> {
  const rows = [];
  for await (const row of readTemplateRows(file, options)) rows.push(row);
  return rows;
}

/** A part of a zip, inflated, found through the central directory. */
function part(file: Buffer, name: string): string {
  const entry = readZipDirectory(file, TEMPLATE_FILE_REFUSALS).find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name}`);
  const data = file.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  return (entry.method === 8 ? inflateRawSync(data) : data).toString('utf8');
}

const MINIMAL_PARTS = [
  { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
  { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
];

/** The template with rows written into 幼儿信息 (keys to values; a function edits the sheet). */
async function filledTemplate(rows: Array<[number, Partial<Record<ColumnKey, ExcelJS.CellValue>>]>, edit?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await buildTemplateWorkbook({ divisions: DIVISIONS, rows: 50 })) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('幼儿信息')!;
  for (const [row, values] of rows) {
    for (const [key, value] of Object.entries(values)) sheet.getCell(row, column(key as ColumnKey)).value = value;
  }
  edit?.(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function workbookWith(headers: string[], rows: unknown[][] = [], name = '幼儿信息'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(name);
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const HEADERS = TEMPLATE_COLUMNS.map((c) => c.header);

describe('the import template', () => {
  it('has the data sheet, instructions, code tables and divisions, with bounded dropdowns', async () => {
    const file = await buildTemplateWorkbook({ divisions: DIVISIONS });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['幼儿信息', '填写说明', '代码表', '区划代码']);

    const data = workbook.getWorksheet('幼儿信息')!;
    const headers = (data.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual(TEMPLATE_COLUMNS.map((c) => (c.required ? `${c.header}*` : c.header)));
    expect(headers.slice(0, 6)).toEqual(['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码', '国籍/地区*']);
    expect(data.getCell(1, 1).font?.bold).toBe(true);
    expect(data.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(data.rowCount).toBe(1); // no example row among the data
    for (const key of ['idNumber', 'birthDate', 'birthplaceCode', 'householdCode', 'guardian1IdNumber', 'guardian2IdNumber'] as const) {
      expect({ key, numFmt: data.getColumn(column(key)).numFmt }).toEqual({ key, numFmt: '@' });
    }

    // dropdowns: every coded column, rows 2..2001 only, pointing at 代码表
    const xml = part(file, 'xl/worksheets/sheet1.xml');
    const validations = [...xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"[^>]*><formula1>([^<]+)<\/formula1>/g)].map((m) => [m[1]!, m[2]!.replace(/&apos;/g, "'").replace(/&quot;/g, '"')]);
    const coded = TEMPLATE_COLUMNS.filter((c) => c.table || c.choices);
    expect(validations).toHaveLength(coded.length);
    for (const [sqref, formula] of validations) expect({ sqref, formula }).toEqual({ sqref: expect.stringMatching(/^([A-Z]+)2:\1(2001)$/), formula: expect.stringMatching(/^'代码表'!\$[A-Z]+\$2:\$[A-Z]+\$\d+$|^"是,否"$/) });
    expect(data.getCell('B2').dataValidation).toMatchObject({ type: 'list', formulae: ["'代码表'!$A$2:$A$3"] });
    expect(data.getCell('B2001').dataValidation).toMatchObject({ type: 'list' });
    expect(data.getCell('B2002').dataValidation).toBeUndefined();

    // the list behind the gender dropdown holds the dropdown texts
    const codes = workbook.getWorksheet('代码表')!;
    expect([codes.getCell('A2').value, codes.getCell('A3').value]).toEqual(codeTable('gender').map(dropdownText));
    const ethnicity = validations.find(([sqref]) => sqref === 'G2:G2001')![1]!;
    const [, letter, last] = /\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)$/.exec(ethnicity)!;
    expect(Number(last) - 1).toBe(codeTable('ethnicity').length);
    expect(codes.getCell(`${letter}2`).value).toBe('01-汉族');

    const guide = workbook.getWorksheet('填写说明')!;
    expect(guide.getCell('A2').value).toBe('姓名');
    expect(guide.getCell('B2').value).toBe('必填');
    expect(guide.getCell(`D${column('gender') + 1}`).value).toBe('1-男、2-女');
    expect(guide.rowCount).toBeGreaterThan(TEMPLATE_COLUMNS.length + 1);

    const divisions = workbook.getWorksheet('区划代码')!;
    expect((divisions.getRow(2).values as unknown[]).slice(1)).toEqual(['410102', '河南省郑州市中原区']);
    expect(divisions.rowCount).toBe(DIVISIONS.length + 1);
  });
});

describe('reading a filled template', () => {
  it('yields the data rows with their Excel row numbers, skipping blank rows, as plain values', async () => {
    const file = await filledTemplate(
      [
        [2, { name: '张小明', gender: '1-男', birthDate: '2022/3/15', idType: '1-居民身份证', idNumber: '410102202203150018', nationality: 'CHN-中国', ethnicity: '01-汉族', guardian1Name: '李红', guardian1Relation: '母亲', guardian1Phone: '13800138000' }],
        [3, { name: { richText: [{ text: '王' }, { font: { bold: true }, text: '小红' }] }, gender: { formula: 'IF(TRUE,"2-女")', result: '2-女' }, birthDate: new Date(Date.UTC(2022, 2, 15)), idType: '1', idNumber: '41010220220315078x', nationality: '中国', address: { text: '郑州市中原区', hyperlink: 'https://example.org/' } }],
        // row 4 left blank, row 5 only spaces
        [5, { name: '   ', address: '\u3000' }],
        [6, { name: '李3', gender: '男', birthDate: '2022-02-30', idType: '1-居民身份证', idNumber: 410102202203150000, nationality: 'CHN', ethnicity: '火星族' }],
        [8, { name: '赵大宝', gender: '1-男', birthDate: '2019-01-01', idType: '1-居民身份证', idNumber: '410102201901010018', nationality: 'CHN-中国' }],
      ],
      (sheet) => (sheet.getCell(3, column('birthDate')).numFmt = 'yyyy-mm-dd'), // an Excel date cell
    );

    const rows = await readAll(file);
    expect(rows.map((r) => r.row)).toEqual([2, 3, 6, 8]);
    expect(rows[1]!.cells).toEqual({ name: '王小红', gender: '2-女', birthDate: new Date(Date.UTC(2022, 2, 15)), idType: '1', idNumber: '41010220220315078x', nationality: '中国', address: '郑州市中原区' });

    const parsed = rows.map((r) => parseTemplateRow(r.row, r.cells, AT));
    expect(parsed[0]).toMatchObject({ ok: true, child: { name: '张小明', gender: '1', birthDate: '2022-03-15', idNumber: '410102202203150018', ethnicity: '01', guardians: [{ name: '李红', relation: '母亲', idType: null, idNumber: null, phone: '13800138000' }] } });
    expect(parsed[1]).toMatchObject({ ok: true, child: { name: '王小红', gender: '2', birthDate: '2022-03-15', idNumber: '41010220220315078X', nationality: 'CHN', address: '郑州市中原区' } });
    expect(parsed[2]).toEqual({
      ok: false,
      issues: [
        { row: 6, column: '姓名', value: '李3', code: 'name-characters', reason: expect.any(String) },
        { row: 6, column: '出生日期', value: '2022-02-30', code: 'birth-date-not-exist', reason: '出生日期“2022-02-30”不存在：2022 年 2 月没有 30 日，请核对' },
        { row: 6, column: '身份证件号码', value: '410102202203150000', code: 'id-number-as-number', reason: expect.stringContaining('文本') },
        { row: 6, column: '民族', value: '火星族', code: 'unknown-code', reason: expect.stringContaining('不在代码表中') },
      ],
    });
    expect(parsed[3]).toEqual({ ok: false, issues: [{ row: 8, column: '出生日期', value: '2019-01-01', code: 'over-age-unconfirmed', reason: expect.stringContaining('“是”') }] });
  });

  it('reads the sheet named 幼儿信息 wherever it is, or else the first sheet, without shared strings too', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['这是说明']);
    const data = workbook.addWorksheet('幼儿信息');
    data.addRow(HEADERS);
    data.addRow(['张小明', '1', '20220315', '1', '410102202203150018', 'CHN']);
    expect((await readAll(Buffer.from(await workbook.xlsx.writeBuffer()))).map((r) => [r.row, r.cells.name])).toEqual([[2, '张小明']]);

    // the streaming writer writes inline strings: no xl/sharedStrings.xml at all
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
    const sheet = writer.addWorksheet('Sheet1');
    sheet.addRow(HEADERS.map((h, i) => (TEMPLATE_COLUMNS[i]!.required ? `${h}*` : h))).commit();
    sheet.addRow(['李小红', '2', '2022-03-15', '1', '41010220220315078X', 'CHN']).commit();
    await writer.commit();
    const inline = Buffer.concat(chunks);
    expect(readZipDirectory(inline, TEMPLATE_FILE_REFUSALS).some((e) => e.name === 'xl/sharedStrings.xml')).toBe(false);
    expect((await readAll(inline)).map((r) => [r.row, r.cells.name, r.cells.idNumber])).toEqual([[2, '李小红', '41010220220315078X']]);
  });

  it('refuses a file whose columns do not fit the template, before any row', async () => {
    const extra = await problemOf(() => workbookWith([...HEADERS, '班级'], [['张小明']]).then(readAll));
    expect(extra).toMatchObject({ kind: 'validation', code: 'import-layout', errors: [{ code: 'unknown-column', field: '第 1 行，AE 列', value: '班级' }] });
    expect(extra.message).toContain('未导入任何数据');

    const missing = await problemOf(() => workbookWith(HEADERS.filter((h) => h !== '国籍/地区'), [['张小明']]).then(readAll));
    expect(missing).toMatchObject({ kind: 'validation', code: 'import-layout', errors: [{ code: 'missing-column', value: '国籍/地区' }] });

    const empty = await problemOf(() => workbookWith([]).then(readAll));
    expect(empty).toMatchObject({ kind: 'validation', code: 'import-layout' });
    expect(empty.message).toContain('是空的');
  });

  it('refuses more than maxRows data rows', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => ['张小明', '1', '2022-03-15', '1', `ID${i}`, 'CHN']);
    const file = await workbookWith(HEADERS, rows);
    expect(await readAll(file, { maxRows: 6 })).toHaveLength(6);
    const seen: number[] = [];
    const refused = await problemOf(async () => {
      for await (const row of readTemplateRows(file, { maxRows: 5 })) seen.push(row.row);
    });
    expect(refused).toMatchObject({ kind: 'too_large', code: 'import-too-many-rows' });
    expect(seen).toEqual([2, 3, 4, 5, 6]);
  });
});

describe('the uploaded file itself', () => {
  // the kernel reader's checks (src/shared/spreadsheets/xlsx-container.spec.ts) answer in the import's codes and words
  it('refuses what it cannot read with the import codes the API has always answered', async () => {
    expect(await problemOf(() => readAll(Buffer.alloc(0)))).toMatchObject({ kind: 'validation', code: 'import-file-empty', message: '上传的文件是空的（0 字节），请选择填写好的 .xlsx 文件' });
    const png = await problemOf(() => readAll(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')));
    expect(png).toMatchObject({ kind: 'unsupported', code: 'import-file-type', message: '只接受 Excel .xlsx 文件（请用本系统下载的模板填写后上传）：该文件是 PNG 图片' });
    const file = await buildTemplateWorkbook({ divisions: DIVISIONS });
    const truncated = await problemOf(() => readAll(file.subarray(0, Math.floor(file.length / 2))));
    expect(truncated).toMatchObject({ kind: 'unsupported', code: 'import-file-unreadable', message: expect.stringMatching(/^无法读取该 Excel 文件：文件已损坏或不完整（可能上传中断）（.+）。请在 Excel 中打开它，另存为 \.xlsx 后重新上传$/) });
    const corrupt = Buffer.from(file);
    const sheet = readZipDirectory(file, TEMPLATE_FILE_REFUSALS).find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    corrupt.fill(0xff, sheet.dataOffset, sheet.dataOffset + 64); // deflate data destroyed, directory intact
    expect(await problemOf(() => readAll(corrupt))).toMatchObject({ kind: 'unsupported', code: 'import-file-unreadable' });
    const bomb = await problemOf(() => readAll(zip([...MINIMAL_PARTS, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(20 * 1024 * 1024) }])));
    expect(bomb).toMatchObject({ kind: 'too_large', code: 'import-file-bomb' });
    expect(bomb.message).toMatch(/^文件解压后的大小异常（.+），可能是恶意构造的文件，已拒绝。请用本系统下载的模板重新填写后上传$/);
    const noSheet = await problemOf(() => readAll(zip([...MINIMAL_PARTS, { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships/>') }])));
    expect(noSheet).toMatchObject({ kind: 'validation', code: 'import-layout', message: expect.stringContaining('没有可读取的工作表“幼儿信息”') });
  });
});

describe('the validation log', () => {
  it('has a summary, then one line per issue in row order', async () => {
    const file = await buildValidationLogWorkbook(
      [
        { row: 9, column: '民族', value: '火星族', code: 'unknown-code', reason: '民族“火星族”不在代码表中' },
        { row: 3, column: '身份证件号码', value: '410102202203150000', code: 'id-number-as-number', reason: '请把该列设置为“文本”格式' },
      ],
      { fileName: '中原区幼儿园.xlsx', batchId: 'b-1', rows: 10, saved: 7, failed: 2, alreadyPresent: 1 },
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('导入数据校验日志')!;
    const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
    expect(values(1)).toEqual(['导入数据校验日志']);
    expect([values(2), values(3), values(4), values(5), values(6), values(7)]).toEqual([
      ['文件名', '中原区幼儿园.xlsx'],
      ['批次号', 'b-1'],
      ['数据行数', 10],
      ['成功导入', 7],
      ['已存在（未重复导入）', 1],
      ['有问题未导入', 2],
    ]);
    expect(values(9)).toEqual(['行号', '列', '填写的值', '问题说明', '代码']);
    expect(values(10)).toEqual([3, '身份证件号码', '410102202203150000', '请把该列设置为“文本”格式', 'id-number-as-number']);
    expect(values(11)).toEqual([9, '民族', '火星族', '民族“火星族”不在代码表中', 'unknown-code']);
    expect(sheet.rowCount).toBe(11);
  });
});

describe('the template as LibreOffice and a printer see it (issue 22, item 8)', () => {
  const load = async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await buildTemplateWorkbook({ divisions: DIVISIONS, rows: 10 })) as unknown as ArrayBuffer);
    return book;
  };

  it('wraps every note of 填写说明 and makes each row as high as its text needs', async () => {
    const guide = (await load()).getWorksheet('填写说明')!;
    let idWarning: ExcelJS.Row | undefined;
    guide.eachRow((row, number) => {
      if (number === 1) return;
      row.eachCell((cell) => expect(cell.alignment).toMatchObject({ wrapText: true, vertical: 'top' }));
      // width units: two for a CJK character, one for ASCII; a merged general rule spans all four columns
      const units = (text: string) => [...text].reduce((n, ch) => n + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0);
      const merged = row.getCell(4).isMerged;
      const widths = [1, 2, 3, 4].map((i) => guide.getColumn(i).width ?? 10);
      const span = widths.reduce((a, b) => a + b, 0);
      const longest = merged ? units(String(row.getCell(1).value)) / span : Math.max(...[1, 2, 3, 4].map((i) => units(String(row.getCell(i).value ?? '')) / widths[i - 1]!));
      if (String(row.getCell(1).value).includes('4.10102E+17')) idWarning = row;
      expect(row.height).toBeGreaterThanOrEqual(Math.ceil(longest) * 15);
    });
    expect(idWarning).toBeDefined();
    // the general rules (the ID-number warning among them) span the table's four columns
    expect(guide.getCell(idWarning!.number, 4).isMerged).toBe(true);
  });

  it('prints on A4, every column on one page width, the header repeated', async () => {
    for (const sheet of (await load()).worksheets) {
      expect(sheet.pageSetup).toMatchObject({ paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
    }
  });

  it('gives 姓名 room for a long minority name, and protects the code sheets but not the data sheet', async () => {
    const book = await load();
    const data = book.getWorksheet('幼儿信息')!;
    expect(data.getColumn(column('name')).width).toBeGreaterThanOrEqual('阿依古丽·买买提'.length * 2 + 2);
    const protectedSheets = book.worksheets.filter((s) => (s as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).map((s) => s.name);
    expect(protectedSheets.sort()).toEqual(['代码表', '区划代码'].sort());
  });
});
