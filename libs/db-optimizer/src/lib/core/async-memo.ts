import { LRUCache } from 'lru-cache';

/**
 * A bounded, expiring cache of asynchronous answers. Concurrent requests
 * for one key share a single computation; a failed computation is not
 * cached; an answer computed across a clear() is returned but not kept,
 * since it may predate the change that prompted the clear().
 */
export class AsyncMemo<K extends {}, V extends {}> {
  private readonly entries: LRUCache<K, V>;
  private readonly pending = new Map<K, Promise<V>>();
  private generation = 0;

  constructor(maxEntries: number, ttlMs: number) {
    this.entries = new LRUCache<K, V>({ max: maxEntries, ttl: ttlMs > 0 ? ttlMs : undefined });
  }

  /** Answers held now. */
  get size(): number {
    return this.entries.size;
  }

  /** The cached answer, if any, without computing. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Bumped by clear(): pass it back to setIfCurrent(). */
  get generationNow(): number {
    return this.generation;
  }

  /** Stores an answer learnt on the side (every member of a tree loaded at once), unless clear() ran since `generation`. */
  setIfCurrent(key: K, value: V, generation: number): void {
    if (generation === this.generation) this.entries.set(key, value);
  }

  get(key: K, compute: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const settle = (): void => {
      if (this.pending.get(key) === promise) this.pending.delete(key);
    };
    const promise = compute().then(
      (value) => {
        settle();
        if (generation === this.generation) this.entries.set(key, value);
        return value;
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
    this.pending.set(key, promise);
    return promise;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.pending.clear();
  }
}
