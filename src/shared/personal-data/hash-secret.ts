import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PersonalDataHashConfig } from '../../config/personal-data-config.js';
import { parseHashSecret } from '../../config/personal-data-config.js';
import { KeyedHasher } from './keyed-hash.js';

/** Where the embedded default keeps a generated secret: beside the stores, never inside them (ADR 22). */
export const defaultKeyFile = (dataDir: string): string => join(dataDir, 'secrets', 'personal-data-hash.key');

/**
 * The deployment's KeyedHasher: the configured secret, else the key file of the data folder,
 * generated on first start (32 random bytes, hex, mode 0600 in a 0700 folder). Every process of one
 * deployment (service, CLI commands, the province generator) opens the same secret this way; a
 * different secret would make every de-duplication key look new.
 */
export function openKeyedHasher(config: PersonalDataHashConfig & { dataDir: string }): KeyedHasher {
  if (config.personalDataHashSecret) return new KeyedHasher(config.personalDataHashSecret);
  const file = defaultKeyFile(config.dataDir);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': of two processes starting at once, the second reads the first one's key
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    chmodSync(file, 0o600);
  }
  const secret = parseHashSecret(readFileSync(file, 'utf8'));
  if (!secret) throw new Error(`${file} does not hold a keyed-hash secret (64+ hex digits)`);
  return new KeyedHasher(secret);
}
