import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { rawPost } from './fixtures/raw-post.js';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Inject, Module, Post, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import request from 'supertest';
import { createApp } from '../src/bootstrap.js';
import { type AppConfig, loadConfig } from '../src/config/app-config.js';
import { FILE_STORE, type FileStore } from '../src/shared/files/file-store.port.js';
import { readUpload } from '../src/shared/http/multipart-upload.js';
import { Public } from '../src/shared/http/public.decorator.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { quietLogger } from './fixtures/fixture-app.js';
import { TEST_ENV } from './fixtures/test-env.js';
import { firstLogin } from './fixtures/sessions.js';

const MB = 1024 * 1024;
const PDF = Buffer.from('%PDF-1.7\n出生医学证明\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 3)]);

/** A route as the case workflow will write one: read the upload, store each file, answer the hashes. */
@Controller('test-evidence')
class EvidenceProbeController {
  constructor(@Inject(FILE_STORE) private readonly files: FileStore) {}

  @Public()
  @Post()
  async upload(@Req() req: FastifyRequest) {
    const upload = await readUpload(req, { maxFiles: 3, maxFileBytes: 1 * MB, maxTotalBytes: 2 * MB, allowedTypes: ['application/pdf', 'image/jpeg', 'image/png'] });
    const files = [];
    for (const file of upload.files) files.push({ fileName: file.fileName, contentType: file.contentType, ...(await this.files.put(file.bytes)) });
    return { reason: upload.fields['reason'] ?? null, files };
  }
}

@Module({ controllers: [EvidenceProbeController] })
class EvidenceProbeModule {}

const BOUNDARY = '----evidence-e2e';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
const form = (fileBytes: number) =>
  Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin\r\n`),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="出生医学证明.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`),
    Buffer.alloc(fileBytes, 0x41),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);

/**
 * The evidence pieces inside the real service: readUpload behind Nest's pipeline and
 * ProblemFilter, the FILE_STORE provider, and @fastify/multipart registered for every route
 * (bootstrap.ts) although only routes that call readUpload() read such a body. Everywhere else
 * the route sees no body and answers as it would without one; the connection must go on
 * serving requests, however large the ignored upload.
 */
describe('evidence uploads and files in the service', () => {
  let app: NestFastifyApplication;
  let port: number;
  let token: string;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    const config: AppConfig = { ...loadConfig(TEST_ENV), dataDir: mkdtempSync(join(tmpdir(), 'preschool-')), bootstrapAdminPassword: 'Init#Pass2026' };
    app = await createApp({ config, logger: quietLogger, extraModules: [EvidenceProbeModule] });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.getHttpServer().address() as AddressInfo).port;
    token = await firstLogin(request(app.getHttpServer()), 'admin', 'Init#Pass2026');
  });
  afterAll(async () => {
    agent.destroy();
    await app.close();
  });

  /** one keep-alive connection for every request, to see that each one leaves it usable */
  const send = (path: string, body: Buffer, contentType: string) =>
    new Promise<{ status: number; json: { code: string }; socket: Socket }>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', agent, method: 'POST', path, headers: { 'content-type': contentType, 'content-length': String(body.length), authorization: `Bearer ${token}` } });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as { code: string }, socket: req.socket as Socket }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('a route reads an upload through Nest with readUpload and stores the files (supertest .attach, Chinese names)', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/v1/test-evidence')
      .field('reason', '同一幼儿的两条记录')
      .attach('files', PDF, { filename: '出生医学证明.pdf', contentType: 'application/octet-stream' })
      .attach('files', PNG, '户口簿.png')
      .expect(201);
    const files = app.get<FileStore>(FILE_STORE);
    expect(res.body).toEqual({
      reason: '同一幼儿的两条记录',
      files: [
        { fileName: '出生医学证明.pdf', contentType: 'application/pdf', sha256: createHash('sha256').update(PDF).digest('hex'), size: PDF.length },
        { fileName: '户口簿.png', contentType: 'image/png', sha256: createHash('sha256').update(PNG).digest('hex'), size: PNG.length },
      ],
    });
    expect((await files.read(res.body.files[1].sha256))?.equals(PNG)).toBe(true);
  });

  it('a refused upload is problem details through the service\'s ProblemFilter, and stores nothing', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 1)]);
    const goodPdf = Buffer.from('%PDF-1.7\n一份合格的证明\n%%EOF\n');
    const res = await request(app.getHttpServer()).post('/api/v1/test-evidence').attach('files', goodPdf, '证明.pdf').attach('files', zip, '病历.pdf').expect(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:preschool-records:problem:file-type',
      status: 415,
      code: 'file-type',
      errors: [{ field: 'files[1]', code: 'file-type', value: '病历.pdf' }],
      limits: { maxFiles: 3, maxFileBytes: MB },
    });
    expect(res.body.message).toMatch(/病历\.pdf.*ZIP.*PDF、JPG、PNG/);
    expect(await app.get<FileStore>(FILE_STORE).has(createHash('sha256').update(goodPdf).digest('hex'))).toBe(false);
  });

  it('a 30 MB upload is refused once past the limits, the connection closed, and the service goes on', async () => {
    const raw = await rawPost(port, '/api/v1/test-evidence', form(30 * MB), { 'content-type': MULTIPART });
    const answer = { status: raw.status, connection: raw.headers['connection'], code: raw.json['code'] };
    expect(answer).toEqual({ status: 413, connection: 'close', code: 'file-too-large' });
    await request(app.getHttpServer()).post('/api/v1/test-evidence').attach('files', PNG, 'again.png').expect(201);
  });

  it('the service provides the file store on its data folder', async () => {
    const files = app.get<FileStore>(FILE_STORE);
    const bytes = Buffer.from('%PDF-1.7\n佐证材料\n');
    const stored = await files.put(bytes);
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const dataDir = app.get<AppConfig>(APP_CONFIG).dataDir;
    expect(existsSync(join(dataDir, 'files', stored.sha256.slice(0, 2), stored.sha256))).toBe(true);
    expect((await files.read(stored.sha256))?.equals(bytes)).toBe(true);
  });

  it('a JSON route answers as for a missing body (400), and the connection serves the next request', async () => {
    const upload = await send('/api/v1/auth/login', form(1000), MULTIPART);
    expect(upload.status).toBe(400);
    expect(upload.json.code).toBe('validation-failed');
    const next = await send('/api/v1/auth/login', json({ username: 'nobody', password: 'wrong#Pass1' }), 'application/json');
    expect(next.status).toBe(401);
    expect(next.socket).toBe(upload.socket);
  });

  it('a raw-spreadsheet route refuses a 30 MB multipart upload as the wrong type (415), and the connection goes on', async () => {
    const upload = await send('/api/v1/institution-registry/sync', form(30 * MB), MULTIPART);
    expect(upload.status).toBe(415);
    expect(upload.json.code).toBe('registry-file-type');
    const next = await send('/api/v1/institution-registry/sync', Buffer.from('not,a,registry'), 'text/csv');
    expect(next.status).toBeGreaterThanOrEqual(400);
    expect(next.json.code).not.toBe('registry-file-type');
    expect(next.socket).toBe(upload.socket);
  });
});
