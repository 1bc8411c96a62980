import { describe, expect, it } from '@jest/globals';
import { StateCache } from './state-cache.js';

describe('StateCache', () => {
  const decider = {};
  const other = {};
  const folded = (revision: number) => ({ state: { revision }, revision, position: revision * 10 });

  it('keeps states per decider and stream, and never goes back to an older revision', () => {
    const cache = new StateCache(10);
    cache.set(decider, 's', folded(3));
    cache.set(other, 's', folded(1));
    cache.set(decider, 's', folded(2)); // a slower reader's older fold
    expect(cache.get(decider, 's')).toEqual(folded(3));
    expect(cache.get(other, 's')).toEqual(folded(1));
    expect(cache.get(decider, 'unknown')).toBeUndefined();
  });

  it('forgets the stream set longest ago once over its bound', () => {
    const cache = new StateCache(2);
    cache.set(decider, 'a', folded(1));
    cache.set(decider, 'b', folded(1));
    cache.set(decider, 'a', folded(2)); // a is used again: b is now the oldest
    cache.set(decider, 'c', folded(1));
    expect(cache.get(decider, 'b')).toBeUndefined();
    expect(cache.get(decider, 'a')).toEqual(folded(2));
    expect(cache.get(decider, 'c')).toEqual(folded(1));
  });
});
