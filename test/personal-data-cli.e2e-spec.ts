import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { AppConfig } from '../src/config/app-config.js';
import { recordsProjection } from '../src/records/projections/records.projection.js';
import { EXAMPLE_CHILD } from '../src/records/domain/record.events.js';
import { sample } from '../src/shared/event-store/event-store.contract.js';
import { EVENT_STORE, type EventStore } from '../src/shared/event-store/event-store.port.js';
import { openEventStore, openReadStore } from '../src/shared/infrastructure/store-factory.js';
import { DataKeyStore } from '../src/shared/personal-data/data-key-store.js';
import { openKeyedHasher } from '../src/shared/personal-data/hash-secret.js';
import { LEGACY_SEARCH_SECRET_SUBJECT, loadKeyring } from '../src/shared/personal-data/personal-data.js';
import { LocalFileStore } from '../src/shared/files/local-file-store.js';
import { openFileStore } from '../src/shared/infrastructure/store-factory.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { physicalCollection } from '../src/shared/projections/projection-definition.js';
import { createFixtureApp } from './fixtures/fixture-app.js';
import { TEST_ENV } from './fixtures/test-env.js';

const cli = (dataDir: string, command: string, env: Record<string, string>) =>
  spawnSync(process.execPath, [join(process.cwd(), 'dist', 'src', 'cli', 'personal-data.js'), command], {
    env: { ...process.env, ...TEST_ENV, NODE_OPTIONS: '', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 120_000,
  });
const bytes = (dir: string): Buffer => Buffer.concat(readdirSync(dir).filter((f) => !f.endsWith('.lock')).flatMap((f) => { try { return [readFileSync(join(dir, f))]; } catch { return []; } }));
const keyFile = (): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'master-')), 'master.key');
  writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return file;
};

describe('personal-data CLI: migration of an unencrypted folder, key rotation, log verification', () => {
  it('encrypts a folder written without encryption, keeps it readable and searchable, rotates the master key, and finds an edited event', async () => {
    const app = await createFixtureApp({ personalDataEncryption: false });
    const config = app.get<AppConfig>(APP_CONFIG);
    const store = app.get<EventStore>(EVENT_STORE);
    const recordId = randomUUID();
    const child = { ...EXAMPLE_CHILD, name: '诸葛小明', idNumber: '410102202203150018', guardians: [{ ...EXAMPLE_CHILD.guardians[0]!, name: '诸葛大明', phone: '13955556666' }] };
    const saved = { ...sample('RecordSaved'), data: { recordId, institutionCode: '1141010001', divisionCode: '410102', child, overAgeConfirmed: false, importRef: null, savedAt: '2026-09-05T02:00:00.000Z' } };
    const { position } = await store.append(`record-${recordId}`, [saved], 'no_stream');
    await app.close();
    const dir = config.dataDir;
    expect(bytes(dir).includes(Buffer.from('诸葛小明'))).toBe(true);

    const master = keyFile();
    const encrypted = cli(dir, 'encrypt', { PERSONAL_DATA_KEY_FILE: master });
    expect({ status: encrypted.status, stderr: encrypted.stderr }).toEqual({ status: 0, stderr: '' });
    expect(encrypted.stdout).toMatch(/sealed: 1, children \(data keys\): 1/);
    for (const secret of ['诸葛小明', '诸葛大明', '410102202203150018', '13955556666', '建设路']) expect({ secret, found: bytes(dir).includes(Buffer.from(secret)) }).toEqual({ secret, found: false });
    // a second run seals nothing more
    expect(cli(dir, 'encrypt', { PERSONAL_DATA_KEY_FILE: master }).stdout).toMatch(/sealed: 0/);

    const readable = async (settings: Partial<AppConfig>) => {
      const on = { ...config, personalDataEncryption: true, ...settings };
      const events = await openEventStore(on);
      const [event] = await events.readStream(`record-${recordId}`);
      await events.close();
      const reads = await openReadStore(on);
      const collection = physicalCollection(recordsProjection, 'records');
      await reads.ensureCollection(collection, recordsProjection.collections['records']!);
      const found = await reads.find(collection, { idNumber: '410102202203150018' });
      await reads.close();
      return { child: event!.data['child'], found: found.items.map((d) => [d.id, d['name']]) };
    };
    expect(await readable({ personalDataKeyFile: master })).toEqual({ child, found: [[recordId, '诸葛小明']] });

    // rotation: the new key alone reads everything afterwards
    const next = keyFile();
    const rotated = cli(dir, 'rotate-key', { PERSONAL_DATA_KEY_FILE: next, PERSONAL_DATA_PREVIOUS_KEY_FILES: master });
    expect(rotated.stdout).toMatch(/re-wrapped: 1 of 1/);
    expect(await readable({ personalDataKeyFile: next })).toEqual({ child, found: [[recordId, '诸葛小明']] });
    await expect(readable({ personalDataKeyFile: master })).rejects.toThrow(/not configured/);

    // tamper evidence: the chain is whole, until an event is edited behind the store's back
    const intact = cli(dir, 'verify-log', {});
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/^intact: \d+ events, chain head [0-9a-f]{64}/);
    const db = new Database(join(dir, 'events.sqlite'));
    db.prepare("UPDATE events SET metadata = json_set(metadata, '$.actor.accountId', 'someone-else') WHERE position = ?").run(position);
    db.close();
    const broken = cli(dir, 'verify-log', {});
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at position ${position} (stream record-${recordId}, revision 0, RecordSaved)`);
  }, 180_000);

  it('moves the search hashes of a folder keyed by the older keys.sqlite secret to the deployment secret, searchable throughout', async () => {
    const app = await createFixtureApp({ personalDataEncryption: false });
    const config = app.get<AppConfig>(APP_CONFIG);
    const store = app.get<EventStore>(EVENT_STORE);
    const recordId = randomUUID();
    const child = { ...EXAMPLE_CHILD, name: '欧阳小凤', idNumber: '410102202204150016' };
    const saved = { ...sample('RecordSaved'), data: { recordId, institutionCode: '1141010001', divisionCode: '410102', child, overAgeConfirmed: false, importRef: null, savedAt: '2026-09-05T02:00:00.000Z' } };
    await store.append(`record-${recordId}`, [saved], 'no_stream');
    await app.close();
    const dir = config.dataDir;
    const master = keyFile();
    // a folder of before: the search secret lives in keys.sqlite, and the read models were hashed with it
    const keys = new DataKeyStore(join(dir, 'keys.sqlite'), loadKeyring(dir, master, []));
    await keys.ensure([LEGACY_SEARCH_SECRET_SUBJECT]);
    keys.close();
    expect(cli(dir, 'encrypt', { PERSONAL_DATA_KEY_FILE: master }).status).toBe(0);
    const on = { ...config, personalDataEncryption: true, personalDataKeyFile: master };
    const deploymentHash = openKeyedHasher(on).searchToken('search:idNumber', child.idNumber);
    const search = async () => {
      const reads = await openReadStore(on);
      const collection = physicalCollection(recordsProjection, 'records');
      await reads.ensureCollection(collection, recordsProjection.collections['records']!);
      const found = await reads.find(collection, { idNumber: child.idNumber });
      await reads.close();
      return found.items.map((d) => [d.id, d['name']]);
    };
    expect(await search()).toEqual([[recordId, '欧阳小凤']]);
    expect(bytes(dir).includes(Buffer.from(deploymentHash))).toBe(false);

    const moved = cli(dir, 'rehash-search', { PERSONAL_DATA_KEY_FILE: master });
    expect({ status: moved.status, stderr: moved.stderr }).toEqual({ status: 0, stderr: '' });
    expect(moved.stdout).toMatch(/old search secret destroyed/);
    expect(bytes(dir).includes(Buffer.from(deploymentHash))).toBe(true);
    expect(await search()).toEqual([[recordId, '欧阳小凤']]);
    expect(cli(dir, 'rehash-search', { PERSONAL_DATA_KEY_FILE: master }).stdout).toMatch(/already keyed by the deployment secret/);
    expect(await search()).toEqual([[recordId, '欧阳小凤']]);
  }, 180_000);

  it('seals the files uploaded before files were sealed at rest with their child\'s key, and removes an erased child\'s', async () => {
    const app = await createFixtureApp({ personalDataEncryption: false });
    const config = app.get<AppConfig>(APP_CONFIG);
    const store = app.get<EventStore>(EVENT_STORE);
    const dir = config.dataDir;
    const [kept, erased] = [randomUUID(), randomUUID()];
    // what an older service stored: the uploads in plain form, named by the events
    const old = new LocalFileStore(join(dir, 'files'));
    const proof = Buffer.from('%PDF-1.4 意外离园证明 欧阳小明 410102202203150018');
    const evidence = Buffer.from('%PDF-1.4 佐证材料 上官小红 410102202204150026');
    const [proofFile, evidenceFile] = [await old.put(proof), await old.put(evidence)];
    await old.close();
    await store.append(`record-${kept}`, [sample('RecordCancelled', { recordId: kept, proofFileIds: [proofFile.sha256] })], 'any');
    await store.append(`case-${randomUUID()}`, [sample('EvidenceFiled', { recordId: erased, files: [{ sha256: evidenceFile.sha256 }] })], 'any');
    await app.close();
    const filesBytes = () => Buffer.concat(readdirSync(join(dir, 'files'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name))));
    expect(filesBytes().includes(Buffer.from('欧阳小明'))).toBe(true);

    const master = keyFile();
    const on = { ...config, personalDataEncryption: true, personalDataKeyFile: master };
    // the second child was erased meanwhile: its data key is destroyed
    const keys = new DataKeyStore(join(dir, 'keys.sqlite'), loadKeyring(dir, master, []));
    await keys.ensure([erased]);
    keys.destroy(erased, '2026-12-02T06:00:00.000Z', 'acc-admin', '误建档案');
    keys.close();

    const run = cli(dir, 'seal-files', { PERSONAL_DATA_KEY_FILE: master });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('files sealed: 1, removed (child erased): 1, already sealed: 0');
    for (const secret of ['欧阳小明', '上官小红', '410102202203150018', '410102202204150026']) expect({ secret, found: filesBytes().includes(Buffer.from(secret)) }).toEqual({ secret, found: false });
    // a second run finds everything sealed
    expect(cli(dir, 'seal-files', { PERSONAL_DATA_KEY_FILE: master }).stdout).toContain('files sealed: 0, removed (child erased): 0, already sealed: 1');

    // the sealed proof still reads with the key; the erased child's evidence is gone
    const files = await openFileStore(on);
    expect(await files.read(proofFile.sha256, kept)).toEqual(proof);
    expect(await files.read(evidenceFile.sha256, erased)).toBeNull();
    await files.close();
    // erasing the first child now makes its proof unreadable too
    const later = new DataKeyStore(join(dir, 'keys.sqlite'), loadKeyring(dir, master, []));
    later.destroy(kept, '2026-12-02T07:00:00.000Z', 'acc-admin', '保存期满');
    later.close();
    const after = await openFileStore(on);
    expect(await after.read(proofFile.sha256, kept)).toBeNull();
    await after.close();
  }, 180_000);
});
