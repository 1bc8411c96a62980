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
    expect(errors).toEqual([]);
    if (process.env['OPENAPI_LINT_VERBOSE']) console.log(warnings.join('\n'));
    // the warnings that matter to a client generator are kept at zero too
    expect(warnings.filter((w) => /^(operation-4xx-response|no-invalid-schema-examples|no-invalid-media-type-examples|operation-2xx-response|tag-description)/.test(w))).toEqual([]);
  });

  const operations = () =>
    Object.entries(doc['paths'] as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).filter(([method]) => ['get', 'put', 'post', 'delete', 'patch'].includes(method)).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
    );

  it('describes every operation in Chinese, with a schema for each answer and RFC 9457 problems for its 4xx', () => {
    const cjk = /[\u4e00-\u9fff]/;
    const gaps: string[] = [];
    for (const { where, op } of operations()) {
      if (!cjk.test(op.summary ?? '')) gaps.push(`${where}: summary not Chinese`);
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        const content = response.content as Record<string, { schema?: any }> | undefined;
        if (!content || Object.values(content).some((c) => !c.schema)) gaps.push(`${where} ${status}: no schema`);
        if (status.startsWith('4') && content?.['application/problem+json']?.schema?.['$ref'] !== '#/components/schemas/ProblemDto') gaps.push(`${where} ${status}: not a problem`);
      }
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body?.['$ref']) {
        const schema = doc['components'].schemas[String(body['$ref']).split('/').pop()!];
        if (Object.keys(schema?.properties ?? {}).length === 0) gaps.push(`${where}: request body lists no fields`);
      }
    }
    expect(gaps).toEqual([]);
    for (const tag of doc['tags'] as { name: string; description: string }[]) expect(tag.description).toMatch(cjk);
  });

  it('types nullable fields as nullable strings, lists each header once, marks filters optional and calls the token opaque', () => {
    const objects: string[] = [];
    for (const [name, schema] of Object.entries(doc['components'].schemas as Record<string, any>)) {
      for (const [field, property] of Object.entries((schema.properties ?? {}) as Record<string, any>)) {
        // a property reflected from `string | null` without a type comes out as an empty object type
        if (property.type === 'object' && !property.properties && property.additionalProperties === undefined && !property.allOf && !property.oneOf) objects.push(`${name}.${field}`);
      }
    }
    expect(objects).toEqual([]);
    expect(doc['components'].schemas['ChildDto'].properties.idNumber).toMatchObject({ type: 'string', nullable: true });
    for (const { where, op } of operations()) {
      const headers = (op.parameters ?? []).filter((p: any) => p.in === 'header').map((p: any) => p.name.toLowerCase());
      expect({ where, headers }).toEqual({ where, headers: [...new Set(headers)] });
      for (const query of (op.parameters ?? []).filter((p: any) => p.in === 'query')) expect({ where, name: query.name, required: query.required }).toEqual({ where, name: query.name, required: false });
    }
    expect(doc['components'].securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc['components'].securitySchemes.bearer.bearerFormat).not.toMatch(/JWT/i);
    expect(doc['components'].schemas['ProblemDto'].required).toEqual(expect.arrayContaining(['type', 'title', 'status', 'code', 'message']));
  });
});
