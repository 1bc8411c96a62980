import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AppConfig } from '../config/app-config.js';
import { verifyEventChain } from '../shared/event-store/event-chain.js';
import { SqliteEventStore } from '../shared/event-store/sqlite.event-store.js';
import { defaultSchemaDir } from '../shared/events/event-registry.js';
import { liveServiceLock } from '../shared/infrastructure/service-lock.js';
import { openFileStore, openPersonalData, openPlainEventStore } from '../shared/infrastructure/store-factory.js';
import { LocalFileStore } from '../shared/files/local-file-store.js';
import { eventShapes } from '../shared/personal-data/encrypting.event-store.js';
import { DataKeyStore } from '../shared/personal-data/data-key-store.js';
import { SEALED_PREFIX } from '../shared/personal-data/field-cipher.js';
import { LEGACY_SEARCH_SECRET_SUBJECT, legacySearchHasher, loadKeyring } from '../shared/personal-data/personal-data.js';
import { sealShape, subjectsOf } from '../shared/personal-data/personal-shape.js';

export class PersonalDataRefused extends Error {
  override readonly name = 'PersonalDataRefused';
}

function refuseUnsafe(config: AppConfig, needsEvents = true): string {
  const file = join(config.dataDir, 'events.sqlite');
  if (needsEvents && !existsSync(file)) throw new PersonalDataRefused(`DATA_DIR=${config.dataDir} holds no events.sqlite: check DATA_DIR (the service's data folder)`);
  const lock = liveServiceLock(config.dataDir);
  if (lock) throw new PersonalDataRefused(`a service is running on DATA_DIR=${config.dataDir} (process ${lock.pid} on ${lock.host}): stop it first`);
  return file;
}

export interface EncryptReport {
  events: number;
  sealed: number;
  subjects: number;
  chainHead: string;
}

/**
 * Encrypts an embedded data folder written without encryption at rest (ADR 23): the personal
 * fields of every stored event are sealed in place, the hash chain is linked again over the new
 * bytes and the file is vacuumed, so no plaintext page is left behind. Values already sealed are
 * left as they are, so a second run changes nothing. The read models are rebuilt afterwards
 * (rebuildProjections), then vacuumed. KurrentDB logs cannot be rewritten: refused.
 */
export async function encryptEventLog(config: AppConfig): Promise<EncryptReport> {
  if (config.eventStoreUrl) throw new PersonalDataRefused('EVENTSTORE_URL is set: a KurrentDB log cannot be rewritten in place; encryption applies to events appended from now on (ADR 23)');
  if (!config.personalDataEncryption) throw new PersonalDataRefused('PERSONAL_DATA_ENCRYPTION=off: turn it on (the service must read the folder encrypted afterwards)');
  const file = refuseUnsafe(config);
  const shapes = eventShapes([defaultSchemaDir()]);
  const pd = await openPersonalData(config);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('secure_delete = ON');
    const rows = db.prepare('SELECT position, type, data, metadata FROM events ORDER BY position').all() as Array<{ position: number; type: string; data: string; metadata: string }>;
    const todo: Array<{ position: number; data: Record<string, unknown>; shape: NonNullable<ReturnType<typeof shapes.get>> }> = [];
    const subjects = new Set<string>();
    for (const row of rows) {
      const version = (JSON.parse(row.metadata) as { schemaVersion?: number }).schemaVersion ?? 1;
      const shape = shapes.get(`${row.type}.v${version}`);
      if (!shape) continue;
      const data = JSON.parse(row.data) as Record<string, unknown>;
      subjectsOf(data, shape, '', subjects);
      todo.push({ position: row.position, data, shape });
    }
    await pd.keys.ensure(subjects);
    const update = db.prepare('UPDATE events SET data = ? WHERE position = ?');
    let sealed = 0;
    db.transaction(() => {
      for (const { position, data, shape } of todo) {
        const next = sealShape(data, shape, (subject, value) => (value.startsWith(SEALED_PREFIX) ? value : pd.sealOne(subject, value)));
        const text = JSON.stringify(next);
        if (text === JSON.stringify(data)) continue;
        update.run(text, position);
        sealed++;
      }
      // the stored bytes changed: the chain is linked again when the store opens the file
      if (sealed > 0) db.exec('UPDATE events SET chain = NULL');
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    await new SqliteEventStore(file).close();
    return { events: rows.length, sealed, subjects: subjects.size, chainHead: verifyEventChain(file).head };
  } finally {
    if (db.open) db.close();
    pd.release();
  }
}

/** After the rebuild: the dropped collections' pages may still hold plaintext; VACUUM rewrites the file without them. */
export function vacuumReadModels(config: AppConfig): void {
  const file = join(config.dataDir, 'read-models.sqlite');
  if (config.mongodbUrl || !existsSync(file)) return;
  const db = new Database(file);
  db.pragma('secure_delete = ON');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Re-wraps every data key under PERSONAL_DATA_KEY_FILE; the old keys come from PERSONAL_DATA_PREVIOUS_KEY_FILES. */
export function rotateMasterKey(config: AppConfig): { rewrapped: number; total: number } {
  refuseUnsafe(config, false);
  const file = join(config.dataDir, 'keys.sqlite');
  if (!existsSync(file)) throw new PersonalDataRefused(`DATA_DIR=${config.dataDir} holds no keys.sqlite: nothing to rotate`);
  const keys = new DataKeyStore(file, loadKeyring(config.dataDir, config.personalDataKeyFile, config.personalDataPreviousKeyFiles));
  try {
    return keys.rotate();
  } finally {
    keys.close();
  }
}

/** The tamper check of the embedded log: the first broken link, if any. */
export function verifyLog(config: AppConfig) {
  if (config.eventStoreUrl) throw new PersonalDataRefused('EVENTSTORE_URL is set: KurrentDB keeps its own storage integrity (ADR 23); the hash chain is the embedded store’s');
  const file = join(config.dataDir, 'events.sqlite');
  if (!existsSync(file)) throw new PersonalDataRefused(`DATA_DIR=${config.dataDir} holds no events.sqlite`);
  return verifyEventChain(file);
}

/**
 * One secret for every keyed hash (issue 21): a folder whose search hashes were keyed by the random
 * secret of keys.sqlite gives it up (destroyed like a data key, with a tombstone); the read models
 * are then rebuilt by the caller, so every search hash is keyed by the deployment secret. Until
 * then the folder keeps searching with the old secret, so nothing breaks in between; a second run
 * finds nothing to retire (and the rebuild is harmless).
 */
export function retireLegacySearchSecret(config: AppConfig, at: string): { retired: boolean } {
  if (!config.personalDataEncryption) throw new PersonalDataRefused('PERSONAL_DATA_ENCRYPTION=off: the read models hold no search hashes');
  refuseUnsafe(config);
  const file = join(config.dataDir, 'keys.sqlite');
  if (!existsSync(file)) return { retired: false };
  const keys = new DataKeyStore(file, loadKeyring(config.dataDir, config.personalDataKeyFile, config.personalDataPreviousKeyFiles));
  try {
    if (!legacySearchHasher(keys)) return { retired: false };
    keys.destroy(LEGACY_SEARCH_SECRET_SUBJECT, at, 'personal-data rehash-search', 'search hashes keyed by the deployment secret (PERSONAL_DATA_HASH_SECRET)');
    return { retired: true };
  } finally {
    keys.close();
  }
}

/** the events that name the child an uploaded file is about (ADR 23): evidence of a duplicate case, an accident leave's proof */
const FILE_OWNER_EVENTS = ['EvidenceFiled', 'RecordCancelled'];

/**
 * Seals the uploaded files stored before files were sealed at rest (ADR 23): each with the data
 * key of the child its events name (evidence, accident proof), any other with a key of its own.
 * Resumable: a sealed file is left as it is, and each file is replaced atomically.
 */
export async function sealStoredFiles(config: AppConfig): Promise<{ sealed: number; removed: number; already: number }> {
  if (!config.personalDataEncryption) throw new PersonalDataRefused('PERSONAL_DATA_ENCRYPTION=off: turn it on (the service must read the files sealed afterwards)');
  refuseUnsafe(config, !config.eventStoreUrl);
  const owners = new Map<string, Set<string>>();
  const events = await openPlainEventStore(config);
  try {
    for (let after = 0; ; ) {
      const batch = await events.readAll({ after, maxCount: 5000, types: FILE_OWNER_EVENTS });
      if (batch.length === 0) break;
      for (const event of batch) {
        after = event.position;
        const data = event.data as { recordId?: string; files?: Array<{ sha256: string }>; proofFileIds?: string[] };
        if (!data.recordId) continue;
        const shas = event.type === 'EvidenceFiled' ? (data.files ?? []).map((f) => f.sha256) : (data.proofFileIds ?? []);
        // a file filed for two children gets a copy for each, as put() keeps them
        for (const sha256 of shas) owners.set(sha256, (owners.get(sha256) ?? new Set()).add(data.recordId));
      }
    }
  } finally {
    await events.close();
  }
  const files = await openFileStore(config);
  try {
    if (!(files instanceof LocalFileStore)) throw new PersonalDataRefused('the file store is not the local folder: nothing to seal');
    return await files.sealStored((sha256) => [...(owners.get(sha256) ?? [])]);
  } finally {
    await files.close();
  }
}
