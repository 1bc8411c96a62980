import { describe, expect, it } from '@jest/globals';
import { PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  const cheap = new PasswordHasher(10);
  const dearer = new PasswordHasher(11);

  it('writes its cost into the hash and verifies only the right password', async () => {
    const hash = await cheap.hash('Kinder#2026');
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await cheap.verify('Kinder#2026', hash)).toBe(true);
    expect(await cheap.verify('kinder#2026', hash)).toBe(false);
    expect(await cheap.verify('Kinder#2026', null)).toBe(false);
  });

  it('verifies a hash of another cost, and asks to rehash only a cheaper one', async () => {
    const old = await cheap.hash('Kinder#2026');
    expect(await dearer.verify('Kinder#2026', old)).toBe(true);
    expect(dearer.needsRehash(old)).toBe(true);
    expect(cheap.needsRehash(await dearer.hash('x'))).toBe(false);
    expect(dearer.needsRehash(null)).toBe(true);
  });

  it('refuses stored parameters it would have to allocate absurd memory for', async () => {
    expect(await cheap.verify('x', 'scrypt$1073741824$8$1$c2FsdA$aGFzaA')).toBe(false);
  });

  it('derives maxmem from the cost: the production cost N = 2^17, r = 8 works', async () => {
    const production = new PasswordHasher(17);
    const hash = await production.hash('Kinder#2026');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
  });
});
