// Checks an uploaded file before any XML parser sees it: it must be an xlsx (a ZIP with the
// parts of a workbook), and its central directory must not promise more than an import can
// hold. The directory is read here rather than by a zip library so a zip bomb is refused from
// its declared sizes without inflating a byte; verifyInflatedSizes then holds the entries to
// what they declared, since a hostile file can declare small sizes and inflate to gigabytes.
import { Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import type { DomainError } from '../domain/domain-error.js';
import { type XlsxRefusals, zipBomb } from './refusals.js';

export const MAX_ENTRIES = 1_000;
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
export const MAX_RATIO = 200;
// a small entry compressing 1000:1 (a run of empty cells) is harmless; the ratio guards big ones
const RATIO_FLOOR_BYTES = 1024 * 1024;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated */
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** where the entry's data starts (after its local header) */
  dataOffset: number;
}

const startsWith = (file: Buffer, ...bytes: number[]): boolean => file.length >= bytes.length && bytes.every((b, i) => file[i] === b);

/** What a non-xlsx file is, in words a registrar recognises. */
function notXlsx(file: Buffer, refusals: XlsxRefusals): DomainError {
  const wrongType = (what: string) => refusals.wrongType(what);
  if (startsWith(file, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    // an OLE compound file: Excel 97-2003, or an xlsx with an opening password (also OLE)
    return wrongType('该文件是旧版 Excel 97-2003 工作簿（.xls）或设置了打开密码的文件。请在 Excel 中“另存为”Excel 工作簿（*.xlsx），取消密码后重新上传');
  }
  if (startsWith(file, 0x89, 0x50, 0x4e, 0x47)) return wrongType('该文件是 PNG 图片');
  if (startsWith(file, 0xff, 0xd8, 0xff)) return wrongType('该文件是 JPEG 图片');
  if (startsWith(file, 0x25, 0x50, 0x44, 0x46)) return wrongType('该文件是 PDF 文件');
  if (startsWith(file, 0x52, 0x61, 0x72, 0x21) || startsWith(file, 0x37, 0x7a, 0xbc, 0xaf)) return wrongType('该文件是压缩包（RAR/7z），请解压后上传其中的 .xlsx 文件');
  const head = file.subarray(0, 4096);
  if (!head.includes(0)) {
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (text.startsWith('{') || text.startsWith('[')) return wrongType('该文件是 JSON 文本');
    if (text.startsWith('<')) return wrongType('该文件是网页或 XML 文本');
    return wrongType('该文件是文本文件（如 CSV）。请在 Excel 中“另存为”Excel 工作簿（*.xlsx）后上传');
  }
  return wrongType('无法识别该文件的格式');
}

function safeNumber(value: bigint, refusals: XlsxRefusals): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw zipBomb('声明的大小超出范围', refusals.bombAdvice);
  return Number(value);
}

/** Finds the End Of Central Directory record (it ends the file, before a comment of up to 64 KB). */
function findEocd(file: Buffer): number {
  for (let i = file.length - 22; i >= Math.max(0, file.length - 22 - 0xffff); i--) {
    if (file.readUInt32LE(i) === EOCD && i + 22 + file.readUInt16LE(i + 20) <= file.length) return i;
  }
  return -1;
}

/** The entries the central directory lists; refuses more than MAX_ENTRIES before reading them. */
export function readZipDirectory(file: Buffer, refusals: XlsxRefusals): ZipEntry[] {
  const unreadable = (detail: string) => refusals.damaged(detail);
  const bomb = (detail: string) => zipBomb(detail, refusals.bombAdvice);
  const eocd = findEocd(file);
  if (eocd < 0) throw unreadable('找不到压缩目录');
  if (file.readUInt16LE(eocd + 4) !== 0 || file.readUInt16LE(eocd + 6) !== 0) throw unreadable('分卷压缩文件');
  let count = file.readUInt16LE(eocd + 10);
  let size = file.readUInt32LE(eocd + 12);
  let offset = file.readUInt32LE(eocd + 16);
  let directoryEnd = eocd;
  const locator = eocd - 20;
  if (locator >= 0 && file.readUInt32LE(locator) === ZIP64_LOCATOR) {
    // ZIP64: the real counts and offsets are in the ZIP64 end record the locator points to
    const at = safeNumber(file.readBigUInt64LE(locator + 8), refusals);
    if (at + 56 > locator || file.readUInt32LE(at) !== ZIP64_EOCD) throw unreadable('ZIP64 目录损坏');
    count = safeNumber(file.readBigUInt64LE(at + 32), refusals);
    size = safeNumber(file.readBigUInt64LE(at + 40), refusals);
    offset = safeNumber(file.readBigUInt64LE(at + 48), refusals);
    directoryEnd = at;
  } else if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw unreadable('ZIP64 目录缺失');
  }
  if (count > MAX_ENTRIES) throw bomb(`包含 ${count} 个部件，超过 ${MAX_ENTRIES} 个`);
  if (offset + size > directoryEnd) throw unreadable('压缩目录超出文件末尾');

  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > offset + size || file.readUInt32LE(p) !== CENTRAL) throw unreadable('压缩目录损坏');
    const flags = file.readUInt16LE(p + 8);
    const method = file.readUInt16LE(p + 10);
    const crc = file.readUInt32LE(p + 16);
    let compressedSize = file.readUInt32LE(p + 20);
    let uncompressedSize = file.readUInt32LE(p + 24);
    const nameLength = file.readUInt16LE(p + 28);
    const extraLength = file.readUInt16LE(p + 30);
    const commentLength = file.readUInt16LE(p + 32);
    let localOffset = file.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > offset + size) throw unreadable('压缩目录损坏');
    const name = file.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    // ZIP64 extra field: the 64-bit values of the fields set to 0xFFFFFFFF, in this order
    for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = file.readUInt16LE(x);
      const length = file.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        const next = (): number => {
          if (q + 8 > x + 4 + length) throw unreadable('ZIP64 字段损坏');
          const value = safeNumber(file.readBigUInt64LE(q), refusals);
          q += 8;
          return value;
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      x += 4 + length;
    }
    if (localOffset + 30 > offset || file.readUInt32LE(localOffset) !== LOCAL) throw unreadable(`部件 ${name} 损坏`);
    const dataOffset = localOffset + 30 + file.readUInt16LE(localOffset + 26) + file.readUInt16LE(localOffset + 28);
    if (dataOffset + compressedSize > offset) throw unreadable(`部件 ${name} 不完整`);
    entries.push({ name, method, flags, crc32: crc, compressedSize, uncompressedSize, dataOffset });
    p = end;
  }
  return entries;
}

/**
 * LibreOffice and WPS save OpenDocument files (a ZIP whose first, stored part `mimetype` names
 * the kind) when the registrar keeps their default format: name it and say how to save as .xlsx.
 */
function openDocumentType(file: Buffer, entries: ZipEntry[]): string | null {
  const mimetype = entries.find((e) => e.name === 'mimetype');
  if (!mimetype && !entries.some((e) => e.name === 'content.xml')) return null;
  const kind = mimetype && mimetype.method === 0 && mimetype.compressedSize < 200 ? file.toString('latin1', mimetype.dataOffset, mimetype.dataOffset + mimetype.compressedSize) : '';
  const saveAs = '请在 LibreOffice 或 WPS 中选择“文件 > 另存为”，文件类型选“Excel 2007-365 (.xlsx)”（WPS：Microsoft Excel 文件 *.xlsx），保存后上传 .xlsx 文件';
  if (kind.includes('opendocument.spreadsheet') || (!kind && entries.some((e) => e.name === 'content.xml'))) return `该文件是 OpenDocument 电子表格（.ods），不是 Excel 工作簿。${saveAs}`;
  if (kind.includes('opendocument')) return `该文件是 OpenDocument 文档（${kind.replace('application/vnd.oasis.opendocument.', '')}），不是 Excel 工作簿。${saveAs}`;
  return null;
}

/**
 * Throws the caller's refusal (a DomainError) unless the file is an xlsx whose declared content
 * is within what an import may expand to. The size of the upload itself is the caller's limit.
 */
export function inspectXlsxContainer(file: Buffer, refusals: XlsxRefusals): void {
  const wrongType = (what: string) => refusals.wrongType(what);
  const unreadable = (detail: string) => refusals.damaged(detail);
  const bomb = (detail: string) => zipBomb(detail, refusals.bombAdvice);
  if (file.length === 0) throw refusals.empty();
  if (!startsWith(file, 0x50, 0x4b, 0x03, 0x04)) {
    if (startsWith(file, 0x50, 0x4b, 0x05, 0x06)) throw wrongType('该文件是空的压缩包');
    throw notXlsx(file, refusals);
  }
  const entries = readZipDirectory(file, refusals);
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml') || !names.has('xl/workbook.xml')) {
    if (names.has('xl/workbook.bin')) throw wrongType('该文件是 Excel 二进制工作簿（.xlsb），请在 Excel 中“另存为”Excel 工作簿（*.xlsx）后上传');
    if (names.has('word/document.xml')) throw wrongType('该文件是 Word 文档');
    if (names.has('ppt/presentation.xml')) throw wrongType('该文件是 PowerPoint 演示文稿');
    const openDocument = openDocumentType(file, entries);
    if (openDocument) throw wrongType(openDocument);
    throw wrongType('该文件是 ZIP 压缩包，不是 Excel 工作簿');
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.flags & 0x1) throw wrongType('该文件设置了密码，请取消密码后重新保存为 .xlsx');
    if (entry.method !== 0 && entry.method !== 8) throw unreadable(`部件 ${entry.name} 使用了不支持的压缩方式`);
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) throw unreadable(`部件 ${entry.name} 损坏`);
    total += entry.uncompressedSize;
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > MAX_RATIO * Math.max(entry.compressedSize, 1)) {
      throw bomb(`部件 ${entry.name} 的压缩比超过 ${MAX_RATIO}:1`);
    }
  }
  if (total > MAX_UNCOMPRESSED_BYTES) throw bomb(`解压后共 ${Math.ceil(total / 1024 / 1024)} MB，超过 ${MAX_UNCOMPRESSED_BYTES / 1024 / 1024} MB`);
}

/** Inflates a deflated entry, counting and discarding, and stops as soon as it passes `limit` bytes. */
function inflatesWithin(data: Buffer, limit: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw({ chunkSize: 256 * 1024 }); // larger chunks: fewer thread-pool round trips
    let total = 0;
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        inflate.destroy();
        resolve(false);
      }
    });
    inflate.on('end', () => resolve(true));
    inflate.on('error', reject);
    inflate.end(data);
  });
}

/**
 * Inflates the deflated entries of an inspected xlsx (all, or those given) without keeping the
 * output, and refuses the file when one inflates beyond its declared size: the declared sizes
 * are what inspectXlsxContainer judged, so they must be true. Corrupt deflate data is unreadable.
 */
export async function verifyInflatedSizes(file: Buffer, refusals: XlsxRefusals, entries: readonly ZipEntry[] = readZipDirectory(file, refusals)): Promise<void> {
  for (const entry of entries) {
    if (entry.method !== 8) continue;
    let within: boolean;
    try {
      within = await inflatesWithin(file.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize), entry.uncompressedSize);
    } catch {
      throw refusals.damaged(`部件 ${entry.name} 损坏`);
    }
    if (!within) throw zipBomb(`部件 ${entry.name} 解压后超过其声明的大小`, refusals.bombAdvice);
  }
}

const CHUNK = 64 * 1024;

function localHeader(name: Buffer, method: number, crc: number, compressedSize: number, uncompressedSize: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(LOCAL, 0);
  header.writeUInt16LE(20, 4); // version needed: 2.0
  header.writeUInt16LE(0x800, 6); // UTF-8 name; no data descriptor, the sizes are here
  header.writeUInt16LE(method, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(0x21, 12); // 1980-01-01
  header.writeUInt32LE(crc >>> 0, 14);
  header.writeUInt32LE(compressedSize, 18);
  header.writeUInt32LE(uncompressedSize, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return header;
}

/** A part made up by the reader (stored, not compressed). */
export interface AddedPart {
  name: string;
  content: Buffer;
}

/**
 * Entries of an inspected file (and parts added by the reader) as a ZIP stream for a streaming
 * unzipper, in the order given, each with its sizes in its local header (a data descriptor
 * makes a streaming unzipper scan the data for the descriptor's signature). No central
 * directory: a streaming reader does not need one. Compressed data is passed through as is.
 */
export function zipPartsStream(file: Buffer, parts: ReadonlyArray<ZipEntry | AddedPart>): Readable {
  function* records(): Generator<Buffer> {
    for (const part of parts) {
      const name = Buffer.from(part.name, 'utf8');
      if ('content' in part) {
        yield localHeader(name, 0, crc32(part.content), part.content.length, part.content.length);
        yield name;
        yield part.content;
        continue;
      }
      yield localHeader(name, part.method, part.crc32, part.compressedSize, part.uncompressedSize);
      yield name;
      for (let at = part.dataOffset; at < part.dataOffset + part.compressedSize; at += CHUNK) {
        yield file.subarray(at, Math.min(at + CHUNK, part.dataOffset + part.compressedSize));
      }
    }
  }
  return Readable.from(records(), { objectMode: false });
}
