import { KeyedHasher } from './keyed-hash.js';

describe('KeyedHasher', () => {
  const secret = Buffer.alloc(32, 7);

  it('gives the same hash for the same purpose, secret and value', () => {
    expect(new KeyedHasher(secret).hash('id', '110101202001011234')).toBe(new KeyedHasher(Buffer.from(secret)).hash('id', '110101202001011234'));
  });

  it('differs by purpose and by secret, so uses cannot be joined and a copy of the data cannot be brute-forced', () => {
    const hasher = new KeyedHasher(secret);
    expect(hasher.hash('id', 'x')).not.toBe(hasher.hash('name', 'x'));
    expect(hasher.hash('id', 'x')).not.toBe(new KeyedHasher(Buffer.alloc(32, 8)).hash('id', 'x'));
    expect(hasher.hash('id', 'x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives read models a 128-bit search token of the same HMAC (22 base64url characters)', () => {
    const hasher = new KeyedHasher(secret);
    const token = hasher.searchToken('search:name', '王小明');
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, 'base64url').toString('hex')).toBe(hasher.hash('search:name', '王小明').slice(0, 32));
    expect(token).not.toBe(hasher.searchToken('search:idNumber', '王小明'));
  });

  it('refuses a short secret', () => {
    expect(() => new KeyedHasher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
