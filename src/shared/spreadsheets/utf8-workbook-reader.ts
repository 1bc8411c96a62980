import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';

/**
 * exceljs 4.4.0's streaming reader decodes every inflated chunk of a part on its own, so a
 * Chinese character split across two chunks comes out as "���" (exceljs issues #2063, #2084,
 * #2316; fixes never released). This reader hands it text decoded across chunk boundaries.
 * Found by the import benchmark: about one row in a thousand lost a character of 汉族.
 */
type Chunks = AsyncIterable<Buffer | string>;
type Entry = NodeJS.ReadableStream & { setEncoding(encoding: BufferEncoding): unknown };
type Internals = {
  _parseWorksheet(iterator: Chunks, sheetNo: string): AsyncGenerator<unknown>;
  _parseSharedStrings(entry: Entry): AsyncGenerator<unknown>;
  _parseHyperlinks(iterator: Chunks, sheetNo: string): AsyncGenerator<unknown>;
};

async function* utf8(chunks: Chunks): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

const Base = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (...args: unknown[]) => Internals;

class Utf8Reader extends Base {
  override _parseWorksheet(iterator: Chunks, sheetNo: string) {
    return super._parseWorksheet(utf8(iterator), sheetNo);
  }

  override _parseSharedStrings(entry: Entry) {
    entry.setEncoding('utf8');
    return super._parseSharedStrings(entry);
  }

  override _parseHyperlinks(iterator: Chunks, sheetNo: string) {
    return super._parseHyperlinks(utf8(iterator), sheetNo);
  }
}

export const Utf8WorkbookReader = Utf8Reader as unknown as typeof ExcelJS.stream.xlsx.WorkbookReader;
