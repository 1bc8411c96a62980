import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt is memory-hard: it needs 128 * N * r bytes per hash (N = 2^17, r = 8: 128 MiB, a few
// hundred ms on this machine). Node refuses past `maxmem`, so it is derived from the parameters.
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const memoryFor = (n: number, r: number, p: number): number => 128 * n * r * p + 2 * 1024 * 1024;
// stored parameters are read back from the hash: refuse absurd ones instead of allocating them
const MAX_N = 2 ** 20;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: memoryFor(n, r, p) }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * "scrypt$N$r$p$salt$hash" (base64url): the parameters travel with the hash, so the cost can be
 * raised and old hashes still verify; `needsRehash` tells the login to upgrade them.
 * The cost is configured (PASSWORD_HASH_COST, log2 N); tests run with a cheap one.
 */
export class PasswordHasher {
  private readonly n: number;

  constructor(log2Cost: number) {
    this.n = 2 ** log2Cost;
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.n, R, P);
    return `scrypt$${this.n}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  async verify(password: string, stored: string | null): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) {
      // spend the same time on an unknown account, so timing does not tell which usernames exist
      await derive(password, Buffer.alloc(16), this.n, R, P);
      return false;
    }
    const actual = await derive(password, parsed.salt, parsed.n, parsed.r, parsed.p);
    return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
  }

  /** The stored hash is cheaper than the configured cost (or unreadable): hash the password again. */
  needsRehash(stored: string | null): boolean {
    const parsed = parse(stored);
    return !parsed || parsed.n < this.n || parsed.r < R;
  }
}

function parse(stored: string | null): { n: number; r: number; p: number; salt: Buffer; hash: Buffer } | null {
  const parts = stored?.split('$');
  if (!parts || parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every(Number.isInteger) || n < 2 || n > MAX_N || r < 1 || r > 32 || p < 1 || p > 16) return null;
  return { n, r, p, salt: Buffer.from(parts[4]!, 'base64url'), hash: Buffer.from(parts[5]!, 'base64url') };
}
