import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/app-config.js';

// No Docker engine on the test machines: the files are checked as the engine would read them.
const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  restart?: string;
  ports?: string[];
  environment?: Record<string, string>;
}

describe('docker/compose.yml (issue 22, item 11)', () => {
  const compose = parse(read('docker/compose.yml')) as { services: Record<string, Service> };
  const services = Object.entries(compose.services);

  it('restarts every service and publishes no port beyond this machine', () => {
    expect(services.map(([name]) => name).sort()).toEqual(['app', 'eventstore', 'mongo']);
    for (const [name, service] of services) {
      expect([name, service.restart]).toEqual([name, expect.stringMatching(/^(unless-stopped|always|on-failure)/)]);
      for (const port of service.ports ?? []) expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/)]);
    }
  });

  it('turns MongoDB authentication on, and the service logs in with those credentials from the environment', () => {
    const mongo = compose.services['mongo']!.environment!;
    expect(mongo['MONGO_INITDB_ROOT_USERNAME']).toBeTruthy();
    expect(mongo['MONGO_INITDB_ROOT_PASSWORD']).toMatch(/^\$\{MONGO_ROOT_PASSWORD:\?/); // required, never a default
    const url = compose.services['app']!.environment!['MONGODB_URL']!;
    expect(url).toMatch(new RegExp(`^mongodb://${mongo['MONGO_INITDB_ROOT_USERNAME']}:\\$\\{MONGO_ROOT_PASSWORD[^}]*\\}@mongo:27017/\\w+\\?authSource=admin$`));
  });

  it('runs KurrentDB, EventStoreDB’s successor, with a URL the service’s configuration accepts', () => {
    expect(compose.services['eventstore']!.image).toMatch(/^kurrentplatform\/kurrentdb:\d+\.\d+/);
    const env = compose.services['app']!.environment!;
    const config = loadConfig({ EVENTSTORE_URL: env['EVENTSTORE_URL'], MONGODB_URL: env['MONGODB_URL']!.replace(/\$\{[^}]+\}/, 'secret') });
    expect(config.eventStoreUrl).toBe('kurrentdb://eventstore:2113?tls=false');
  });
});

describe('docker/Dockerfile and .dockerignore (issue 22, item 11)', () => {
  const dockerfile = read('docker/Dockerfile').split('\n').map((l) => l.trim());

  it('builds and runs on the current LTS, Node 24', () => {
    const bases = dockerfile.filter((l) => l.startsWith('FROM '));
    expect(bases).toHaveLength(2);
    for (const base of bases) expect(base).toMatch(/^FROM node:24[-.\w]*( AS \w+)?$/);
  });

  it('creates /data owned by node before declaring it a volume, and runs as node', () => {
    const owned = dockerfile.findIndex((l) => /^RUN .*mkdir -p \/data.*chown node:node \/data/.test(l));
    const volume = dockerfile.indexOf('VOLUME /data');
    expect(owned).toBeGreaterThan(0);
    expect(volume).toBeGreaterThan(owned);
    expect(dockerfile.indexOf('USER node')).toBeGreaterThan(volume);
  });

  it('keeps the checkout’s node_modules, builds, data and git history out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.git', 'node_modules', 'dist', 'data', 'province']));
  });
});
