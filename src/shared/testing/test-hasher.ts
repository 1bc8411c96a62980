import { KeyedHasher } from '../personal-data/keyed-hash.js';

/** A KeyedHasher with a fixed test secret (specs and benches: a deployment generates its own, ADR 22). */
export const testHasher = (): KeyedHasher => new KeyedHasher(Buffer.alloc(32, 0x5a));
