import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { type UploadLimits, readUpload } from './multipart-upload.js';
import { ProblemException } from './problem.js';
import { rawPost } from '../../../test/fixtures/raw-post.js';

const MB = 1024 * 1024;
const EVIDENCE: UploadLimits = { maxFiles: 3, maxFileBytes: 1 * MB, maxTotalBytes: 2 * MB, allowedTypes: ['application/pdf', 'image/jpeg', 'image/png'] };

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x41), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(700, 9)]);
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(300, 1)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]);

type Part = { name: string; value: string } | { name: string; fileName: string; bytes: Buffer; type?: string; encodedName?: boolean };
const BOUNDARY = '----evidence7MA4YWxkTrZu0gW';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function partHead(part: Part): string {
  if ('value' in part) return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`;
  // browsers send the name as raw UTF-8; RFC 7578 clients may use filename*=UTF-8''...
  const name = part.encodedName ? `filename*=UTF-8''${encodeURIComponent(part.fileName)}` : `filename="${part.fileName}"`;
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; ${name}\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`;
}

function body(parts: Part[]): Buffer {
  return Buffer.concat([...parts.flatMap((p) => [Buffer.from(partHead(p)), 'value' in p ? Buffer.from(p.value) : p.bytes, Buffer.from('\r\n')]), Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

/** A multipart body with one file of `fileBytes` made up as it is read, counting what was read. */
function hugeUpload(fileName: string, fileBytes: number): { stream: Readable; pulled: () => number } {
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  chunk.write('%PDF-1.7\n');
  let sent = 0;
  let pulled = 0;
  const head = Buffer.from(partHead({ name: 'files', fileName, bytes: Buffer.alloc(0), type: 'application/pdf' }));
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const stream = new Readable({
    read() {
      let next: Buffer | null;
      if (sent === 0) next = head;
      else if (sent - head.length < fileBytes) next = chunk.subarray(0, Math.min(chunk.length, fileBytes - (sent - head.length)));
      else if (sent - head.length === fileBytes) next = tail;
      else next = null;
      if (next !== null) {
        sent += next.length;
        pulled += next.length;
      }
      this.push(next);
    },
  });
  return { stream, pulled: () => pulled };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('readUpload (multipart/form-data evidence uploads)', () => {
  let app: FastifyInstance;
  let limits: UploadLimits = EVIDENCE;

  beforeAll(async () => {
    app = Fastify();
    // the global limits bootstrap.ts registers; readUpload applies its own per call
    await app.register(multipart, { limits: { files: 10, fileSize: 10 * MB } });
    app.post('/upload', async (request, reply) => {
      try {
        const upload = await readUpload(request, limits);
        return {
          fields: upload.fields,
          files: upload.files.map((f) => ({ field: f.field, fileName: f.fileName, contentType: f.contentType, size: f.size, sha256: f.sha256, bytesSha256: sha256(f.bytes) })),
        };
      } catch (error) {
        // what ProblemFilter does in the service
        if (!(error instanceof ProblemException)) throw error;
        const received = request.raw.socket.bytesRead;
        return reply.status(error.status).headers(error.headers).send({ code: error.code, message: error.message, errors: error.errors, ...error.extensions, received });
      }
    });
    app.post('/ignores-body', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
  });

  /** A real request on the listening server (see rawPost for why not app.inject()). */
  const send = (payload: Buffer | Readable, headers: Record<string, string>) => rawPost((app.server.address() as AddressInfo).port, '/upload', payload, headers);

  const post = (payload: Buffer | Readable, uploadLimits: UploadLimits = EVIDENCE, contentType = CONTENT_TYPE) => {
    limits = uploadLimits;
    return send(payload, { 'content-type': contentType });
  };

  it('reads every file and field; types come from the bytes; Chinese file names survive both encodings', async () => {
    const res = await post(
      body([
        { name: 'reason', value: '两条记录为同一幼儿，附出生医学证明' },
        { name: 'files', fileName: '出生医学证明.pdf', bytes: PDF, type: 'application/octet-stream' },
        { name: 'files', fileName: '户口簿 第1页.png', bytes: PNG, type: 'image/jpeg' },
        { name: 'files', fileName: '照片（正面）.jpg', bytes: JPEG, encodedName: true },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.json['fields']).toEqual({ reason: '两条记录为同一幼儿，附出生医学证明' });
    expect(res.json['files']).toEqual([
      { field: 'files', fileName: '出生医学证明.pdf', contentType: 'application/pdf', size: PDF.length, sha256: sha256(PDF), bytesSha256: sha256(PDF) },
      { field: 'files', fileName: '户口簿 第1页.png', contentType: 'image/png', size: PNG.length, sha256: sha256(PNG), bytesSha256: sha256(PNG) },
      { field: 'files', fileName: '照片（正面）.jpg', contentType: 'image/jpeg', size: JPEG.length, sha256: sha256(JPEG), bytesSha256: sha256(JPEG) },
    ]);
  });

  it('refuses an empty file and names it', async () => {
    const res = await post(body([{ name: 'files', fileName: '证明.pdf', bytes: PDF }, { name: 'files', fileName: '空白.pdf', bytes: Buffer.alloc(0) }]));
    expect(res.status).toBe(400);
    expect(res.json['code']).toBe('file-empty');
    expect(res.json['errors']).toEqual([{ field: 'files[1]', code: 'file-empty', value: '空白.pdf', message: expect.stringContaining('空白.pdf') }]);
  });

  it('refuses a file over the size limit, naming it and the limit in MB', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(1 * MB)]);
    const res = await post(body([{ name: 'files', fileName: '体检报告.pdf', bytes: big }, { name: 'files', fileName: '证明.png', bytes: PNG }]));
    expect(res.status).toBe(413);
    expect(res.json['code']).toBe('file-too-large');
    expect(res.json['errors']).toEqual([{ field: 'files[0]', code: 'file-too-large', value: '体检报告.pdf', message: expect.stringContaining('1 MB') }]);
    expect(res.json['message']).toContain('体检报告.pdf');
    expect(res.json['incomplete']).toBeUndefined();
  });

  it('stops reading a 30 MB upload soon after the limit and answers 413, without receiving (or buffering) the rest', async () => {
    const upload = hugeUpload('扫描件.pdf', 30 * MB);
    const memoryBefore = process.memoryUsage().arrayBuffers;
    const res = await post(upload.stream);
    expect(res.status).toBe(413);
    expect(res.json['code']).toBe('file-too-large');
    expect(res.json['errors']).toEqual([{ field: 'files[0]', code: 'file-too-large', value: '扫描件.pdf', message: expect.stringContaining('1 MB') }]);
    expect(res.json['incomplete']).toBe(true);
    expect(res.headers['connection']).toBe('close');
    // reading stops at maxTotalBytes + fields + framing (4.25 MB here); the server read little more
    expect(res.json['received']).toBeGreaterThan(4 * MB);
    expect(res.json['received']).toBeLessThan(5 * MB);
    // the client got its answer before sending all (what it sent beyond is in socket buffers)
    expect(upload.pulled()).toBeLessThan(20 * MB);
    expect(process.memoryUsage().arrayBuffers - memoryBefore).toBeLessThan(20 * MB);
    // the refused connection was closed; the server goes on answering
    const { port } = app.server.address() as AddressInfo;
    expect((await fetch(`http://127.0.0.1:${port}/ignores-body`, { method: 'POST' })).status).toBe(200);
  });

  it('refuses more files than allowed and names each one over the count', async () => {
    const res = await post(
      body([
        { name: 'files', fileName: '1.pdf', bytes: PDF },
        { name: 'files', fileName: '2.pdf', bytes: PDF },
        { name: 'files', fileName: '3.png', bytes: PNG },
        { name: 'files', fileName: '第四份.png', bytes: PNG },
        { name: 'files', fileName: '第五份.jpg', bytes: JPEG },
      ]),
    );
    expect(res.status).toBe(413);
    expect(res.json['code']).toBe('too-many-files');
    expect(res.json['errors'].map((e: { field: string; code: string; value: string }) => [e.field, e.code, e.value])).toEqual([
      ['files[3]', 'too-many-files', '第四份.png'],
      ['files[4]', 'too-many-files', '第五份.jpg'],
    ]);
    expect(res.json['message']).toContain('3 个');
  });

  it('stops at a flood of files, naming the first ones over the count', async () => {
    const flood = Array.from({ length: 40 }, (_, i) => ({ name: 'files', fileName: `照片${i + 1}.png`, bytes: PNG }));
    const res = await post(body(flood), { ...EVIDENCE, maxFiles: 2 });
    expect(res.status).toBe(413);
    expect(res.json['code']).toBe('too-many-files');
    const named = res.json['errors'].filter((e: { field: string }) => e.field !== 'files');
    expect(named).toHaveLength(20);
    expect(named[0]).toMatchObject({ field: 'files[2]', code: 'too-many-files', value: '照片3.png' });
    expect(res.json['errors']).toContainEqual({ field: 'files', code: 'too-many-files', message: expect.stringContaining('其余文件未读取') });
  });

  it('refuses files whose content is not PDF/JPG/PNG whatever their name and declared type, naming what they are', async () => {
    const res = await post(
      body([
        { name: 'files', fileName: '证明.pdf', bytes: ZIP, type: 'application/pdf' },
        { name: 'files', fileName: '户口簿.jpg', bytes: JPEG },
        { name: 'files', fileName: '说明.pdf', bytes: EXE, type: 'application/pdf' },
      ]),
    );
    expect(res.status).toBe(415);
    expect(res.json['code']).toBe('file-type');
    expect(res.json['errors']).toEqual([
      { field: 'files[0]', code: 'file-type', value: '证明.pdf', message: expect.stringMatching(/ZIP.*PDF、JPG、PNG/) },
      { field: 'files[2]', code: 'file-type', value: '说明.pdf', message: expect.stringMatching(/可执行程序.*PDF、JPG、PNG/) },
    ]);
  });

  it('refuses a type the caller does not allow even when it is one the sniffer knows', async () => {
    const res = await post(body([{ name: 'files', fileName: '照片.png', bytes: PNG }]), { ...EVIDENCE, allowedTypes: ['application/pdf'] });
    expect(res.status).toBe(415);
    expect(res.json['errors']).toEqual([{ field: 'files[0]', code: 'file-type', value: '照片.png', message: expect.stringMatching(/PNG 图片.*只接受 PDF 格式/) }]);
  });

  it('reports every bad file at once, with the most useful code on top', async () => {
    const res = await post(
      body([
        { name: 'files', fileName: '空.pdf', bytes: Buffer.alloc(0) },
        { name: 'files', fileName: '压缩包.pdf', bytes: ZIP },
        { name: 'files', fileName: '太大.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(1 * MB)]) },
      ]),
    );
    expect(res.status).toBe(413);
    expect(res.json['code']).toBe('file-too-large');
    expect(res.json['errors'].map((e: { field: string; code: string; value: string }) => [e.field, e.code, e.value])).toEqual([
      ['files[0]', 'file-empty', '空.pdf'],
      ['files[1]', 'file-type', '压缩包.pdf'],
      ['files[2]', 'file-too-large', '太大.pdf'],
    ]);
    expect(res.json['message']).toMatch(/3 处问题.*空\.pdf.*压缩包\.pdf.*太大\.pdf/);
  });

  it('refuses files that are each within the limit but together too large, naming the file that crosses it', async () => {
    const piece = (fill: number) => Buffer.concat([PDF, Buffer.alloc(900 * 1024, fill)]);
    const res = await post(body([{ name: 'files', fileName: 'a.pdf', bytes: piece(1) }, { name: 'files', fileName: 'b.pdf', bytes: piece(2) }, { name: 'files', fileName: 'c.pdf', bytes: piece(3) }]));
    expect(res.status).toBe(413);
    expect(res.json['code']).toBe('upload-too-large');
    expect(res.json['errors']).toEqual([{ field: 'files[2]', code: 'upload-too-large', value: 'c.pdf', message: expect.stringContaining('2 MB') }]);
  });

  it('asks for a file when none was sent, also when a browser sent its empty file input', async () => {
    const onlyField = await post(body([{ name: 'reason', value: '重复' }]));
    expect(onlyField.status).toBe(400);
    expect(onlyField.json['code']).toBe('files-required');
    expect(onlyField.json['errors']).toEqual([{ field: 'files', code: 'files-required', message: expect.stringContaining('PDF、JPG、PNG') }]);
    const emptyInput = await post(body([{ name: 'reason', value: '重复' }, { name: 'files', fileName: '', bytes: Buffer.alloc(0) }]));
    expect(emptyInput.status).toBe(400);
    expect(emptyInput.json['code']).toBe('files-required');
  });

  it('refuses a request that is not multipart/form-data', async () => {
    limits = EVIDENCE;
    const json = await send(Buffer.from(JSON.stringify({ files: ['证明.pdf'] })), { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(json.json).toMatchObject({ code: 'upload-not-multipart', errors: [] });
  });

  it('refuses a text field over its limit, naming the field', async () => {
    const res = await post(body([{ name: 'reason', value: '很长'.repeat(100) }, { name: 'files', fileName: '证明.pdf', bytes: PDF }]), { ...EVIDENCE, maxFieldBytes: 100 });
    expect(res.status).toBe(413);
    expect(res.json['code']).toBe('field-too-large');
    expect(res.json['errors']).toEqual([{ field: 'reason', code: 'field-too-large', message: expect.stringContaining('reason') }]);
  });

  it('applies the one text rule to fields and file names: trimmed and NFC, control and invisible characters refused', async () => {
    const kept = await post(body([{ name: 'reason', value: '  幼儿在园\r\n附缴费凭证  ' }, { name: 'files', fileName: ' Zoe\u0308.pdf ', bytes: PDF }]));
    expect(kept.status).toBe(200);
    expect(kept.json['fields']).toEqual({ reason: '幼儿在园\n附缴费凭证' });
    expect(kept.json['files'][0].fileName).toBe('Zo\u00eb.pdf');
    const refused = await post(body([{ name: 'reason', value: '幼儿\u202e在园' }, { name: 'files', fileName: '证明\u0000.pdf', bytes: PDF }]));
    expect(refused.status).toBe(400);
    expect(refused.json['code']).toBe('invalid-text');
    expect(refused.json['errors'].map((e: { field: string }) => e.field)).toEqual(['reason', 'files[0]']);
    expect(refused.json['message']).toMatch(/不可见字符/);
  });

  it('answers a cut-off or boundary-less body as malformed instead of hanging', async () => {
    const whole = body([{ name: 'files', fileName: '证明.pdf', bytes: PDF }]);
    const cut = await post(whole.subarray(0, whole.length - 200));
    expect(cut.status).toBe(400);
    expect(cut.json['code']).toBe('upload-malformed');
    const noBoundary = await post(whole, EVIDENCE, 'multipart/form-data');
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.json['code']).toBe('upload-malformed');
  });
});
