import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisTarget } from '../options/redis-target';
import { lateRedisAnswerMs } from './result-cache.constants';

/** A client of any of the three deployments: both kinds share the commands the cache uses. */
export type RedisClient = Redis | Cluster;

/**
 * On a cluster, how long a command waits before retrying after a node died or the cluster
 * said CLUSTERDOWN; ioredis retries up to `maxRedirections` (16) times, so 16 × 250 ms spans
 * a failover of a few seconds. Callers never wait that long (`cacheRedisTimeoutMs`); this
 * is for the recovery path and writes in flight.
 */
const CLUSTER_RETRY_DELAY_MS = 250;

/**
 * One lazily connecting client of `target`, with an 'error' listener. It fails fast instead
 * of queueing while disconnected and gives up on a command after `lateRedisAnswerMs`. `subscriber` makes a
 * cluster client route `SSUBSCRIBE` to one connection per master (ioredis' default sends
 * it to one random node, which never delivers `smessage`).
 */
export function createRedisClient(target: RedisTarget, timeoutMs: number, onError: (error: Error) => void, role: { subscriber?: boolean } = {}): RedisClient {
  const node: RedisOptions = {
    username: target.username,
    password: target.password,
    tls: target.tls ? {} : undefined,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Only a backstop: callers bound their waits with withTimeout(), judged after pending I/O. ioredis' timer is
    // not: after an event-loop stall it fires before the answer already in the socket is read.
    commandTimeout: lateRedisAnswerMs(timeoutMs),
    connectTimeout: Math.max(timeoutMs * 5, 500),
    // Keep trying, never more than half a second apart: recovery is noticed quickly.
    retryStrategy: (attempt) => Math.min(attempt * 50, 500),
  };
  let client: RedisClient;
  switch (target.kind) {
    case 'standalone':
      client = new Redis({ ...node, host: target.host, port: target.port, db: target.db, lazyConnect: true });
      break;
    case 'sentinel':
      client = new Redis({
        ...node,
        sentinels: target.sentinels,
        name: target.name,
        db: target.db,
        lazyConnect: true,
        sentinelRetryStrategy: (attempt) => Math.min(attempt * 50, 500),
        // A manual failover leaves the old master up as a replica: without this the client keeps using it.
        failoverDetector: true,
      });
      break;
    case 'cluster': {
      const options: ClusterOptions = {
        lazyConnect: true,
        enableOfflineQueue: false,
        redisOptions: node,
        shardedSubscribers: role.subscriber === true,
        retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
        retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
        // No periodic slot refresh (ioredis' real default): MOVED and node loss refresh the map, and a
        // refresh in flight at quit() re-arms its timer, which kept the process alive after close.
        clusterRetryStrategy: (attempt) => Math.min(attempt * 50, 500),
      };
      client = new Cluster(target.nodes, options);
      break;
    }
    default: {
      const never: never = target;
      throw new Error(`Unknown Redis target ${JSON.stringify(never)}`);
    }
  }
  client.on('error', onError);
  return client;
}

/**
 * Connects `client` again whenever ioredis ends it while its owner still wants it open
 * (`stillWanted()` false once the owner closes it on purpose).
 *
 * Why: ioredis 5 can end a Sentinel client it was not asked to close. With
 * `failoverDetector`, a `+switch-master` heard while the client is reconnecting and still
 * waiting for a sentinel's answer makes `SentinelConnector.disconnect()` clear its
 * `connecting` flag; the pending connect then fails with "Connection is closed." and the
 * client's status becomes 'end', from which nothing reconnects: every later command
 * fails with "Connection is closed.". It happens when a master dies (the client is
 * reconnecting during the election) and the announcement lands in that window.
 */
export function reconnectWhenEndedUnasked(client: RedisClient, stillWanted: () => boolean): void {
  client.on('end', () => {
    // Errors of this attempt reach the client's 'error' listener; it keeps retrying on its own after that.
    if (stillWanted()) client.connect().catch(() => undefined);
  });
}
