import { FileOwnerErased, type FileSealer } from '../files/file-store.port.js';
import { isSubject, openBytes, sealBytes } from './field-cipher.js';
import type { PersonalData } from './personal-data.js';

/** Header of a sealed file: magic, subject length, subject (a record id or `file/<sha256>`), then iv | ciphertext | tag. */
const MAGIC = Buffer.from('PDF1');

/**
 * Encryption at rest of uploaded files (ADR 23): evidence of duplicate cases and accident leaves,
 * exports. A file about one child (`owner`) is sealed with that child's data key, so erasing the
 * child makes it unreadable; any other file gets a key of its own (subject `file/<sha256>`) in
 * keys.sqlite. SM4-CTR + HMAC-SM3 as for fields; the tag binds the subject and the file's sha256.
 */
export class PersonalDataFileSealer implements FileSealer {
  constructor(private readonly pd: PersonalData) {}

  async seal(sha256: string, plain: Buffer, owner?: string): Promise<Buffer> {
    const subject = owner && isSubject(owner) ? owner : `file/${sha256}`;
    await this.pd.keys.ensure([subject]);
    const key = this.pd.keys.get(subject);
    // an erased child's file is not kept at all: nobody could read it
    if (key === 'destroyed') throw new FileOwnerErased(`the data key of ${subject} was destroyed: the file cannot be sealed`);
    if (key === null) throw new Error(`no data key for ${subject}: the file cannot be sealed`);
    const name = Buffer.from(subject, 'utf8');
    return Buffer.concat([MAGIC, Buffer.from([name.length]), name, sealBytes(key, context(subject, sha256), plain)]);
  }

  isSealed(stored: Buffer): boolean {
    return stored.length > MAGIC.length && stored.subarray(0, MAGIC.length).equals(MAGIC);
  }

  open(sha256: string, stored: Buffer): Buffer | null {
    if (!this.isSealed(stored)) return stored;
    const length = stored[MAGIC.length]!;
    const subject = stored.subarray(MAGIC.length + 1, MAGIC.length + 1 + length).toString('utf8');
    this.pd.refresh();
    const key = this.pd.keys.get(subject);
    if (key === 'destroyed') return null;
    if (key === null) throw new Error(`no data key for the file ${sha256} (keys.sqlite missing or replaced?)`);
    const plain = openBytes(key, context(subject, sha256), stored.subarray(MAGIC.length + 1 + length));
    if (!plain) throw new Error(`stored file ${sha256} fails its integrity check`);
    return plain;
  }
}

const context = (subject: string, sha256: string) => `${subject}:file:${sha256}`;
