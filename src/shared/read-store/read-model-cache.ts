import { BoundedCache } from '../caching/bounded-cache.js';
import type { ReadStore } from './read-store.port.js';

/**
 * Answers computed from read models, kept while the collections they were read from are unchanged
 * (the store's `collectionVersion` tokens, which every connection's writes move: the projection
 * worker writes on its own). The tokens are read before the answer is computed, so a write racing
 * the computation can only make the entry look older than it is (a miss next time), never newer.
 * A store without versions (MongoDB) caches nothing. Bounded, in this process's memory only.
 *
 * The key must hold everything the answer depends on besides those collections (the caller's
 * scope, what it may see). An answer is shared between the callers of one key: never mutate it.
 * Side effects of computing it (the read audit) are not repeated by a hit: the caller keeps what
 * it needs for them in the value and repeats them itself.
 */
export class ReadModelCache<V> {
  private readonly entries: BoundedCache<string, { token: string; value: V }>;
  hits = 0;
  misses = 0;

  constructor(limit: number) {
    this.entries = new BoundedCache(limit);
  }

  async read(reads: ReadStore, key: string, collections: readonly string[], compute: () => Promise<V>): Promise<V> {
    const token = await versionToken(reads, collections);
    if (token === null) return compute();
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.token === token) {
      this.hits++;
      return hit.value;
    }
    this.misses++;
    const value = await compute();
    this.entries.set(key, { token, value });
    return value;
  }
}

/** The collections' versions together; null when the store keeps none. */
async function versionToken(reads: ReadStore, collections: readonly string[]): Promise<string | null> {
  if (!reads.collectionVersion) return null;
  const versions: string[] = [];
  for (const collection of collections) {
    const version = await reads.collectionVersion(collection);
    if (version === null) return null;
    versions.push(version);
  }
  return versions.join('\u0000');
}
