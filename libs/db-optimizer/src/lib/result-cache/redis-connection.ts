import { Cache, createCache, KeyvAdapter } from 'cache-manager';
import { redisInsStore } from 'cache-manager-ioredis-yet';
import { Keyv } from 'keyv';
import { parseRedisTarget, RedisTarget } from '../options/redis-target';
import { createRedisClient, RedisClient } from './redis-client';
import { RESULT_CACHE_KEYV_NAMESPACE } from './result-cache.constants';
import { assertLegacyRedisStore, RedisStoreAdapter } from './redis-store-adapter';

/** The Redis clients of the result cache: one for commands (and L2 through cache-manager), one subscribed. */
export interface RedisConnection {
  target: RedisTarget;
  /** Commands: version scripts, pings. The client under `cache`'s store. */
  client: RedisClient;
  /** Subscriber: a client in subscribe mode can run nothing else. On a cluster, its sharded subscribers follow the slots. */
  subscriber: RedisClient;
  /** L2 entries through cache-manager 7 → Keyv → `cache-manager-ioredis-yet`. */
  cache: Cache;
}

/**
 * Creates the clients without connecting (`connect()` them). Both fail fast instead of
 * queueing while disconnected, give up on a command after `lateRedisAnswerMs`, reconnect on
 * their own, and report errors to `onError`: an unhandled ioredis 'error' would crash the process.
 */
export async function createRedisConnection(url: string, timeoutMs: number, onError: (error: Error) => void): Promise<RedisConnection> {
  const target = parseRedisTarget(url);
  const client = createRedisClient(target, timeoutMs, onError);
  const subscriber = createRedisClient(target, timeoutMs, onError, { subscriber: true });
  // cache-manager-ioredis-yet takes a client made elsewhere, Cluster included (it only runs single-key GET/SET here).
  const store = assertLegacyRedisStore(redisInsStore(client));
  // Keyv must throw, or cache-manager would see a Redis failure as a plain miss and nobody would know.
  const keyv = new Keyv({ store: new KeyvAdapter(new RedisStoreAdapter(store)), namespace: RESULT_CACHE_KEYV_NAMESPACE, throwOnErrors: true });
  keyv.on('error', onError);
  const cache = createCache({ stores: [keyv] });
  // cache-manager answers a failed get as a miss; the event is where the failure shows.
  cache.on('get', ({ error }) => {
    if (error !== undefined) onError(error instanceof Error ? error : new Error(String(error)));
  });
  return { target, client, subscriber, cache };
}
