import { createHmac } from 'node:crypto';

/**
 * Keyed hashes of personal values (ID numbers, names): de-duplication keys, equality-search
 * indexes of encrypted fields. HMAC-SM3 (GB/T 32905, in Node's OpenSSL) with a deployment secret
 * that is not stored with the data, so a hash cannot be reversed by trying the ~1,000 ID numbers
 * that share an area code and a birth date. `purpose` separates the uses, so a search index of
 * names can never be joined with a de-duplication key.
 */
export class KeyedHasher {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('the keyed-hash secret must be at least 32 bytes');
  }

  hash(purpose: string, value: string): string {
    return this.mac(purpose, value).toString('hex');
  }

  /**
   * The read models' search form of a value: the HMAC's first 128 bits in base64url (22
   * characters instead of 64). An index entry only has to tell equal values from different ones,
   * and at 40 million values a 128-bit collision is about 2^-76 likely; shorter keys mean fewer
   * index pages written on every document update and smaller rows (ADR 34).
   */
  searchToken(purpose: string, value: string): string {
    return this.mac(purpose, value).subarray(0, 16).toString('base64url');
  }

  private mac(purpose: string, value: string): Buffer {
    return createHmac('sm3', this.secret).update(purpose).update('\u0000').update(value).digest();
  }
}

/** Nest token of the deployment's KeyedHasher. */
export const KEYED_HASHER = Symbol('KEYED_HASHER');
