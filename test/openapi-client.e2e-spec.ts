import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { child } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';

const bin = (name: string) => join(process.cwd(), 'node_modules', '.bin', name);

/**
 * An integrator's view (issue 22, item 1): a typed client generated from the published OpenAPI
 * document with openapi-typescript, a registration walked through it against the real service
 * listening on a port. The walk (test/fixtures/typed-client/) must compile against the
 * generated types, so a path, field or answer the document lacks fails here.
 */
describe('typed client generated from the OpenAPI document', () => {
  const demo = useDemoApp();
  let dir: string;
  let baseUrl: string;

  beforeAll(async () => {
    await demo.app.listen(0, '127.0.0.1');
    const address = demo.app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    dir = mkdtempSync(join(tmpdir(), 'typed-client-'));
    writeFileSync(join(dir, 'openapi.json'), await (await fetch(`${baseUrl}/api/v1/openapi.json`)).text());
  });

  it('generates the paths types and the walk compiles against them', () => {
    const generated = spawnSync(bin('openapi-typescript'), [join(dir, 'openapi.json'), '--output', join(dir, 'openapi-schema.d.ts')], { encoding: 'utf8' });
    expect({ status: generated.status, output: generated.status === 0 ? '' : generated.stdout + generated.stderr }).toEqual({ status: 0, output: '' });
    expect(readFileSync(join(dir, 'openapi-schema.d.ts'), 'utf8')).toMatch(/"\/api\/v1\/records\/\{id\}\/approve"/);
    for (const file of ['client.ts', 'walk.ts']) copyFileSync(join(process.cwd(), 'test', 'fixtures', 'typed-client', file), join(dir, file));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'ES2023', lib: ['ES2023', 'DOM'], module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true, types: [], exactOptionalPropertyTypes: false },
      files: ['client.ts', 'walk.ts', 'openapi-schema.d.ts'],
    }));
    const checked = spawnSync(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  }, 120_000);

  it('walks a registration through it: enter, submit, approve, read back with names', async () => {
    const birthDate = '2022-06-01';
    // imported by a computed name: the project's type check does not follow it (the generated types exist only here)
    const walkModule: string = './fixtures/typed-client/walk.js';
    const { registrationWalk } = (await import(walkModule)) as { registrationWalk: (input: Record<string, unknown>) => Promise<any> };
    const result = await registrationWalk({ baseUrl, password: DEMO_PASSWORD, institutionCode: '1141010001', child: child('赵小雨', birthDate, 41) });
    expect(result).toMatchObject({
      me: { username: '1141010001-business', role: 'business' },
      savedStatus: 'saved',
      submission: { passed: 1, outcome: 'dedupe-passed' },
      approved: { status: 'numbered' },
      record: { status: 'numbered', name: '赵小雨' },
    });
    expect(result.approved.recordNumber).toMatch(/^G/);
    expect(result.record.institutionName).toEqual(expect.any(String));
    expect(result.historyActors).toEqual(expect.arrayContaining(['RecordSaved:1141010001-business', 'RecordApproved:1141010001-review']));
    expect(result.listed).toEqual([result.record.institutionName]);
  });
});
