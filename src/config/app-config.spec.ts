import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('defaults to the embedded stores in ./data on port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, eventStoreUrl: null, mongodbUrl: null, logLevel: 'info' });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.projectionsThread).toBe('worker');
    expect(loadConfig({ PROJECTIONS_THREAD: 'main' }).projectionsThread).toBe('main');
    expect(() => loadConfig({ PROJECTIONS_THREAD: 'both' })).toThrow(/PROJECTIONS_THREAD=both must be worker or main/);
  });

  it('answers queries on reader threads only where cores are left over (ADR 33), or as many as READ_THREADS says', () => {
    expect(loadConfig({}).readThreads).toBe(Math.max(0, Math.min(4, availableParallelism() - 2)));
    expect(loadConfig({ READ_THREADS: '3' }).readThreads).toBe(3);
    expect(loadConfig({ READ_THREADS: '0' }).readThreads).toBe(0);
    expect(() => loadConfig({ READ_THREADS: '17' })).toThrow(/READ_THREADS=17 must be a whole number from 0 to 16/);
  });

  it('hashes passwords at the OWASP minimum scrypt cost, ends idle sessions and limits logins by default', () => {
    const config = loadConfig({});
    expect(config.passwordHashCost).toBeGreaterThanOrEqual(17);
    expect(config).toMatchObject({ sessionIdleMinutes: 30, rateLimitWindowSeconds: 60, rateLimitLoginMax: 20, loginFreeFailures: 5, trustProxy: false });
    expect(loadConfig({ PASSWORD_HASH_COST: '14', SESSION_IDLE_MINUTES: '15', TRUST_PROXY: '10.0.0.1' })).toMatchObject({ passwordHashCost: 14, sessionIdleMinutes: 15, trustProxy: '10.0.0.1' });
    expect(() => loadConfig({ PASSWORD_HASH_COST: '40' })).toThrow(/PASSWORD_HASH_COST=40/);
  });

  it('encrypts personal data at rest by default; the master key file and earlier keys come from the environment', () => {
    expect(loadConfig({})).toMatchObject({ personalDataEncryption: true, personalDataKeyFile: null, personalDataPreviousKeyFiles: [] });
    const config = loadConfig({ PERSONAL_DATA_ENCRYPTION: 'off', PERSONAL_DATA_KEY_FILE: '/etc/preschool/master.key', PERSONAL_DATA_PREVIOUS_KEY_FILES: '/etc/preschool/old-1.key, /etc/preschool/old-2.key' });
    expect(config).toMatchObject({ personalDataEncryption: false, personalDataKeyFile: '/etc/preschool/master.key', personalDataPreviousKeyFiles: ['/etc/preschool/old-1.key', '/etc/preschool/old-2.key'] });
    expect(() => loadConfig({ PERSONAL_DATA_ENCRYPTION: 'maybe' })).toThrow(/PERSONAL_DATA_ENCRYPTION=maybe must be on or off/);
  });

  it('refuses a production start whose personal-data keys would be made in the data folder', () => {
    const missing = () => loadConfig({ NODE_ENV: 'production' });
    expect(missing).toThrow(/NODE_ENV=production needs PERSONAL_DATA_KEY_FILE/);
    expect(missing).toThrow(/NODE_ENV=production needs PERSONAL_DATA_HASH_KEY_FILE/);
    const secret = 'a'.repeat(64);
    expect(() => loadConfig({ NODE_ENV: 'production', PERSONAL_DATA_HASH_SECRET: secret })).toThrow(/PERSONAL_DATA_KEY_FILE/);
    expect(() => loadConfig({ NODE_ENV: 'production', PERSONAL_DATA_KEY_FILE: '/run/secrets/master.key' })).toThrow(/PERSONAL_DATA_HASH_KEY_FILE/);
    expect(loadConfig({ NODE_ENV: 'production', PERSONAL_DATA_KEY_FILE: '/run/secrets/master.key', PERSONAL_DATA_HASH_SECRET: secret })).toMatchObject({ personalDataKeyFile: '/run/secrets/master.key' });
    // without encryption at rest there is no master key to keep, but the hash secret still protects the key streams
    expect(loadConfig({ NODE_ENV: 'production', PERSONAL_DATA_ENCRYPTION: 'off', PERSONAL_DATA_HASH_SECRET: secret })).toMatchObject({ personalDataEncryption: false });
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ personalDataKeyFile: null });
  });

  it('takes the server URLs and numbers from the environment', () => {
    const config = loadConfig({ PORT: '8080', EVENTSTORE_URL: 'esdb://es:2113?tls=false', MONGODB_URL: 'mongodb://m:27017/p', DATA_DIR: '/srv/x', READY_MAX_LAG: '50' });
    expect(config).toMatchObject({ port: 8080, eventStoreUrl: 'esdb://es:2113?tls=false', mongodbUrl: 'mongodb://m:27017/p', dataDir: '/srv/x', readyMaxLag: 50 });
  });

  it('reports every bad setting at once, by name', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EVENTSTORE_URL: 'http://es:2113', MONGODB_URL: 'not a url', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect((error as ConfigError).problems).toHaveLength(4);
    expect(problems).toMatch(/PORT=eighty/);
    expect(problems).toMatch(/EVENTSTORE_URL must start with kurrentdb:\/\//);
    expect(problems).toMatch(/MONGODB_URL=not a url is not a URL/);
    expect(problems).toMatch(/LOG_LEVEL=loud/);
  });

  it('takes the KurrentDB client\'s URL schemes (kurrentdb, kurrent, kdb, with +discover) and the older esdb://', () => {
    for (const url of ['kurrentdb://kurrentdb:2113?tls=false', 'kdb+discover://cluster.example:2113', 'kurrent://k:2113', 'esdb://es:2113?tls=false']) {
      expect(loadConfig({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
    }
    expect(() => loadConfig({ EVENTSTORE_URL: 'http://es:2113' })).toThrow(ConfigError);
  });

  it('takes the metrics token from METRICS_TOKEN, refusing a short one; unset, metrics are off', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(24) }).metricsToken).toBe('a'.repeat(24));
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
  });

  it('reads the holiday file at start and refuses to start on a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'holidays-'));
    const good = join(dir, 'holidays-2027.json');
    writeFileSync(good, JSON.stringify({ source: '国务院办公厅通知', years: [2027], holidays: ['2027-01-01'], workdays: ['2027-02-06'] }));
    expect(loadConfig({}).holidays).toBeNull();
    expect(loadConfig({ HOLIDAYS_FILE: good }).holidays).toEqual({ source: '国务院办公厅通知', years: [2027], holidays: ['2027-01-01'], workdays: ['2027-02-06'] });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ years: [2027], holidays: ['2027-13-01'], workdays: [] }));
    expect(() => loadConfig({ HOLIDAYS_FILE: bad })).toThrow(`HOLIDAYS_FILE=${bad} "holidays" has "2027-13-01", not a date "YYYY-MM-DD"`);
    expect(() => loadConfig({ HOLIDAYS_FILE: join(dir, 'missing.json') })).toThrow(/HOLIDAYS_FILE=.*missing\.json cannot be read \(ENOENT\)/);
  });
});
