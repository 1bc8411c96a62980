import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The deployment secret of keyed hashes of personal values (ADR 22), as configured. */
export interface PersonalDataHashConfig {
  /** PERSONAL_DATA_HASH_SECRET, or the content of PERSONAL_DATA_HASH_KEY_FILE: at least 32 bytes, hex-encoded */
  personalDataHashSecret: Buffer | null;
  /** PERSONAL_DATA_HASH_KEY_FILE: where the secret is kept; unset and no secret: generated once into <DATA_DIR>/secrets/ */
  personalDataHashKeyFile: string | null;
}

/** A secret is 64 or more hex digits (32 bytes: what HMAC-SM3 needs to resist guessing). */
export function parseHashSecret(text: string): Buffer | null {
  const hex = text.trim();
  return /^([0-9a-fA-F]{2}){32,}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
}

/** Reads and checks the keyed-hash settings; a file named but unreadable stops the start (a missing secrets mount must not mint a new key). */
export function personalDataHashConfig(env: NodeJS.ProcessEnv, problems: string[]): PersonalDataHashConfig {
  const raw = env['PERSONAL_DATA_HASH_SECRET'];
  const file = env['PERSONAL_DATA_HASH_KEY_FILE'] ? resolve(env['PERSONAL_DATA_HASH_KEY_FILE']) : null;
  if (raw && file) problems.push('set PERSONAL_DATA_HASH_SECRET or PERSONAL_DATA_HASH_KEY_FILE, not both');
  if (raw) {
    const secret = parseHashSecret(raw);
    if (!secret) problems.push('PERSONAL_DATA_HASH_SECRET must be at least 64 hex digits (e.g. openssl rand -hex 32)');
    return { personalDataHashSecret: secret, personalDataHashKeyFile: null };
  }
  if (!file) return { personalDataHashSecret: null, personalDataHashKeyFile: null };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`PERSONAL_DATA_HASH_KEY_FILE=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return { personalDataHashSecret: null, personalDataHashKeyFile: file };
  }
  const secret = parseHashSecret(text);
  if (!secret) problems.push(`PERSONAL_DATA_HASH_KEY_FILE=${file} must hold at least 64 hex digits (e.g. openssl rand -hex 32 > ${file})`);
  return { personalDataHashSecret: secret, personalDataHashKeyFile: file };
}
