import { describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { zip } from '../../../test/fixtures/zip.js';
import { TEST_XLSX_REFUSALS as R, refusalOf } from '../testing/spreadsheet-refusals.js';
import { inspectXlsxContainer, readZipDirectory, verifyInflatedSizes } from './xlsx-container.js';

/** The same zip with a ZIP64 end record and locator, the classic end record saying "see ZIP64". */
function asZip64(file: Buffer): Buffer {
  const eocd = file.length - 22;
  const count = file.readUInt16LE(eocd + 10);
  const size = file.readUInt32LE(eocd + 12);
  const offset = file.readUInt32LE(eocd + 16);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(size), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(eocd), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([file.subarray(0, eocd), record, locator, end]);
}

const MINIMAL_PARTS = [
  { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
  { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
];


async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('机构');
  sheet.addRow(['机构标识码', '机构名称']);
  for (let i = 0; i < 200; i++) sheet.addRow([`11410100${String(i).padStart(2, '0')}`, `郑州市第${i}幼儿园`]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('the xlsx container check', () => {
  const inspect = (file: Buffer) => refusalOf(() => inspectXlsxContainer(file, R));

  it('accepts an xlsx, also with a ZIP64 end record', async () => {
    const file = await workbook();
    expect(() => inspectXlsxContainer(file, R)).not.toThrow();
    expect(() => inspectXlsxContainer(asZip64(zip(MINIMAL_PARTS)), R)).not.toThrow();
    expect(readZipDirectory(asZip64(zip(MINIMAL_PARTS)), R).map((e) => e.name)).toEqual(['[Content_Types].xml', 'xl/workbook.xml']);
  });

  it('refuses what is not an xlsx, saying what it is', async () => {
    expect(await inspect(Buffer.alloc(0))).toMatchObject({ kind: 'validation', code: 'test-empty' });
    const png = await inspect(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    expect(png).toMatchObject({ kind: 'unsupported', code: 'test-type' });
    expect(png.message).toBe('类型不对：该文件是 PNG 图片');
    const xls = await inspect(Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]));
    expect(xls).toMatchObject({ kind: 'unsupported', code: 'test-type' });
    expect(xls.message).toMatch(/\.xls.*另存为.*\.xlsx/);
    expect((await inspect(Buffer.from('%PDF-1.7\n'))).message).toContain('PDF');
    expect((await inspect(Buffer.from('姓名,性别\n张小明,1\n'))).message).toContain('CSV');
    expect((await inspect(Buffer.from('{"name":"张小明"}'))).message).toContain('JSON');
    expect(await inspect(zip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }, { name: '[Content_Types].xml', data: Buffer.from('<Types/>') }]))).toMatchObject({ code: 'test-type', message: expect.stringContaining('Word') });
  });

  it('recognises an OpenDocument spreadsheet (.ods) and says to save it as .xlsx', async () => {
    const ods = zip([
      { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), stored: true },
      { name: 'content.xml', data: Buffer.from('<office:document-content/>') },
      { name: 'META-INF/manifest.xml', data: Buffer.from('<manifest/>') },
    ]);
    const refusal = await inspect(ods);
    expect(refusal).toMatchObject({ kind: 'unsupported', code: 'test-type' });
    expect(refusal.message).toMatch(/OpenDocument 电子表格（\.ods）.*另存为.*\.xlsx/);
    const odt = await inspect(zip([{ name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.text'), stored: true }, { name: 'content.xml', data: Buffer.from('<x/>') }]));
    expect(odt.message).toContain('OpenDocument 文档（text）');
  });

  it('refuses a broken zip as unreadable', async () => {
    const file = await workbook();
    expect(await inspect(file.subarray(0, Math.floor(file.length / 2)))).toMatchObject({ kind: 'unsupported', code: 'test-damaged' });
    expect(await inspect(Buffer.concat([file.subarray(0, 4), Buffer.alloc(200)]))).toMatchObject({ kind: 'unsupported', code: 'test-damaged' });
    const corrupt = Buffer.from(file);
    const sheet = readZipDirectory(file, R).find((e) => e.name === 'xl/worksheets/sheet1.xml')!;
    corrupt.fill(0xff, sheet.dataOffset, sheet.dataOffset + 64); // deflate data destroyed, directory intact
    expect(await refusalOf(() => verifyInflatedSizes(corrupt, R))).toMatchObject({ kind: 'unsupported', code: 'test-damaged' });
  });

  it('refuses zip bombs from the declared sizes, and entries that inflate beyond what they declare', async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024); // deflates to ~20 KB: about 1000:1
    const bomb = await inspect(zip([...MINIMAL_PARTS, { name: 'xl/worksheets/sheet1.xml', data: zeros }]));
    expect(bomb).toMatchObject({ kind: 'too_large', code: 'import-file-bomb' });
    expect(bomb.message).toMatch(/^文件解压后的大小异常（部件 xl\/worksheets\/sheet1\.xml 的压缩比超过 200:1），可能是恶意构造的文件，已拒绝。请重新导出。$/);

    // a small entry claiming 300 MB: refused from the directory alone
    expect(await inspect(zip([...MINIMAL_PARTS, { name: 'xl/media/a.bin', data: Buffer.alloc(10), stored: false, declaredSize: 300 * 1024 * 1024 }]))).toMatchObject({ kind: 'too_large', code: 'import-file-bomb' });

    const many = zip([...MINIMAL_PARTS, ...Array.from({ length: 1000 }, (_, i) => ({ name: `xl/media/${i}.txt`, data: Buffer.from('x'), stored: true }))]);
    expect(await inspect(many)).toMatchObject({ code: 'import-file-bomb', message: expect.stringContaining('1002') });

    // declares 1,000 bytes, inflates to 1 MB: passes the directory check, refused before any row is read
    const liar = zip([
      ...MINIMAL_PARTS,
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1024 * 1024, 0x20), declaredSize: 1000 },
    ]);
    expect(() => inspectXlsxContainer(liar, R)).not.toThrow();
    expect(await refusalOf(() => verifyInflatedSizes(liar, R))).toMatchObject({ kind: 'too_large', code: 'import-file-bomb' });
  });
});

