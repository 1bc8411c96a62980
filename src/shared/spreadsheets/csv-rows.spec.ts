import { describe, expect, it } from '@jest/globals';
import { TEST_CSV_REFUSALS as R, refusalOf } from '../testing/spreadsheet-refusals.js';
import { readCsvRowBatches } from './csv-rows.js';

async function rows(file: Buffer | string): Promise<Array<[number, string[]]>> {
  const out: Array<[number, string[]]> = [];
  for await (const batch of readCsvRowBatches(typeof file === 'string' ? Buffer.from(file) : file, R)) for (const r of batch) out.push([r.row, r.cells as string[]]);
  return out;
}

describe('reading a CSV file', () => {
  it('numbers records as Excel numbers rows; quoted commas, quotes and line breaks stay in their cell', async () => {
    expect(await rows('机构标识码,机构名称\r\n1141010001,"郑州市""阳光"",第一幼儿园"\r\n1141010002,"两行\r\n名称"\r\n,\r\n1141010003')).toEqual([
      [1, ['机构标识码', '机构名称']],
      [2, ['1141010001', '郑州市"阳光",第一幼儿园']],
      [3, ['1141010002', '两行\r\n名称']],
      [4, ['', '']],
      [5, ['1141010003']],
    ]);
  });

  it('ignores a BOM, takes LF, CR and CRLF line ends (mixed too), and an empty line as one empty cell', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('机构标识码,机构名称\n1141010001,甲\r\n\r1141010002,乙\n')]);
    expect(await rows(bom)).toEqual([[1, ['机构标识码', '机构名称']], [2, ['1141010001', '甲']], [3, ['']], [4, ['1141010002', '乙']]]);
  });

  it('reads a large file in batches, across the parser\'s chunk boundaries', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `114101${String(i).padStart(4, '0')},"郑州市,第${i}幼儿园"`);
    const read = await rows(lines.join('\n'));
    expect(read).toHaveLength(5000);
    expect(read[4999]).toEqual([5000, ['1141014999', '郑州市,第4999幼儿园']]);
    expect(read.filter(([row, cells], i) => row !== i + 1 || cells[1] !== `郑州市,第${i}幼儿园`)).toEqual([]);
  });

  it('refuses an unterminated quote, naming the record where it opens, instead of swallowing the rest', async () => {
    const refused = await refusalOf(() => rows('机构标识码,机构名称\n1141010001,甲\n1141010002,"乙\n1141010003,丙\n1141010004,丁\n'));
    expect(refused).toMatchObject({ kind: 'validation', code: 'test-malformed', errors: [{ field: '第 3 行', code: 'unterminated-quote' }] });
    expect(refused.message).toMatch(/^第 3 行：.*引号.*没有闭合/);
  });

  it('refuses a stray quote in an unquoted cell, and text after a closing quote, naming the record', async () => {
    expect(await refusalOf(() => rows('a,b\nc,d"e\n'))).toMatchObject({ code: 'test-malformed', errors: [{ field: '第 2 行', code: 'stray-quote' }] });
    expect(await refusalOf(() => rows('a,b\nc,d\n"e" ,f\n'))).toMatchObject({ code: 'test-malformed', errors: [{ field: '第 3 行', code: 'text-after-quote' }] });
  });

  it('refuses what is not UTF-8 text: GBK, UTF-16, binary', async () => {
    const gbk = Buffer.from([0xbb, 0xfa, 0xb9, 0xb9, 0xb1, 0xea, 0xca, 0xb6, 0xc2, 0xeb, 0x0a]); // 机构标识码 in GBK
    expect(await refusalOf(() => rows(gbk))).toMatchObject({ kind: 'unsupported', code: 'test-not-utf8' });
    expect(await refusalOf(() => rows(Buffer.from('\ufeffa,b\n', 'utf16le')))).toMatchObject({ kind: 'unsupported', code: 'test-not-text' });
    expect(await refusalOf(() => rows(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0])))).toMatchObject({ code: 'test-not-text' });
  });
});
