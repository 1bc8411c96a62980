import type ExcelJS from 'exceljs';
import { DomainError } from '../domain/domain-error.js';
import { plainCellValue } from './cell-values.js';
import type { XlsxRefusals } from './refusals.js';
import { Utf8WorkbookReader } from './utf8-workbook-reader.js';
import { type AddedPart, type ZipEntry, inspectXlsxContainer, readZipDirectory, verifyInflatedSizes, zipPartsStream } from './xlsx-container.js';

export interface SheetRow {
  /** 1-based row number, as Excel shows it */
  row: number;
  /** the row's cells as plain values (plainCellValue), 0-based by column; empty cells undefined */
  cells: unknown[];
}

export interface XlsxRowsOptions {
  /** the worksheet to read when the workbook has one of this name; otherwise the first */
  sheet?: string;
  refusals: XlsxRefusals;
}

// exceljs's streaming types leave these out
type SheetReader = ExcelJS.stream.xlsx.WorksheetReader & { name?: string };
type BookReader = ExcelJS.stream.xlsx.WorkbookReader & { model?: { sheets?: Array<{ name?: string }> } };

const EMPTY_SHARED_STRINGS = Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>');
const sheetNumber = (name: string): number => Number(/^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name)?.[1] ?? NaN);

/** A worksheet's parse events in the batches exceljs parses them (one per chunk): rows without an async step each. */
const eventBatches = (sheet: SheetReader): AsyncIterable<Array<{ eventType: string; value: unknown }>> => ({ [Symbol.asyncIterator]: () => sheet.parse() });

/**
 * The parts exceljs's streaming reader needs, in the order it needs them. It reads a ZIP in
 * stored order and spools every worksheet that comes before the shared strings (Excel writes
 * them first) to a temporary file, and a sheet before the styles loses its dates. Workbook,
 * relationships, styles and shared strings first, then the worksheets: every sheet streams
 * straight through, and themes, pictures and document properties are never inflated.
 */
function readingOrder(entries: readonly ZipEntry[], refusals: XlsxRefusals): Array<ZipEntry | AddedPart> {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  const book = byName.get('xl/workbook.xml');
  if (!rels || !book) throw refusals.unreadable();
  const sheets = entries.filter((e) => !Number.isNaN(sheetNumber(e.name))).sort((a, b) => sheetNumber(a.name) - sheetNumber(b.name));
  const styles = byName.get('xl/styles.xml');
  // without shared strings exceljs would spool the sheets to disk: an empty table stands in
  const strings = byName.get('xl/sharedStrings.xml') ?? { name: 'xl/sharedStrings.xml', content: EMPTY_SHARED_STRINGS };
  return [rels, book, ...(styles ? [styles] : []), strings, ...sheets];
}

/**
 * The rows of one worksheet of an uploaded xlsx, read with exceljs's streaming reader in the
 * batches it parses them (one per inflated chunk, so a consumer handles a batch's rows without
 * an async step each), and memory stays bounded whatever the file holds. The file is refused before the first
 * row unless it is an xlsx within the zip-bomb limits (inspectXlsxContainer) whose parts
 * inflate to what they declare (verifyInflatedSizes). Rows exceljs does not emit (never
 * written) are skipped; a row of blank cells is yielded as it is. Anything the parser throws
 * is the caller's `unreadable` refusal; what the caller throws while consuming is its own.
 */
export async function* readXlsxRowBatches(file: Buffer, options: XlsxRowsOptions): AsyncGenerator<SheetRow[]> {
  const { refusals } = options;
  inspectXlsxContainer(file, refusals);
  const parts = readingOrder(readZipDirectory(file, refusals), refusals);
  await verifyInflatedSizes(file, refusals, parts.filter((p): p is ZipEntry => !('content' in p)));
  const reader = new Utf8WorkbookReader(zipPartsStream(file, parts), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache', // without styles a date cell would come out as a serial number
    worksheets: 'emit',
    entries: 'ignore',
  }) as BookReader;
  let found = false;
  try {
    for await (const sheet of reader as AsyncIterable<SheetReader>) {
      const names = (reader.model?.sheets ?? []).map((s) => s.name);
      const wanted = options.sheet !== undefined && names.includes(options.sheet) ? options.sheet : names[0];
      // a sheet whose name exceljs could not resolve (an absolute target in the relationships) is taken as it comes
      if (names.includes(sheet.name ?? '') && sheet.name !== wanted) continue; // exceljs drains it
      found = true;
      for await (const events of eventBatches(sheet)) {
        const rows: SheetRow[] = [];
        for (const event of events) {
          if (event.eventType !== 'row') continue;
          const row = event.value as ExcelJS.Row;
          const values = row.values as unknown[]; // sparse, 1-based
          rows.push({ row: row.number, cells: Array.from({ length: Math.max(values.length - 1, 0) }, (_, i) => plainCellValue(values[i + 1])) });
        }
        if (rows.length > 0) yield rows;
      }
      break; // the other sheets are not needed
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw refusals.unreadable();
  }
  if (!found) throw refusals.noSheet();
}
