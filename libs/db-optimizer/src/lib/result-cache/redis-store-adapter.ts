import type { CacheManagerStore } from 'cache-manager';
import type { RedisStore } from 'cache-manager-ioredis-yet';
import { KEYS_REFUSED, NOT_A_LEGACY_REDIS_STORE } from './result-cache.messages';

/**
 * The cache-manager v5 store interface that `cache-manager-ioredis-yet` implements at run
 * time. Its published types extend v5's `Store`, which cache-manager 7 no longer exports,
 * so TypeScript sees only `client` and `isCacheable`: this spells out the rest.
 */
export interface LegacyRedisStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  mget(...keys: string[]): Promise<unknown[]>;
  /** v5 takes pairs; cache-manager 7's `CacheManagerStore.mset` takes a record. */
  mset(pairs: Array<[string, unknown]>, ttlMs?: number): Promise<void>;
  del(key: string): Promise<void>;
  mdel(...keys: string[]): Promise<void>;
  ttl(key: string): Promise<number>;
  isCacheable(value: unknown): boolean;
}

const LEGACY_METHODS = ['get', 'set', 'mget', 'mset', 'del', 'mdel', 'ttl', 'isCacheable'] as const;

/** Checks at run time that the store has the v5 methods its types do not show. */
export function isLegacyRedisStore(store: RedisStore): store is RedisStore & LegacyRedisStore {
  return missingMethods(store).length === 0;
}

/** Names of the v5 methods `store` lacks, for the error message. */
export function missingMethods(store: object): string[] {
  const members = store as Partial<Record<(typeof LEGACY_METHODS)[number], unknown>>;
  return LEGACY_METHODS.filter((name) => typeof members[name] !== 'function');
}

/**
 * Presents a `cache-manager-ioredis-yet` store as the `CacheManagerStore` that
 * cache-manager 7's `KeyvAdapter` expects, translating the one signature that differs
 * (`mset`). It has no `reset`, so `Keyv.clear()` can never FLUSHDB a shared Redis, and its
 * `keys()` refuses: listing keys blocks Redis, and the cache never needs it.
 *
 * @example
 * const store = await redisStore({ host, port, lazyConnect: true });
 * if (!isLegacyRedisStore(store)) throw new TypeError(NOT_A_LEGACY_REDIS_STORE(missingMethods(store)));
 * const keyv = new Keyv({ store: new KeyvAdapter(new RedisStoreAdapter(store)) });
 * const cache = createCache({ stores: [keyv] });
 */
export class RedisStoreAdapter implements CacheManagerStore {
  readonly name = 'ioredis';

  constructor(private readonly store: LegacyRedisStore) {}

  isCacheable = (value: unknown): boolean => this.store.isCacheable(value);

  get(key: string): Promise<unknown> {
    return this.store.get(key);
  }

  mget(...keys: string[]): Promise<unknown[]> {
    return this.store.mget(...keys);
  }

  set(key: string, value: unknown, ttlMs?: number): Promise<void> {
    return this.store.set(key, value, ttlMs);
  }

  mset(data: Record<string, unknown>, ttlMs?: number): Promise<void> {
    return this.store.mset(Object.entries(data), ttlMs);
  }

  del(key: string): Promise<void> {
    return this.store.del(key);
  }

  mdel(...keys: string[]): Promise<void> {
    return this.store.mdel(...keys);
  }

  ttl(key: string): Promise<number> {
    return this.store.ttl(key);
  }

  keys(): Promise<string[]> {
    return Promise.reject(new Error(KEYS_REFUSED()));
  }
}

/** Narrows the store or throws a message naming what is missing. */
export function assertLegacyRedisStore(store: RedisStore): RedisStore & LegacyRedisStore {
  if (!isLegacyRedisStore(store)) throw new TypeError(NOT_A_LEGACY_REDIS_STORE(missingMethods(store)));
  return store;
}
