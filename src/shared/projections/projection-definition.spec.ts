import { describe, expect, it } from '@jest/globals';
import { checkpointKey, parseCheckpointKey } from './projection-definition.js';

describe('checkpoint keys', () => {
  it('reads back the projection version a checkpoint key was made of', () => {
    for (const projection of [{ name: 'records', version: 2 }, { name: 'reporting-counters', version: 12 }, { name: 'a@v1', version: 3 }]) {
      expect(parseCheckpointKey(checkpointKey(projection))).toEqual(projection);
    }
  });

  it('finds no projection version in other checkpoints', () => {
    expect(parseCheckpointKey('reactor:province-deduplication')).toBeNull();
    expect(parseCheckpointKey('records@v')).toBeNull();
    expect(parseCheckpointKey('records@vx')).toBeNull();
  });
});
