import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../config/app-config.js';
import { defaultKeyFile, openKeyedHasher } from './hash-secret.js';

describe('the keyed-hash secret of a deployment (ADR 22)', () => {
  it('is generated once into <DATA_DIR>/secrets (mode 0600), beside the stores, and read again on the next start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'secret-'));
    const config = { ...loadConfig({ DATA_DIR: dataDir }) };
    const first = openKeyedHasher(config).hash('dedupe-key', 'id:410102202203150018');
    const file = defaultKeyFile(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(openKeyedHasher(config).hash('dedupe-key', 'id:410102202203150018')).toBe(first);
    // another deployment's folder: another secret, other hashes
    expect(openKeyedHasher(loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'secret-')) })).hash('dedupe-key', 'id:410102202203150018')).not.toBe(first);
  });

  it('comes from PERSONAL_DATA_HASH_SECRET or PERSONAL_DATA_HASH_KEY_FILE when configured; bad or missing ones stop the start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'secret-'));
    const secret = 'ab'.repeat(32);
    const keyFile = join(dataDir, 'mounted.key');
    writeFileSync(keyFile, `${secret}\n`);
    const fromEnv = openKeyedHasher(loadConfig({ DATA_DIR: dataDir, PERSONAL_DATA_HASH_SECRET: secret }));
    const fromFile = openKeyedHasher(loadConfig({ DATA_DIR: dataDir, PERSONAL_DATA_HASH_KEY_FILE: keyFile }));
    expect(fromFile.hash('p', 'v')).toBe(fromEnv.hash('p', 'v'));
    expect(() => statSync(defaultKeyFile(dataDir))).toThrow(); // nothing generated
    expect(() => loadConfig({ PERSONAL_DATA_HASH_SECRET: 'short' })).toThrow(/PERSONAL_DATA_HASH_SECRET must be at least 64 hex digits/);
    expect(() => loadConfig({ PERSONAL_DATA_HASH_KEY_FILE: join(dataDir, 'absent.key') })).toThrow(ConfigError);
    expect(() => loadConfig({ PERSONAL_DATA_HASH_KEY_FILE: keyFile, PERSONAL_DATA_HASH_SECRET: secret })).toThrow(/not both/);
  });
});
