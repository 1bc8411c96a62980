import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

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

    const again = spawnSync(process.execPath, [join(process.cwd(), 'dist', 'src', 'cli', 'demo.js')], { env: { ...process.env, DATA_DIR: dataDir, NODE_OPTIONS: '' }, encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/fresh embedded data folder/);
  }, 120_000);
});
