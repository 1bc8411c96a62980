import type { KeyedHasher } from '../../../shared/personal-data/keyed-hash.js';

/** The purpose of de-duplication keys among the keyed hashes: a search index of names can never be joined with them. */
export const DEDUPE_KEY_PURPOSE = 'dedupe-key';

/** The key stream's hash of a de-duplication key ("id:" + ID number, or name + gender + birth date + institution). */
export const dedupeKeyHash = (hasher: KeyedHasher, dedupeKey: string): string => hasher.hash(DEDUPE_KEY_PURPOSE, dedupeKey);
