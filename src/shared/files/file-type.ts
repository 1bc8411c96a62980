/**
 * What a file really is, from its first bytes. File names and declared Content-Types are
 * whatever the sender's computer says (a renamed .zip stays a zip), so uploads are judged by
 * their content alone.
 */

export type SniffedFileType = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: ReadonlyArray<readonly [SniffedFileType, readonly number[]]> = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
];

/** The longest signature: how many leading bytes sniffFileType needs. */
export const SNIFF_BYTES = Math.max(...SIGNATURES.map(([, signature]) => signature.length));

export function sniffFileType(bytes: Buffer): SniffedFileType | null {
  for (const [type, signature] of SIGNATURES) {
    if (bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte)) return type;
  }
  return null;
}

/** How a registrar knows each accepted type: the Chinese label and the usual extensions. */
export const FILE_TYPE_LABEL: Readonly<Record<SniffedFileType, { label: string; extensions: readonly string[] }>> = {
  'application/pdf': { label: 'PDF 文档', extensions: ['.pdf'] },
  'image/jpeg': { label: 'JPG 图片', extensions: ['.jpg', '.jpeg'] },
  'image/png': { label: 'PNG 图片', extensions: ['.png'] },
};

/**
 * Names a file that is none of the accepted types, so the message can say what it is instead
 * of only "wrong type" (a registrar who sees "Word 文档" knows to export it as PDF first).
 */
export function describeUnacceptedType(bytes: Buffer): string {
  const starts = (...signature: number[]) => bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);
  if (bytes.length === 0) return '空文件';
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'ZIP 压缩包或 Office 文档（Word/Excel）';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return '旧版 Office 文档（.doc/.xls）';
  if (starts(0x4d, 0x5a)) return '可执行程序（.exe）';
  if (starts(0x52, 0x61, 0x72, 0x21)) return 'RAR 压缩包';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return '7z 压缩包';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'GIF 图片';
  if (starts(0x42, 0x4d)) return 'BMP 图片';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'TIFF 图片';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'WebP 图片';
  if (/^ftyp(heic|heix|mif1)/.test(bytes.subarray(4, 12).toString('latin1'))) return 'HEIC 图片（苹果手机照片）';
  return '无法识别的文件类型';
}
