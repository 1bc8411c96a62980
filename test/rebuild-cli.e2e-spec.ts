import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_LOCK_FILE } from '../src/shared/infrastructure/service-lock.js';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { pruneProjections } from '../src/cli/prune.js';
import { rebuildProjections } from '../src/cli/rebuild.js';
import type { AppConfig } from '../src/config/app-config.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { physicalCollection } from '../src/shared/projections/projection-definition.js';
import { SqliteReadStore } from '../src/shared/read-store/sqlite.read-store.js';
import { ALL_PROJECTIONS } from '../src/projection-catalog.js';
import { createFixtureApp, fixtureSchemaDir, quietLogger, testConfig } from './fixtures/fixture-app.js';
import { LEDGER_EVENTS } from './fixtures/ledger/ledger.decider.js';
import { ledgerAccountsProjection } from './fixtures/ledger/ledger.projection.js';

describe('projection rebuild', () => {
  it('replays the log into the projection and gives the same documents the service built', async () => {
    const app = await createFixtureApp();
    const config = app.get<AppConfig>(APP_CONFIG);
    const http = request(app.getHttpServer());
    let position = 0;
    for (let i = 0; i < 12; i++) {
      const id = `r-${randomUUID()}`;
      await http.post('/api/v1/test-ledger/accounts').set('X-Test-Actor', 'a:b:c').send({ accountId: id, owner: `o${i % 2}` }).expect(201);
      position = (await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', 'a:b:c').send({ amount: i + 1 }).expect(200)).body.position;
    }
    const before = (await http.get('/api/v1/test-ledger/accounts').query({ limit: 100 }).set('X-Min-Position', String(position)).expect(200)).body.items;
    await app.close();

    const reports = await rebuildProjections({ config, projections: [ledgerAccountsProjection], events: LEDGER_EVENTS, names: ['ledger-accounts'], schemaDirs: [fixtureSchemaDir()], logger: quietLogger });
    // the whole log is replayed (the deployment bootstrap's account events too), ending at the last command's position
    expect(reports).toEqual([expect.objectContaining({ name: 'ledger-accounts', version: 1, events: position, position })]);

    const reads = new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'));
    const after = (await reads.find(physicalCollection(ledgerAccountsProjection, 'accounts'), {}, { sort: [['balance', 'desc']], limit: 100 })).items;
    expect(after).toEqual(before);
    expect(await reads.getCheckpoint('ledger-accounts@v1')).toBe(position);
    await reads.close();

    await expect(rebuildProjections({ config, projections: [ledgerAccountsProjection], events: LEDGER_EVENTS, names: ['nope'], logger: quietLogger })).rejects.toThrow(/unknown projection.*nope.*ledger-accounts/);
  });

  const rebuildLedger = (config: AppConfig) => rebuildProjections({ config, projections: [ledgerAccountsProjection], events: LEDGER_EVENTS, names: [], schemaDirs: [fixtureSchemaDir()], logger: quietLogger });

  it('refuses a DATA_DIR that holds no stores, and creates none there', async () => {
    const config = testConfig({ dataDir: join(mkdtempSync(join(tmpdir(), 'rebuild-')), 'dta') });
    await expect(rebuildLedger(config)).rejects.toThrow(/holds no event store \(events\.sqlite\)/);
    expect(existsSync(config.dataDir)).toBe(false);
  });

  it('refuses to run while a service holds the folder, and runs once it has stopped', async () => {
    const app = await createFixtureApp();
    const config = app.get<AppConfig>(APP_CONFIG);
    expect(readdirSync(config.dataDir)).toContain(SERVICE_LOCK_FILE);
    try {
      await expect(rebuildLedger(config)).rejects.toThrow(/a service is running on DATA_DIR=.*stop it first/);
    } finally {
      await app.close();
    }
    expect(readdirSync(config.dataDir)).not.toContain(SERVICE_LOCK_FILE);
    await expect(rebuildLedger(config)).resolves.toEqual([expect.objectContaining({ name: 'ledger-accounts' })]);
  });
});

describe('projection prune', () => {
  it('drops what an older version of a projection left once the new one is built, and nothing else', async () => {
    const app = await createFixtureApp();
    const config = app.get<AppConfig>(APP_CONFIG);
    const http = request(app.getHttpServer());
    await http.post('/api/v1/test-ledger/accounts').set('X-Test-Actor', 'a:b:c').send({ accountId: `p-${randomUUID()}`, owner: 'o1' }).expect(201);
    await expect(pruneProjections({ config, projections: [ledgerAccountsProjection], logger: quietLogger })).rejects.toThrow(/a service is running on DATA_DIR=.*stop it first, then prune/);
    await app.close();

    // the next build bumps the projection's version: its replay goes into new collections
    const bumped = { ...ledgerAccountsProjection, version: 2 };
    await rebuildProjections({ config, projections: [bumped], events: LEDGER_EVENTS, names: [], schemaDirs: [fixtureSchemaDir()], logger: quietLogger });
    const reads = new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'));
    const [v1, v2] = [physicalCollection(ledgerAccountsProjection, 'accounts'), physicalCollection(bumped, 'accounts')];
    await reads.applyBatch('retired@v1', [], 3);
    expect(await reads.count(v1, {})).toBe(1);
    expect(await reads.count(v2, {})).toBe(1);

    // a dry run only lists (the service's own projections are all at their current versions)
    const projections = [...ALL_PROJECTIONS, bumped];
    const listed = await pruneProjections({ config, projections, logger: quietLogger, dryRun: true });
    expect(listed).toEqual({ pruned: [{ name: 'ledger-accounts', version: 1, collections: [v1] }], unknown: ['retired@v1'] });
    expect(await reads.count(v1, {})).toBe(1);

    await reads.close();

    const pruned = await pruneProjections({ config, projections, logger: quietLogger });
    expect(pruned).toEqual(listed);
    const after = new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'));
    expect(await after.getCheckpoint('ledger-accounts@v1')).toBeNull();
    await expect(after.count(v1, {})).rejects.toThrow(/does not exist/);
    // the current version and a checkpoint this build does not know are left as they were
    expect(await after.count(v2, {})).toBe(1);
    expect(await after.getCheckpoint('ledger-accounts@v2')).not.toBeNull();
    expect(await after.getCheckpoint('retired@v1')).toBe(3);
    await after.close();
    expect(await pruneProjections({ config, projections, logger: quietLogger })).toEqual({ pruned: [], unknown: ['retired@v1'] });
  });
});

describe('npm run projections:rebuild (the built command)', () => {
  const cli = (args: string[], dataDir: string) => {
    const { EVENTSTORE_URL: _e, MONGODB_URL: _m, ...env } = process.env;
    return spawnSync(process.execPath, [join(process.cwd(), 'dist', 'src', 'cli', 'rebuild-projections.js'), ...args], { env: { ...env, DATA_DIR: dataDir, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 60_000 });
  };

  it('prints its usage for --help and rebuilds nothing; refuses unknown flags and a folder without stores', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'rebuild-cli-')), 'data');
    const help = cli(['--help'], dataDir);
    expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('Usage: npm run projections:rebuild')]);
    const typo = cli(['--hlep'], dataDir);
    expect([typo.status, typo.stderr]).toEqual([2, expect.stringMatching(/Unknown option '--hlep'/)]);
    const empty = cli([], dataDir);
    expect([empty.status, empty.stderr]).toEqual([1, expect.stringContaining('holds no event store')]);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('npm run projections:prune (the built command)', () => {
  it('prints its usage for --help, refuses unknown flags and a folder without stores', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'prune-cli-')), 'data');
    const run = (args: string[]) => {
      const { EVENTSTORE_URL: _e, MONGODB_URL: _m, ...env } = process.env;
      return spawnSync(process.execPath, [join(process.cwd(), 'dist', 'src', 'cli', 'prune-projections.js'), ...args], { env: { ...env, DATA_DIR: dataDir, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 60_000 });
    };
    const help = run(['--help']);
    expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('Usage: npm run projections:prune')]);
    const typo = run(['--dryrun']);
    expect([typo.status, typo.stderr]).toEqual([2, expect.stringMatching(/Unknown option '--dryrun'/)]);
    const empty = run(['--dry-run']);
    expect([empty.status, empty.stderr]).toEqual([1, expect.stringContaining('holds no event store')]);
    expect(existsSync(dataDir)).toBe(false);
  });
});
