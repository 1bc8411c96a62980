import { describe, expect, it } from '@jest/globals';
import { FILE_TYPE_LABEL, SNIFF_BYTES, describeUnacceptedType, sniffFileType } from './file-type.js';

const bytes = (...values: number[]) => Buffer.from(values);

describe('sniffFileType', () => {
  it('knows PDF, JPEG and PNG by their first bytes', () => {
    expect(sniffFileType(Buffer.from('%PDF-1.4\n%âãÏÓ\n'))).toBe('application/pdf');
    expect(sniffFileType(bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46))).toBe('image/jpeg');
    expect(sniffFileType(bytes(0xff, 0xd8, 0xff, 0xe1))).toBe('image/jpeg'); // EXIF, as phones write them
    expect(sniffFileType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d))).toBe('image/png');
  });

  it('answers null for anything else, including near misses and files too short to tell', () => {
    expect(sniffFileType(Buffer.alloc(0))).toBeNull();
    expect(sniffFileType(Buffer.from('%PDF'))).toBeNull(); // the dash belongs to the signature
    expect(sniffFileType(Buffer.from('%PDX-1.4'))).toBeNull();
    expect(sniffFileType(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffFileType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a))).toBeNull(); // PNG cut one byte short
    expect(sniffFileType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeNull();
    expect(sniffFileType(Buffer.from(' %PDF-1.4'))).toBeNull(); // the signature must be at the start
    expect(sniffFileType(Buffer.from('<html>%PDF-1.4'))).toBeNull();
  });

  it('needs no more than SNIFF_BYTES leading bytes', () => {
    expect(SNIFF_BYTES).toBe(8);
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3);
    expect(sniffFileType(png.subarray(0, SNIFF_BYTES))).toBe('image/png');
  });

  it('labels every type in Chinese with its extensions', () => {
    expect(FILE_TYPE_LABEL['application/pdf']).toEqual({ label: 'PDF 文档', extensions: ['.pdf'] });
    expect(FILE_TYPE_LABEL['image/jpeg'].extensions).toEqual(['.jpg', '.jpeg']);
    expect(FILE_TYPE_LABEL['image/png'].label).toBe('PNG 图片');
  });
});

describe('describeUnacceptedType', () => {
  it('names common wrong files so the message can say what was sent', () => {
    expect(describeUnacceptedType(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0))).toMatch(/ZIP/);
    expect(describeUnacceptedType(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))).toMatch(/\.doc/);
    expect(describeUnacceptedType(Buffer.from('MZ\x90\x00'))).toMatch(/可执行程序/);
    expect(describeUnacceptedType(Buffer.from('GIF89a'))).toBe('GIF 图片');
    expect(describeUnacceptedType(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 '))).toBe('WebP 图片');
    expect(describeUnacceptedType(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00'))).toMatch(/HEIC/);
    expect(describeUnacceptedType(Buffer.from('hello'))).toBe('无法识别的文件类型');
  });
});
