import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('never holds more than its limit and keeps what is used', () => {
    const cache = new BoundedCache<number, string>(10);
    cache.set(0, 'zero');
    for (let i = 1; i < 1000; i++) {
      cache.set(i, String(i));
      // the entry in use survives every eviction
      expect(cache.get(0)).toBe('zero');
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    expect(cache.get(1)).toBeUndefined();
    expect(cache.get(999)).toBe('999');
  });

  it('forgets on delete and clear', () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
    cache.clear();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
