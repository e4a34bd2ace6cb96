import { Cache, createCache, KeyvAdapter } from 'cache-manager';
import { redisStore } from 'cache-manager-ioredis-yet';
import Redis, { RedisOptions } from 'ioredis';
import { Keyv } from 'keyv';
import { redactUrl } from '../core/redact-url';
import { RESULT_CACHE_KEYV_NAMESPACE } from './result-cache.constants';
import { INVALID_REDIS_URL, REDIS_CLUSTER_UNSUPPORTED } from './result-cache.messages';
import { assertLegacyRedisStore, RedisStoreAdapter } from './redis-store-adapter';

/** The Redis clients of the result cache: one for commands (and L2 through cache-manager), one subscribed. */
export interface RedisConnection {
  /** Commands: version scripts, pings. The client under `cache`'s store. */
  client: Redis;
  /** Subscriber: a client in subscribe mode can run nothing else. */
  subscriber: Redis;
  /** L2 entries through cache-manager 7 → Keyv → `cache-manager-ioredis-yet`. */
  cache: Cache;
}

/**
 * Creates the clients without connecting (`connect()` them). Both fail fast instead of
 * queueing while disconnected, time out each command after `timeoutMs`, reconnect on
 * their own, and report errors to `onError`: an unhandled ioredis 'error' would crash the process.
 */
export async function createRedisConnection(url: string, timeoutMs: number, onError: (error: Error) => void): Promise<RedisConnection> {
  const options: RedisOptions = {
    ...redisOptionsFromUrl(url),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs * 5, 500),
    // Keep trying, never more than half a second apart: recovery is noticed quickly.
    retryStrategy: (attempt) => Math.min(attempt * 50, 500),
  };
  const store = assertLegacyRedisStore(await redisStore(options));
  if (!(store.client instanceof Redis)) throw new TypeError(REDIS_CLUSTER_UNSUPPORTED());
  const client = store.client;
  client.on('error', onError);
  const subscriber = client.duplicate();
  subscriber.on('error', onError);
  // Keyv must throw, or cache-manager would see a Redis failure as a plain miss and nobody would know.
  const keyv = new Keyv({ store: new KeyvAdapter(new RedisStoreAdapter(store)), namespace: RESULT_CACHE_KEYV_NAMESPACE, throwOnErrors: true });
  keyv.on('error', onError);
  const cache = createCache({ stores: [keyv] });
  // cache-manager answers a failed get as a miss; the event is where the failure shows.
  cache.on('get', ({ error }) => {
    if (error !== undefined) onError(error instanceof Error ? error : new Error(String(error)));
  });
  return { client, subscriber, cache };
}

/** The database number a Redis URL selects. */
export function redisDatabaseOf(url: string): number {
  return redisOptionsFromUrl(url).db ?? 0;
}

/** ioredis options from a `redis://user:password@host:port/db` URL (`rediss://` for TLS). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not rethrown: the parser's error carries the whole input, password included.
    throw new TypeError(INVALID_REDIS_URL(`"${redactUrl(url)}" is not a URL`));
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new TypeError(INVALID_REDIS_URL('must start with redis:// or rediss://'));
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new TypeError(INVALID_REDIS_URL(`names database "${parsed.pathname.slice(1)}", which is not a number`));
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}
