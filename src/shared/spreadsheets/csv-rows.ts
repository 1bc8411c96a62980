import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { CsvRefusals } from './refusals.js';
import type { SheetRow } from './xlsx-rows.js';

const CHUNK_CHARS = 64 * 1024;
const BATCH = 500;

/** csv-parse's refusals in words a registrar can act on (the record is named by the caller). */
const REASONS: Partial<Record<string, { code: string; message: string }>> = {
  CSV_QUOTE_NOT_CLOSED: { code: 'unterminated-quote', message: '该行有一个引号（"）没有闭合，其后直到文件末尾的内容都会被当作同一个单元格' },
  INVALID_OPENING_QUOTE: { code: 'stray-quote', message: '单元格中间出现了引号（"）：含引号的单元格应整个用引号括起，其中的引号写成两个（""）' },
  CSV_INVALID_CLOSING_QUOTE: { code: 'text-after-quote', message: '引号（"）闭合后紧跟了其他字符：用引号括起的单元格应在闭合引号后以逗号或换行结束' },
};

function* chunks(text: string): Generator<string> {
  for (let at = 0; at < text.length; at += CHUNK_CHARS) yield text.slice(at, at + CHUNK_CHARS);
}

/**
 * The records of a UTF-8 CSV file (RFC 4180: quoted fields holding commas, quotes and line
 * breaks; a BOM ignored; CRLF, LF or CR line ends, even mixed) in batches, numbered from 1 as
 * Excel numbers the rows it opens. Parsed by csv-parse, which refuses what a hand-written loop
 * would guess at: an unterminated quote (which would swallow the rest of the file into one
 * cell) or a stray one is the caller's `malformed` refusal naming the record. Records may
 * differ in length; an empty line is a record of one empty cell.
 */
export async function* readCsvRowBatches(file: Buffer, refusals: CsvRefusals): AsyncGenerator<SheetRow[]> {
  if (file.includes(0)) throw refusals.notText();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file); // drops a BOM
  } catch {
    throw refusals.notUtf8();
  }
  const parser = Readable.from(chunks(text)).pipe(parse({ relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'], bom: true }));
  let row = 0;
  let batch: SheetRow[] = [];
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      batch.push({ row: ++row, cells });
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const records = typeof error['records'] === 'number' ? error['records'] : row;
    throw refusals.malformed(records + 1, REASONS[error.code] ?? { code: 'csv-malformed', message: `无法按 CSV 格式解析（${error.code}）` });
  }
  if (batch.length > 0) yield batch;
}
