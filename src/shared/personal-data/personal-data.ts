import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataKeyStore, type MasterKeyring } from './data-key-store.js';
import { ERASED, isSubject, openBytes, parseSealed, sealValue } from './field-cipher.js';
import { KeyedHasher } from './keyed-hash.js';
import { type PersonalShape, openShape, sealShape, subjectsOf } from './personal-shape.js';

/** The subject of the search-index secret kept (wrapped) in the key store: not a record id, so never shredded. */
const SEARCH_SECRET_SUBJECT = '_search-index';

/**
 * Seals and opens a child's personal values with the child's data key, and hashes them for
 * equality search. One instance per data folder and process, shared by the event-store and
 * read-store decorators (see ADR 23).
 */
export class PersonalData {
  private users = 0;

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
    const key = this.keys.get(subject);
    if (key === null) throw new Error(`no data key for ${subject}: call keys.ensure first`);
    return key === 'destroyed' ? ERASED : sealValue(key, subject, value);
  }

  /** Opens the shape's sealed values of `data`; call refresh() once before a batch of reads. */
  open(data: Record<string, unknown>, shape: PersonalShape): Record<string, unknown> {
    return openShape(data, shape, (sealed) => this.openOne(sealed));
  }

  refresh(): void {
    this.keys.refresh();
  }

  private openOne(sealed: string): string {
    const parsed = parseSealed(sealed);
    // a declared field holds only values this class sealed: anything else is tampering
    if (!parsed) throw new Error('a personal field holds a malformed sealed value');
    const key = this.keys.get(parsed.subject);
    if (key === 'destroyed') return ERASED;
    // no key, or a tag that does not match: the stores were tampered with or the key file is wrong; never guess
    if (key === null) throw new Error(`no data key for subject ${parsed.subject} (keys.sqlite missing or replaced?)`);
    const plain = openBytes(key, parsed.subject, parsed.payload);
    if (!plain) throw new Error(`sealed value of subject ${parsed.subject} fails its integrity check`);
    return plain.toString('utf8');
  }

  hash(purpose: string, value: string): string {
    return this.hasher.hash(purpose, value);
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
  /** the deployment's keyed-hash secret when configured; else a random one kept wrapped in the key store */
  hashSecret?: Buffer | null;
}

const opened = new Map<string, PersonalData>();

/** The data folder's PersonalData, opened once per process (the stores of one process share the cache). */
export async function personalDataFor(settings: PersonalDataSettings): Promise<PersonalData> {
  let pd = opened.get(settings.dataDir);
  if (!pd) {
    mkdirSync(settings.dataDir, { recursive: true });
    const keys = new DataKeyStore(join(settings.dataDir, 'keys.sqlite'), settings.keyring);
    let secret = settings.hashSecret ?? null;
    if (!secret) {
      await keys.ensure([SEARCH_SECRET_SUBJECT]);
      const key = keys.get(SEARCH_SECRET_SUBJECT);
      if (!key || key === 'destroyed') throw new Error('the search-index secret of keys.sqlite is missing');
      secret = Buffer.concat([key.enc, key.mac]);
    }
    pd = new PersonalData(keys, new KeyedHasher(secret));
    opened.set(settings.dataDir, pd);
  }
  return pd.retain();
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
