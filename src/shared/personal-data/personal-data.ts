import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataKeyStore, type MasterKeyring } from './data-key-store.js';
import { BoundedCache } from '../caching/bounded-cache.js';
import { ERASED, isSubject, openBytes, parseSealed, sealValue, sealedSubject } from './field-cipher.js';
import { KeyedHasher } from './keyed-hash.js';
import { type PersonalShape, forEachSealed, openShape, openShapeLazily, sealShape, subjectsOf } from './personal-shape.js';

/** Values kept opened, sealed and hashed (each cache): a service's hot documents and a rebuild's recent ones. */
const VALUE_CACHE = 50_000;

/**
 * Where search hashes were keyed before they used the deployment's secret (issue 21): a random
 * key kept wrapped in keys.sqlite. A folder that still holds it keeps searching with it until
 * `personal-data rehash-search` rebuilds the read models with the deployment secret and destroys it.
 */
export const LEGACY_SEARCH_SECRET_SUBJECT = '_search-index';

/**
 * Seals and opens a child's personal values with the child's data key, and hashes them for
 * equality search. One instance per data folder and process, shared by the event-store and
 * read-store decorators (see ADR 23).
 *
 * What costs is the crypto per value, so it is done once per value (ADR 23, "Cost"): an opened
 * value is remembered by its sealed form, and the sealed form by (subject, value), so a
 * projection writing back what it just read (or what an event carried) stores the same sealed
 * bytes again instead of sealing anew; keyed hashes are remembered too. The caches are bounded,
 * in memory only, and dropped whenever a data key may have been destroyed (here or in another
 * process), so an erased child's values never come out of them.
 */
export class PersonalData {
  private users = 0;
  private readonly opened = new BoundedCache<string, string>(VALUE_CACHE);
  private readonly sealed = new BoundedCache<string, string>(VALUE_CACHE);
  private readonly hashes = new BoundedCache<string, string>(VALUE_CACHE);
  private generation = 0;

  constructor(
    readonly keys: DataKeyStore,
    readonly hasher: KeyedHasher,
  ) {}

  /** Seals the shape's fields of `data` (creating the subjects' keys first). A shredded subject's values become ERASED. */
  async seal(data: Record<string, unknown>, shape: PersonalShape): Promise<Record<string, unknown>> {
    const subjects = subjectsOf(data, shape);
    if (subjects.size === 0) return data;
    await this.keys.ensure(subjects);
    return sealShape(data, shape, (subject, value) => this.sealOne(subject, value));
  }

  sealOne(subject: string, value: string): string {
    // the subject is stored in clear beside the value: a record id, never anything personal
    if (!isSubject(subject)) throw new Error(`data-key subject ${JSON.stringify(subject).slice(0, 60)} is not an id`);
    this.checkGeneration();
    const known = this.sealed.get(`${subject}\u0000${value}`);
    if (known !== undefined) return known;
    const key = this.keys.get(subject);
    if (key === null) throw new Error(`no data key for ${subject}: call keys.ensure first`);
    if (key === 'destroyed') return ERASED;
    const out = sealValue(key, subject, value);
    this.remember(subject, value, out);
    return out;
  }

  /** Opens the shape's sealed values of `data`; call refresh() once before a batch of reads. */
  open(data: Record<string, unknown>, shape: PersonalShape): Record<string, unknown> {
    return openShape(data, shape, (sealed) => this.openOne(sealed));
  }

  /**
   * Opens a batch (refreshing once and looking the missing keys up in one query). `lazily`: each
   * value only when it is read (events, whose readers use a few of their fields). `refreshed`: the
   * caller has just called keyGeneration() in this same synchronous stretch, so the key store is not
   * asked again.
   */
  openMany<T extends Record<string, unknown>>(
    items: readonly T[],
    shapeOf: (item: T, index: number) => PersonalShape | undefined,
    { lazily = false, refreshed = false }: { lazily?: boolean; refreshed?: boolean } = {},
  ): T[] {
    if (!refreshed) this.refresh();
    const shapes = items.map(shapeOf);
    const subjects = new Set<string>();
    for (const [i, item] of items.entries()) {
      const shape = shapes[i];
      if (!shape) continue;
      forEachSealed(item, shape, (sealed) => {
        const subject = sealedSubject(sealed);
        if (subject !== null) subjects.add(subject);
      });
    }
    if (subjects.size > 0) this.keys.prefetch(subjects);
    const openOne = (sealed: string) => this.openOne(sealed);
    return items.map((item, i) => {
      const shape = shapes[i];
      if (!shape) return item;
      return (lazily ? openShapeLazily(item, shape, openOne) : openShape(item, shape, openOne)) as T;
    });
  }

  refresh(): void {
    this.keys.refresh();
    this.checkGeneration();
  }

  /**
   * Moves on whenever a data key may have been destroyed, here or in another process (checked
   * now): what was opened before a change must not be answered after it.
   */
  keyGeneration(): number {
    this.refresh();
    return this.generation;
  }

  /** A key may have been destroyed: nothing opened or sealed with the old keys is used again. */
  private checkGeneration(): void {
    if (this.keys.generation === this.generation) return;
    this.generation = this.keys.generation;
    this.opened.clear();
    this.sealed.clear();
  }

  private remember(subject: string, plain: string, sealed: string): void {
    this.opened.set(sealed, plain);
    this.sealed.set(`${subject}\u0000${plain}`, sealed);
  }

  private openOne(sealed: string): string {
    this.checkGeneration();
    const known = this.opened.get(sealed);
    if (known !== undefined) return known;
    const parsed = parseSealed(sealed);
    // a declared field holds only values this class sealed: anything else is tampering
    if (!parsed) throw new Error('a personal field holds a malformed sealed value');
    const key = this.keys.get(parsed.subject);
    if (key === 'destroyed') return ERASED;
    // no key, or a tag that does not match: the stores were tampered with or the key file is wrong; never guess
    if (key === null) throw new Error(`no data key for subject ${parsed.subject} (keys.sqlite missing or replaced?)`);
    const plain = openBytes(key, parsed.subject, parsed.payload);
    if (!plain) throw new Error(`sealed value of subject ${parsed.subject} fails its integrity check`);
    const text = plain.toString('utf8');
    this.remember(parsed.subject, text, sealed);
    return text;
  }

  /** The keyed search token of a value (KeyedHasher.searchToken), remembered like opened values. */
  searchToken(purpose: string, value: string): string {
    const id = `${purpose}\u0000${value}`;
    let hash = this.hashes.get(id);
    if (hash === undefined) {
      hash = this.hasher.searchToken(purpose, value);
      this.hashes.set(id, hash);
    }
    return hash;
  }

  retain(): this {
    this.users++;
    return this;
  }

  release(): void {
    if (--this.users === 0) {
      this.keys.close();
      opened.forEach((pd, dir) => pd === this && opened.delete(dir));
    }
  }
}

export interface PersonalDataSettings {
  dataDir: string;
  /** the master key (32 bytes); from the configured key file, or a file made in the data folder on first start */
  keyring: MasterKeyring;
  /** the deployment's keyed hasher (KEYED_HASHER's secret, not stored with the data): search hashes use it too */
  hasher: KeyedHasher;
}

const opened = new Map<string, PersonalData>();

/** The data folder's PersonalData, opened once per process (the stores of one process share the cache). */
export async function personalDataFor(settings: PersonalDataSettings): Promise<PersonalData> {
  let pd = opened.get(settings.dataDir);
  if (!pd) {
    mkdirSync(settings.dataDir, { recursive: true });
    const keys = new DataKeyStore(join(settings.dataDir, 'keys.sqlite'), settings.keyring);
    pd = new PersonalData(keys, legacySearchHasher(keys) ?? settings.hasher);
    opened.set(settings.dataDir, pd);
  }
  return pd.retain();
}

/** The search secret of a folder not migrated yet (its read models' hashes were made with it); null once migrated. */
export function legacySearchHasher(keys: DataKeyStore): KeyedHasher | null {
  const key = keys.get(LEGACY_SEARCH_SECRET_SUBJECT);
  return key && key !== 'destroyed' ? new KeyedHasher(Buffer.concat([key.enc, key.mac])) : null;
}

/**
 * The master keyring from configuration: PERSONAL_DATA_KEY_FILE (hex or 32 raw bytes), the
 * previous keys during a rotation; without a key file, a key made once in the data folder
 * (the embedded default: protects copies of the stores, not a stolen data folder; see ADR 23).
 */
export function loadKeyring(dataDir: string, keyFile: string | null, previousFiles: readonly string[]): MasterKeyring {
  let file = keyFile;
  if (!file) {
    file = join(dataDir, 'master.key');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    }
  }
  return { current: readMasterKey(file), previous: previousFiles.map(readMasterKey) };
}

export function readMasterKey(file: string): Buffer {
  const raw = readFileSync(file);
  const text = raw.toString('utf8').trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : raw;
  if (key.length !== 32) throw new Error(`master key file ${file} must hold 32 bytes (64 hex digits)`);
  return key;
}
