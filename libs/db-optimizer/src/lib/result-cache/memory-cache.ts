import { LRUCache } from 'lru-cache';
import type { CachedEntry } from './cached-entry';

/** Bounds of the in-process cache. */
export interface MemoryCacheOptions {
  maxEntries: number;
  /** Sum of the entries' payload sizes (UTF-8 bytes of their JSON) plus their keys. */
  maxBytes: number;
  /** Clock in ms since the epoch; tests pass their own. @default Date.now */
  now?: () => number;
}

/**
 * L1: an LRU bounded by entries and by bytes. An entry larger than the whole byte budget
 * is not kept. Expired entries are dropped when met; the LRU ages out the rest.
 */
export class MemoryCache {
  private readonly lru: LRUCache<string, CachedEntry>;
  private readonly now: () => number;

  constructor(options: MemoryCacheOptions) {
    this.now = options.now ?? Date.now;
    this.lru = new LRUCache<string, CachedEntry>({
      max: Math.max(1, Math.floor(options.maxEntries)),
      maxSize: Math.max(1, Math.floor(options.maxBytes)),
      sizeCalculation: (entry, key) => Math.max(1, entry.bytes + key.length),
    });
  }

  /** The live entry under `key`, or undefined (an expired one is dropped on the way). */
  get(key: string): CachedEntry | undefined {
    const entry = this.lru.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.lru.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Stores an entry; false when it is expired already or larger than the byte budget. */
  set(key: string, entry: CachedEntry): boolean {
    if (entry.expiresAt <= this.now()) return false;
    if (entry.bytes + key.length > this.lru.maxSize) return false;
    this.lru.set(key, entry);
    return this.lru.has(key);
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  /** Bytes held (payloads and keys). */
  get bytes(): number {
    return this.lru.calculatedSize;
  }
}
