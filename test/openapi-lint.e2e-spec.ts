import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/bootstrap.js';
import { quietLogger, testConfig } from './fixtures/fixture-app.js';

/**
 * The OpenAPI document the service publishes, linted with Redocly's recommended rules
 * (redocly.yaml): whatever controllers the app has, the document must lint with no errors.
 */
describe('OpenAPI document (lint)', () => {
  let app: NestFastifyApplication;
  let doc: Record<string, any>;
  let file: string;

  beforeAll(async () => {
    app = await createApp({ config: testConfig(), logger: quietLogger });
    doc = (await request(app.getHttpServer()).get('/api/v1/openapi.json').expect(200)).body;
    file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
  });
  afterAll(async () => {
    await app.close();
  });

  it('passes redocly lint (recommended rules) with no errors', () => {
    const run = spawnSync(join(process.cwd(), 'node_modules', '.bin', 'redocly'), ['lint', file, '--config', join(process.cwd(), 'redocly.yaml'), '--format', 'json'], { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
    const errors = report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    const warnings = report.problems.filter((p) => p.severity === 'warn').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    console.log(warnings.join('\n'));
    expect(errors).toEqual([]);
  });
});
