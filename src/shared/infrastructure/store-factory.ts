import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { SqliteEventStore } from '../event-store/sqlite.event-store.js';
import type { ReadStore } from '../read-store/read-store.port.js';
import { SqliteReadStore } from '../read-store/sqlite.read-store.js';

/** Chooses the adapters by configuration alone; the server clients load only when configured. */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  if (config.eventStoreUrl) {
    const { EventStoreDbEventStore } = await import('../event-store/eventstoredb.event-store.js');
    return EventStoreDbEventStore.connect(config.eventStoreUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
}

/** `writer: false`: projections write through another connection (the worker), which keeps the file tidy. */
export async function openReadStore(config: AppConfig, options: { writer?: boolean } = {}): Promise<ReadStore> {
  if (config.mongodbUrl) {
    const { MongoReadStore } = await import('../read-store/mongodb.read-store.js');
    return MongoReadStore.connect(config.mongodbUrl);
  }
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'), { checkpointsWal: options.writer !== false });
}
