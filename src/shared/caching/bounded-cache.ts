/**
 * A map of at most `limit` entries that forgets the least recently used ones, in two generations:
 * new entries go to the young map; when it is full it becomes the old one (the previous old one is
 * dropped whole), and a hit in the old map moves the entry back to the young one. O(1) throughout
 * (evicting from the front of one Map one entry at a time makes V8 walk its deleted slots).
 * Holds its entries in memory only: never written, logged or shared between processes (for the
 * personal-data caches of ADR 23, "Cost", that is the point: opened values stay in this process).
 */
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;

  constructor(limit: number) {
    if (limit < 2) throw new Error('a bounded cache holds at least two entries');
    this.half = Math.floor(limit / 2);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const value = this.young.get(key);
    if (value !== undefined) return value;
    const aged = this.old.get(key);
    if (aged !== undefined) {
      this.old.delete(key);
      this.put(key, aged);
    }
    return aged;
  }

  set(key: K, value: V): void {
    this.old.delete(key);
    this.put(key, value);
  }

  delete(key: K): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }

  private put(key: K, value: V): void {
    if (!this.young.has(key) && this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
