import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * SM4-CTR + HMAC-SM3, encrypt-then-MAC (GB/T 32907 + GB/T 32905, both in Node's OpenSSL, which
 * has no SM4-GCM): CTR alone is malleable, so every ciphertext carries an HMAC-SM3 tag over the
 * subject, the IV and the ciphertext, checked before anything is decrypted. A 32-byte key is
 * split into the SM4 key and the MAC key, so the two are never the same. See ADR 23.
 */
const IV = 16;
const TAG = 16;

export interface FieldKey {
  enc: Buffer;
  mac: Buffer;
}

export function fieldKey(raw: Buffer): FieldKey {
  if (raw.length !== 32) throw new Error('a personal-data key is 32 bytes');
  return { enc: raw.subarray(0, 16), mac: raw.subarray(16, 32) };
}

export function newRawKey(): Buffer {
  return randomBytes(32);
}

/** iv | ciphertext | tag; `context` (the subject) is authenticated, so a value cannot be moved to another child. */
export function sealBytes(key: FieldKey, context: string, plain: Buffer): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('sm4-ctr', key.enc, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const tag = createHmac('sm3', key.mac).update(context).update('\u0000').update(iv).update(body).digest().subarray(0, TAG);
  return Buffer.concat([iv, body, tag]);
}

/** The plaintext, or null when the tag does not match (tampered, wrong key or wrong subject). */
export function openBytes(key: FieldKey, context: string, sealed: Buffer): Buffer | null {
  if (sealed.length < IV + TAG) return null;
  const iv = sealed.subarray(0, IV);
  const body = sealed.subarray(IV, sealed.length - TAG);
  const tag = sealed.subarray(sealed.length - TAG);
  const expected = createHmac('sm3', key.mac).update(context).update('\u0000').update(iv).update(body).digest().subarray(0, TAG);
  if (!timingSafeEqual(tag, expected)) return null;
  const decipher = createDecipheriv('sm4-ctr', key.enc, iv);
  return Buffer.concat([decipher.update(body), decipher.final()]);
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

/** subject and payload of a sealed value; null for any other string */
export function parseSealed(value: string): { subject: string; payload: Buffer } | null {
  if (!value.startsWith(SEALED_PREFIX)) return null;
  const colon = value.indexOf(':', SEALED_PREFIX.length);
  if (colon < 0) return null;
  const subject = value.slice(SEALED_PREFIX.length, colon);
  if (!isSubject(subject)) return null;
  return { subject, payload: Buffer.from(value.slice(colon + 1), 'base64url') };
}

/** What a reader sees of a personal value whose data key was destroyed (crypto-shredding). */
export const ERASED = '〔已擦除〕';

/** Short id of a master key (first 8 bytes of its SM3 digest): which key wrapped a data key. */
export function masterKeyId(master: Buffer): string {
  return createHash('sm3').update(master).digest('hex').slice(0, 16);
}
