import { describe, expect, it } from '@jest/globals';
import { MongoReadStore, keysetCondition, toMongoFilter } from './mongodb.read-store.js';
import { readStoreContract } from './read-store.contract.js';

const url = process.env['MONGODB_URL'];

if (url) {
  readStoreContract('mongodb', () => MongoReadStore.connect(url));
} else {
  console.warn('MONGODB_URL is not set: the MongoDB read-store contract suite was SKIPPED (set it to run the suite against a real server)');
  describe.skip('ReadStore contract: mongodb (MONGODB_URL not set)', () => {
    it('runs only against a real server', () => undefined);
  });
}

describe('MongoReadStore query translation (no server needed)', () => {
  it('loads and exports the adapter', () => {
    expect(typeof MongoReadStore.connect).toBe('function');
  });

  it('translates equality, $in, ranges and escaped prefixes, and hides tombstones', () => {
    expect(toMongoFilter({ id: 'x', county: '410102', state: { $in: ['saved', 'submitted'] }, age: { $gte: 3, $lt: 6 }, code: { $prefix: '41.0(' } })).toEqual({
      _deleted: { $ne: true },
      _id: 'x',
      county: '410102',
      state: { $in: ['saved', 'submitted'] },
      age: { $gte: 3, $lt: 6 },
      code: { $regex: '^41\\.0\\(' },
    });
  });

  it('builds the keyset condition for mixed sort directions', () => {
    expect(keysetCondition([['age', 'desc'], ['id', 'desc']], [5, 'k'])).toEqual({
      $or: [{ age: { $lt: 5 } }, { age: 5, _id: { $lt: 'k' } }],
    });
    expect(keysetCondition([['name', 'asc'], ['id', 'asc']], ['张', 'a'])).toEqual({
      $or: [{ name: { $gt: '张' } }, { name: '张', _id: { $gt: 'a' } }],
    });
  });
});
