import { describe, expect, it } from '@jest/globals';
import { MongoReadStore, dbNameFromUrl, keysetCondition, toMongoFilter } from './mongodb.read-store.js';
import { readStoreContract } from './read-store.contract.js';
import { InvalidQueryError, encodeCursor, decodeCursor } from './read-store.port.js';

// Without a server the contract's own tests are declared skipped, so jest's count shows them as
// skipped (not one placeholder test) and the name says what to set.
(process.env.MONGODB_URL ? describe : describe.skip)('with a server (set MONGODB_URL, e.g. mongodb://localhost:27017/preschool_test, to run)', () => {
  readStoreContract('mongodb', () => MongoReadStore.connect(process.env.MONGODB_URL!));
});

describe('MongoReadStore without a server', () => {
  it('loads and exports the adapter', () => {
    expect(typeof MongoReadStore).toBe('function');
    expect(typeof MongoReadStore.connect).toBe('function');
  });

  it('translates equality, null, $in, ranges and escaped prefixes, maps id to _id and hides tombstones', () => {
    expect(
      toMongoFilter({ id: 'x', county: '410102', classId: null, state: { $in: ['saved', 'submitted'] }, age: { $gte: 3, $lt: 6 }, code: { $prefix: '41.0(_%' } }),
    ).toEqual({
      _deleted: { $ne: true },
      _id: 'x',
      county: '410102',
      classId: null,
      state: { $in: ['saved', 'submitted'] },
      age: { $gte: 3, $lt: 6 },
      code: { $regex: '^41\\.0\\(_%' },
    });
    expect(toMongoFilter({})).toEqual({ _deleted: { $ne: true } });
  });

  it('refuses operators outside the port, instead of passing them to MongoDB', () => {
    expect(() => toMongoFilter({ age: { $ne: 3 } as never })).toThrow(InvalidQueryError);
    expect(() => toMongoFilter({ name: { $prefix: { $gt: '' } } as never })).toThrow(InvalidQueryError);
  });

  it('builds the keyset condition per sort direction, with id as tie-breaker', () => {
    expect(keysetCondition([['age', 'asc'], ['id', 'asc']], [5, 'k'])).toEqual({
      $or: [{ age: { $gt: 5 } }, { age: 5, _id: { $gt: 'k' } }],
    });
    // descending: documents without a value (null sorts lowest) still follow
    expect(keysetCondition([['state', 'asc'], ['age', 'desc'], ['id', 'desc']], ['saved', 5, 'k'])).toEqual({
      $or: [{ state: { $gt: 'saved' } }, { state: 'saved', $or: [{ age: { $lt: 5 } }, { age: null }] }, { state: 'saved', age: 5, _id: { $lt: 'k' } }],
    });
  });

  it('pages past null sort values', () => {
    expect(keysetCondition([['classId', 'asc'], ['id', 'asc']], [null, 'k'])).toEqual({
      $or: [{ classId: { $ne: null } }, { classId: null, _id: { $gt: 'k' } }],
    });
    expect(keysetCondition([['classId', 'desc'], ['id', 'desc']], [null, 'k'])).toEqual({
      $or: [{ classId: null, _id: { $lt: 'k' } }],
    });
  });

  it('refuses tampered cursors', () => {
    const tampered = decodeCursor(encodeCursor([{ $ne: null } as never, 'k']), 2);
    expect(() => keysetCondition([['age', 'asc'], ['id', 'asc']], tampered)).toThrow(InvalidQueryError);
    expect(() => keysetCondition([['age', 'asc'], ['id', 'asc']], [1, 2])).toThrow(/cursor is not valid/);
  });

  it('takes the database name from the URL path', () => {
    expect(dbNameFromUrl('mongodb://u:p@h1:27017,h2:27017/records?replicaSet=rs0')).toBe('records');
    expect(dbNameFromUrl('mongodb+srv://cluster.example.net/preschool_test')).toBe('preschool_test');
    expect(dbNameFromUrl('mongodb://localhost:27017')).toBeUndefined();
    expect(dbNameFromUrl('mongodb://localhost:27017/?w=majority')).toBeUndefined();
  });
});
