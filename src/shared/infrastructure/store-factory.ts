import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { SqliteEventStore } from '../event-store/sqlite.event-store.js';
import type { ReadStore } from '../read-store/read-store.port.js';
import { SqliteReadStore } from '../read-store/sqlite.read-store.js';
import { defaultSchemaDir } from '../events/event-registry.js';
import { EncryptingEventStore, eventShapes } from '../personal-data/encrypting.event-store.js';
import { EncryptingReadStore } from '../personal-data/encrypting.read-store.js';
import { type PersonalData, loadKeyring, personalDataFor } from '../personal-data/personal-data.js';
import { type DataKeyShredder, NO_SHREDDER } from '../personal-data/data-key-shredder.js';
import { openKeyedHasher } from '../personal-data/hash-secret.js';
import { PersonalDataFileSealer } from '../personal-data/file-sealer.js';
import { LocalFileStore } from '../files/local-file-store.js';
import type { FileStore } from '../files/file-store.port.js';

/** Chooses the adapters by configuration alone; the server clients load only when configured. */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  const store = await openPlainEventStore(config);
  if (!config.personalDataEncryption) return store;
  return new EncryptingEventStore(store, eventShapes([defaultSchemaDir()]), await openPersonalData(config));
}

/** The adapter without encryption at rest: the migration CLI and the tests that look at stored bytes. */
export async function openPlainEventStore(config: AppConfig): Promise<EventStore> {
  if (config.eventStoreUrl) {
    const { EventStoreDbEventStore } = await import('../event-store/eventstoredb.event-store.js');
    return EventStoreDbEventStore.connect(config.eventStoreUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
}

/** Crypto-shredding over the data folder's key store; refuses (enabled: false) without encryption at rest. */
export async function openShredder(config: AppConfig): Promise<DataKeyShredder & { close(): void }> {
  if (!config.personalDataEncryption) return { ...NO_SHREDDER, close: () => undefined };
  const pd = await openPersonalData(config);
  return { enabled: true, shred: (subject, audit) => pd.keys.destroy(subject, audit.at, audit.by, audit.reason), close: () => pd.release() };
}

/**
 * The data keys of the data folder (keys.sqlite), the master key from configuration (ADR 23) and
 * the deployment's keyed-hash secret (ADR 22): one secret for every keyed hash.
 */
export function openPersonalData(config: AppConfig): Promise<PersonalData> {
  return personalDataFor({
    dataDir: config.dataDir,
    keyring: loadKeyring(config.dataDir, config.personalDataKeyFile, config.personalDataPreviousKeyFiles),
    hasher: openKeyedHasher(config),
  });
}

/** `writer: false`: projections write through another connection (the worker), which keeps the file tidy. */
export async function openReadStore(config: AppConfig, options: { writer?: boolean } = {}): Promise<ReadStore> {
  const store = await openPlainReadStore(config, options);
  return config.personalDataEncryption ? new EncryptingReadStore(store, await openPersonalData(config)) : store;
}

export async function openPlainReadStore(config: AppConfig, options: { writer?: boolean } = {}): Promise<ReadStore> {
  if (config.mongodbUrl) {
    const { MongoReadStore } = await import('../read-store/mongodb.read-store.js');
    return MongoReadStore.connect(config.mongodbUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'), { checkpointsWal: options.writer !== false });
}

/** Uploaded files live in the data folder whichever stores are configured; sealed at rest with encryption on (ADR 23). */
export async function openFileStore(config: AppConfig): Promise<FileStore> {
  if (!config.personalDataEncryption) return new LocalFileStore(join(config.dataDir, 'files'));
  const pd = await openPersonalData(config);
  const store = new LocalFileStore(join(config.dataDir, 'files'), { sealer: new PersonalDataFileSealer(pd) });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    pd.release();
  };
  return store;
}
