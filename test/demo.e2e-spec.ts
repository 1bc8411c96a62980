import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

const binary = (res: { on(event: string, cb: (chunk?: Buffer) => void): void }, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('npm run demo', () => {
  let app: NestFastifyApplication | undefined;
  afterAll(async () => {
    await app?.close();
  });

  it('loads a sample province whose accounts of every level log in with the known password', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'demo-')), 'data');
    const run = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'src', 'cli', 'demo.js')], { env: { ...process.env, DATA_DIR: dataDir, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 90_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Every account's password is Demo#2026/);
    // the closing hint names the folder: a plain `npm start` would serve ./data instead
    expect(run.stdout).toContain(`DATA_DIR=${JSON.stringify(dataDir)} npm start`);

    app = await createFixtureApp({ dataDir });
    const http = request(app.getHttpServer());
    for (const username of ['admin', '410100-leader', '410102-review', '1141010001-business']) {
      const res = await http.post('/api/v1/auth/login').send({ username, password: 'Demo#2026' }).expect(200);
      expect(res.body.mustChangePassword).toBe(false);
      const me = await http.get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
      expect(me.body.username).toBe(username);
      if (username === '410102-review') {
        const list = await http.get('/api/v1/institutions').set('Authorization', `Bearer ${res.body.token}`).set('X-Min-Position', String(await app!.get<EventStore>(EVENT_STORE).headPosition())).expect(200);
        expect(list.body.items.map((i: { id: string }) => i.id).sort()).toEqual(['1141010001', '1141010002', '2141010003']);
      }
      if (username === '410100-leader') {
        const refused = await http.post('/api/v1/unlicensed-institutions').set('Authorization', `Bearer ${res.body.token}`).send({}).expect(403);
        expect(refused.body.code).toBe('leader-read-only');
      }
    }

    // the primary school came in through the registry sync with its registrar, who can hand over a child of 1141010004
    expect(run.stdout).toMatch(/2141010301-registrar\s+2141010301 小学学籍管理员 \(institution school-registrar\)/);
    const registrar = await http.post('/api/v1/auth/login').send({ username: '2141010301-registrar', password: 'Demo#2026' }).expect(200);
    expect(registrar.body.mustChangePassword).toBe(false);
    const school = { Authorization: `Bearer ${registrar.body.token}` };
    const fresh = { 'X-Min-Position': String(await app.get<EventStore>(EVENT_STORE).headPosition()) };
    const kg = { Authorization: `Bearer ${(await http.post('/api/v1/auth/login').send({ username: '1141010004-business', password: 'Demo#2026' }).expect(200)).body.token}` };
    const numbered = (await http.get('/api/v1/records?status=numbered&limit=1').set(kg).set(fresh).expect(200)).body.items as Array<{ id: string }>;
    expect(numbered).toHaveLength(1);
    const child = (await http.get(`/api/v1/records/${numbered[0]!.id}`).set(kg).expect(200)).body.child as { name: string; gender: string; birthDate: string; idNumber: string };
    await http.get('/api/v1/handover/template').set(school).buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('新生名单');
    sheet.addRow(['姓名*', '性别*', '出生日期*', '身份证件类型*', '身份证件号码']);
    sheet.addRow([child.name, child.gender === '1' ? '男' : '女', child.birthDate, '居民身份证', child.idNumber]);
    const list = await http.post('/api/v1/handover/lists').set(school).set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(Buffer.from(await book.xlsx.writeBuffer())).expect(200);
    expect(list.body.counts).toMatchObject({ matched: 1 });

    const again = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'src', 'cli', 'demo.js')], { env: { ...process.env, DATA_DIR: dataDir, NODE_OPTIONS: '' }, encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/fresh embedded data folder/);
  }, 120_000);
});
