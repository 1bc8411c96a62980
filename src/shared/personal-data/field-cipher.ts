import { type Cipher, createCipheriv, createHash, createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

/**
 * SM4-CTR + HMAC-SM3, encrypt-then-MAC (GB/T 32907 + GB/T 32905, both in Node's OpenSSL, which
 * has no SM4-GCM): CTR alone is malleable, so every ciphertext carries an HMAC-SM3 tag over the
 * subject, the IV and the ciphertext, checked before anything is decrypted. A 32-byte key is
 * split into the SM4 key and the MAC key, so the two are never the same. See ADR 23.
 *
 * CTR is computed here from one SM4-ECB object per key (keystream block i = SM4(IV + i), the
 * 128-bit big-endian counter OpenSSL's sm4-ctr uses, byte for byte the same output): creating a
 * cipher object per value cost more than the encryption itself (ADR 23, "Cost").
 */
const IV = 16;
const TAG = 16;
const BLOCK = 16;

export interface FieldKey {
  enc: Buffer;
  mac: Buffer;
  /** SM4-ECB of `enc`, made on first use and kept with the key (never outside memory) */
  ecb?: Cipher;
}

export function fieldKey(raw: Buffer): FieldKey {
  if (raw.length !== 32) throw new Error('a personal-data key is 32 bytes');
  return { enc: raw.subarray(0, 16), mac: raw.subarray(16, 32) };
}

export function newRawKey(): Buffer {
  return randomBytes(32);
}

// IVs come from a pool filled by the CSPRNG: one system call per 256 values instead of one each
const pool = Buffer.allocUnsafe(IV * 256);
let pooled = pool.length;
function freshIv(into: Buffer, at: number): void {
  if (pooled + IV > pool.length) {
    randomFillSync(pool);
    pooled = 0;
  }
  pool.copy(into, at, pooled, pooled + IV);
  // a used IV never stays in the pool
  pool.fill(0, pooled, pooled + IV);
  pooled += IV;
}

/** XORs `length` bytes of src (from `from`) with the SM4-CTR keystream of `iv` into out (at `to`). */
function ctr(key: FieldKey, iv: Buffer, src: Buffer, from: number, length: number, out: Buffer, to: number): void {
  if (length === 0) return;
  const blocks = Math.ceil(length / BLOCK);
  const counters = Buffer.allocUnsafe(blocks * BLOCK);
  for (let b = 0; b < blocks; b++) {
    iv.copy(counters, b * BLOCK, 0, BLOCK);
    // counter = IV + b, carried over all 16 bytes (big-endian), as OpenSSL's CTR mode does
    let carry = b;
    for (let i = b * BLOCK + BLOCK - 1; i >= b * BLOCK && carry > 0; i--) {
      const sum = counters[i]! + (carry & 0xff);
      counters[i] = sum & 0xff;
      carry = (carry >>> 8) + (sum >>> 8);
    }
  }
  if (!key.ecb) {
    key.ecb = createCipheriv('sm4-ecb', key.enc, null);
    key.ecb.setAutoPadding(false);
  }
  // whole blocks only, so the ECB object never holds a partial block between calls
  const stream = key.ecb.update(counters);
  for (let i = 0; i < length; i++) out[to + i] = src[from + i]! ^ stream[i]!;
}

function tagOf(key: FieldKey, context: string, iv: Buffer, body: Buffer): Buffer {
  return createHmac('sm3', key.mac).update(context).update('\u0000').update(iv).update(body).digest();
}

/** iv | ciphertext | tag; `context` (the subject) is authenticated, so a value cannot be moved to another child. */
export function sealBytes(key: FieldKey, context: string, plain: Buffer): Buffer {
  const out = Buffer.allocUnsafe(IV + plain.length + TAG);
  freshIv(out, 0);
  const iv = out.subarray(0, IV);
  ctr(key, iv, plain, 0, plain.length, out, IV);
  tagOf(key, context, iv, out.subarray(IV, IV + plain.length)).copy(out, IV + plain.length, 0, TAG);
  return out;
}

/** The plaintext, or null when the tag does not match (tampered, wrong key or wrong subject). */
export function openBytes(key: FieldKey, context: string, sealed: Buffer): Buffer | null {
  if (sealed.length < IV + TAG) return null;
  const iv = sealed.subarray(0, IV);
  const body = sealed.subarray(IV, sealed.length - TAG);
  const tag = sealed.subarray(sealed.length - TAG);
  const expected = tagOf(key, context, iv, body).subarray(0, TAG);
  if (!timingSafeEqual(tag, expected)) return null;
  const plain = Buffer.allocUnsafe(body.length);
  ctr(key, iv, body, 0, body.length, plain, 0);
  return plain;
}

/** A sealed personal value inside JSON: `pd1:<subject>:<base64url>`; the subject is a record id, never personal. */
export const SEALED_PREFIX = 'pd1:';
const SUBJECT = /^[A-Za-z0-9_/.-]{1,200}$/;

export function isSubject(subject: string): boolean {
  return SUBJECT.test(subject);
}

export function sealValue(key: FieldKey, subject: string, value: string): string {
  return `${SEALED_PREFIX}${subject}:${sealBytes(key, subject, Buffer.from(value, 'utf8')).toString('base64url')}`;
}

/** The subject of a sealed value without decoding it; null for any other string. */
export function sealedSubject(value: string): string | null {
  if (!value.startsWith(SEALED_PREFIX)) return null;
  const colon = value.indexOf(':', SEALED_PREFIX.length);
  if (colon < 0) return null;
  const subject = value.slice(SEALED_PREFIX.length, colon);
  return isSubject(subject) ? subject : null;
}

/** subject and payload of a sealed value; null for any other string */
export function parseSealed(value: string): { subject: string; payload: Buffer } | null {
  const subject = sealedSubject(value);
  if (subject === null) return null;
  return { subject, payload: Buffer.from(value.slice(SEALED_PREFIX.length + subject.length + 1), 'base64url') };
}

/** What a reader sees of a personal value whose data key was destroyed (crypto-shredding). */
export const ERASED = '〔已擦除〕';

/** Short id of a master key (first 8 bytes of its SM3 digest): which key wrapped a data key. */
export function masterKeyId(master: Buffer): string {
  return createHash('sm3').update(master).digest('hex').slice(0, 16);
}
