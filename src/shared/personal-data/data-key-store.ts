import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { BoundedCache } from '../caching/bounded-cache.js';
import { type FieldKey, fieldKey, masterKeyId, newRawKey, openBytes, sealBytes } from './field-cipher.js';

/** Unwrapped data keys kept per connection (each holds its SM4 object): enough for a rebuild's working set. */
const KEY_CACHE = 20_000;

/** The master keys: the current one wraps new data keys; previous ones still unwrap until a rotation re-wraps them. */
export interface MasterKeyring {
  current: Buffer;
  previous: readonly Buffer[];
}

interface KeyRow {
  subject: string;
  wrapped: Buffer | null;
  master_id: string | null;
}

/** A subject's key, or 'destroyed' once it was shredded (its personal values are gone for good). */
export type DataKey = FieldKey | 'destroyed';

/**
 * The data keys, one per child (subject: the record id), wrapped by the master key (envelope
 * encryption), in their own SQLite file (keys.sqlite), never in the event log: destroying a row
 * makes that child's sealed values unreadable everywhere (crypto-shredding). A destroyed key
 * leaves a tombstone, so it is never silently created again. secure_delete overwrites the freed
 * bytes; a shred checkpoints and truncates the WAL, so no copy of the key stays in the file.
 * Unwrapped keys are cached per connection (a bounded LRU, in memory only); the cache is dropped
 * when another connection (the projection worker, a CLI) destroyed a key: SQLite's data_version
 * says the file changed, the shred counter says a key was destroyed (new keys alone keep the
 * cache). `generation` changes whenever a key may have been destroyed, so what was opened with
 * the keys (PersonalData's value caches) is dropped with them.
 */
export class DataKeyStore {
  private readonly db: Db;
  private readonly masters = new Map<string, FieldKey>();
  private readonly currentId: string;
  private readonly cache = new BoundedCache<string, DataKey>(KEY_CACHE);
  private readonly select: Statement;
  private readonly selectMany: Statement;
  /** changes whenever a key may have been destroyed here or elsewhere */
  generation = 0;
  private readonly insert: Statement;
  private readonly version: Statement;
  private lastVersion = -1;
  private lastShreds = 0;
  private readonly shreds: Statement;
  private queued = new Set<string>();
  private flushing: Promise<void> | null = null;

  constructor(file: string, keyring: MasterKeyring) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // a data key must be on disk before any event sealed with it is
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      subject TEXT PRIMARY KEY, wrapped BLOB, master_id TEXT, destroyed_at TEXT, destroyed_by TEXT, reason TEXT);
      CREATE TABLE IF NOT EXISTS shred_counter (id INTEGER PRIMARY KEY CHECK (id = 1), shreds INTEGER NOT NULL);
      INSERT OR IGNORE INTO shred_counter (id, shreds) VALUES (1, 0);`);
    this.currentId = masterKeyId(keyring.current);
    for (const master of [keyring.current, ...keyring.previous]) this.masters.set(masterKeyId(master), fieldKey(master));
    this.select = this.db.prepare('SELECT subject, wrapped, master_id FROM data_keys WHERE subject = ?');
    this.selectMany = this.db.prepare('SELECT subject, wrapped, master_id FROM data_keys WHERE subject IN (SELECT value FROM json_each(?))');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO data_keys (subject, wrapped, master_id) VALUES (?, ?, ?)');
    this.version = this.db.prepare('PRAGMA data_version').pluck();
    this.shreds = this.db.prepare('SELECT shreds FROM shred_counter WHERE id = 1').pluck();
    this.lastShreds = this.shreds.get() as number;
  }

  /** Drops the cache when another connection wrote (a shred elsewhere must take effect here). */
  refresh(): void {
    const version = this.version.get() as number;
    if (version === this.lastVersion) return;
    this.lastVersion = version;
    const shreds = this.shreds.get() as number;
    if (shreds !== this.lastShreds) {
      this.cache.clear();
      this.lastShreds = shreds;
      this.generation++;
    }
  }

  /** Loads the keys of the subjects not cached yet with one query (a batch of events or documents). */
  prefetch(subjects: Iterable<string>): void {
    const missing = [...new Set(subjects)].filter((s) => this.cache.get(s) === undefined);
    if (missing.length === 0) return;
    // a key the cache cannot hold at once would only be looked up again
    for (let i = 0; i < missing.length; i += KEY_CACHE / 2) {
      for (const row of this.selectMany.all(JSON.stringify(missing.slice(i, i + KEY_CACHE / 2))) as KeyRow[]) this.cache.set(row.subject, this.unwrap(row));
    }
  }

  /** The subject's key; null when it has none yet. */
  get(subject: string): DataKey | null {
    const cached = this.cache.get(subject);
    if (cached) return cached;
    const row = this.select.get(subject) as KeyRow | undefined;
    if (!row) return null;
    const key = this.unwrap(row);
    this.cache.set(subject, key);
    return key;
  }

  /** Creates the keys the subjects lack; concurrent callers share one transaction (one fsync). */
  async ensure(subjects: Iterable<string>): Promise<void> {
    let missing = false;
    for (const subject of subjects) {
      if (this.get(subject) === null) {
        this.queued.add(subject);
        missing = true;
      }
    }
    if (!missing) return;
    this.flushing ??= new Promise<void>((resolve, reject) =>
      setImmediate(() => {
        this.flushing = null;
        const batch = [...this.queued];
        this.queued = new Set();
        try {
          this.db.transaction(() => {
            for (const subject of batch) this.insert.run(subject, this.wrap(subject, newRawKey()), this.currentId);
          })();
          resolve();
        } catch (error) {
          reject(error);
        }
      }),
    );
    await this.flushing;
    this.refresh();
  }

  /** Crypto-shredding: the key is gone; a tombstone says when, by whom and why (no personal data). */
  destroy(subject: string, at: string, by: string, reason: string): void {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO data_keys (subject, wrapped, master_id, destroyed_at, destroyed_by, reason) VALUES (?, NULL, NULL, ?, ?, ?)
        ON CONFLICT (subject) DO UPDATE SET wrapped = NULL, master_id = NULL, destroyed_at = excluded.destroyed_at, destroyed_by = excluded.destroyed_by, reason = excluded.reason
        WHERE data_keys.wrapped IS NOT NULL`).run(subject, at, by, reason);
      this.db.prepare('UPDATE shred_counter SET shreds = shreds + 1 WHERE id = 1').run();
    })();
    this.cache.set(subject, 'destroyed');
    this.generation++;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Re-wraps every data key under the current master key; events and read models are not touched. */
  rotate(): { rewrapped: number; total: number } {
    const rows = this.db.prepare('SELECT subject, wrapped, master_id FROM data_keys WHERE wrapped IS NOT NULL').all() as KeyRow[];
    const update = this.db.prepare('UPDATE data_keys SET wrapped = ?, master_id = ? WHERE subject = ?');
    let rewrapped = 0;
    this.db.transaction(() => {
      for (const row of rows) {
        if (row.master_id === this.currentId) continue;
        const raw = this.unwrapRaw(row);
        update.run(this.wrap(row.subject, raw), this.currentId, row.subject);
        rewrapped++;
      }
    })();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return { rewrapped, total: rows.length };
  }

  close(): void {
    this.db.close();
  }

  private wrap(subject: string, raw: Buffer): Buffer {
    return sealBytes(this.masters.get(this.currentId)!, `data-key:${subject}`, raw);
  }

  private unwrap(row: KeyRow): DataKey {
    return row.wrapped === null ? 'destroyed' : fieldKey(this.unwrapRaw(row));
  }

  private unwrapRaw(row: KeyRow): Buffer {
    const master = this.masters.get(row.master_id ?? '');
    // a missing master key is an operator error (wrong key file), never "erased": stop loudly
    if (!master) throw new Error(`data key of ${row.subject} is wrapped by master key ${row.master_id}, which is not configured`);
    const raw = openBytes(master, `data-key:${row.subject}`, row.wrapped!);
    if (!raw) throw new Error(`data key of ${row.subject} does not match its master key (tampered keys.sqlite?)`);
    return raw;
  }
}
