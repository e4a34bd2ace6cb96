import type { ConnectionOptions } from 'node:tls';
import type { PoolConfig } from 'pg';
import type { Registry } from 'prom-client';

/**
 * `pg` pool settings passed through to every connection of a pool: TLS, a password function
 * (e.g. a cloud IAM token, called for each new connection), keepAlive, application_name,
 * statement_timeout, types... The module owns the connection target and the sizing, so
 * `connectionString`, `max`, `min`, `idleTimeoutMillis` and `connectionTimeoutMillis` are set
 * through `*Url`, `*Pool.min/max`, `idleTimeoutMs` and `acquireTimeoutMs` instead.
 * @publicApi
 */
export type PgPoolConfig = Omit<PoolConfig, (typeof MODULE_OWNED_POOL_FIELDS)[number]>;

/** Fields of pg's PoolConfig the module sets itself. */
export const MODULE_OWNED_POOL_FIELDS = ['connectionString', 'max', 'min', 'idleTimeoutMillis', 'connectionTimeoutMillis'] as const;
import type { UnknownTriggerPolicy } from '../core/unknown-trigger-policy';
import type { RedisNodeAddress } from './redis-target';

/**
 * A Redis Cluster for the result cache and fleet metrics. Keys one script touches share a
 * hash tag; invalidation travels over sharded pub/sub (`SSUBSCRIBE`/`SPUBLISH`, Redis 7+).
 * @publicApi
 */
export interface RedisClusterOptions {
  /** Some of the cluster's nodes (any role): the client learns the rest. `'host:port'` or `{ host, port }`. */
  nodes: Array<RedisNodeAddress | string>;
  username?: string;
  password?: string;
}

/**
 * A Redis master watched by Sentinel: the client asks the sentinels where the master is and
 * follows it after a failover.
 * @publicApi
 */
export interface RedisSentinelOptions {
  /** The sentinels' addresses, `'host:port'` or `{ host, port }`. */
  sentinels: Array<RedisNodeAddress | string>;
  /** The master's name, as in the sentinels' `sentinel monitor <name> ...`. */
  name: string;
  /** Credentials of the master (not of the sentinels). */
  username?: string;
  password?: string;
  /** @default 0 */
  db?: number;
}

/**
 * Size limits of one pool role.
 * @publicApi
 */
export interface PoolSizeOptions {
  /** Connections kept open (opened at start, and the floor of auto-sizing). @default 5 */
  min?: number;
  /** Hard ceiling of connections. @default 20 (primary, read replicas), 10 (analytics) */
  max?: number;
  /**
   * `pg` settings for this role's pools, over the shared `poolConfig` (e.g. another TLS
   * certificate or password function for the replicas).
   * @default undefined
   */
  poolConfig?: PgPoolConfig;
}

/**
 * When a replica counts as too far behind the primary.
 * @publicApi
 */
export interface ReplicaLagOptions {
  /** WAL bytes the replica may be behind. @default 16777216 (16 MiB) */
  maxBytes?: number;
  /** Seconds-of-replay the replica may be behind, in ms (`now() - pg_last_xact_replay_timestamp()` while WAL is pending). @default 5000 */
  maxMs?: number;
  /** How often lag is measured. @default 1000 */
  checkIntervalMs?: number;
  /** Consecutive bad checks before a replica stops getting reads (and good ones before it gets them back). @default 3 */
  consecutiveChecks?: number;
}

/**
 * The per-server circuit breaker: after `failureThreshold` connection failures
 * in a row, calls to that server fail at once with `DatabaseUnavailableError`
 * instead of each waiting `acquireTimeoutMs`; one call at a time probes it again
 * after a backoff that doubles from `probeBackoffMs` up to `probeBackoffMaxMs`.
 * @publicApi
 */
export interface ConnectionBreakerOptions {
  /** Consecutive failed connection attempts that open the breaker. @default 3 */
  failureThreshold?: number;
  /** First wait, in ms, before an open breaker lets one probe through. @default 250 */
  probeBackoffMs?: number;
  /** Longest wait between probes, in ms. @default 5000 */
  probeBackoffMaxMs?: number;
}

/**
 * Targets `MetricsService.getPerformanceMetrics().targetsMet` compares against.
 * @publicApi
 */
export interface PerformanceTargets {
  /** @default 25 */
  p90QueryTimeMs?: number;
  /** @default 5 */
  acquisitionTimeMs?: number;
  /** Fraction 0..1. @default 0.95 */
  cacheHitRate?: number;
  /** Fraction 0..1. @default 0.9 */
  queryOptimizationRate?: number;
  /** Fraction 0..1. @default 0.95 */
  connectionPoolEfficiency?: number;
}

/**
 * Options of `DbOptimizerModule.forRoot()`. Every field but `primaryUrl` has a default.
 * @publicApi
 *
 * @example
 * DbOptimizerModule.forRoot({
 *   primaryUrl: 'postgres://app@db-primary:5432/app',
 *   readReplicaUrls: ['postgres://app@db-replica-1:5432/app'],
 *   analyticsReplicaUrl: 'postgres://app@db-replica-2:5432/app',
 *   redisUrl: 'redis://cache:6379',
 * })
 */
export interface DbOptimizerOptions {
  /**
   * The primary: all writes, and reads when no replica is usable. Several candidate hosts may be
   * listed as libpq does (`postgres://app@db1:5432,db2:5432/app`): writes go to the one not in
   * recovery, and move to another after a promotion. Required unless `primaryUrls` is given.
   */
  primaryUrl?: string;
  /** Primary candidates as separate URLs (instead of a multi-host `primaryUrl`); same behaviour. @default undefined */
  primaryUrls?: string[];
  /** Read replicas (0..n); reads are spread over the healthy ones. @default [] */
  readReplicaUrls?: string[];
  /** Replica for analytical reads. Falls back to the read replicas, then the primary. @default undefined */
  analyticsReplicaUrl?: string;
  /** @default { min: 5, max: 20 } */
  primaryPool?: PoolSizeOptions;
  /** Applies to each read replica. @default { min: 5, max: 20 } */
  readReplicaPool?: PoolSizeOptions;
  /** @default { min: 5, max: 10 } */
  analyticsPool?: PoolSizeOptions;
  /** Longest wait for a connection (queueing plus connecting) before `PoolExhaustedError`. @default 5000 */
  acquireTimeoutMs?: number;
  /** Server-side `statement_timeout` for every connection; 0 disables. @default 0 */
  statementTimeoutMs?: number;
  /** Idle connections above `min` close after this long. @default 30000 */
  idleTimeoutMs?: number;
  /**
   * Queries (checkouts) a connection serves before it is closed and replaced (`pg`'s `maxUses`),
   * for every pool; its prepared statements go with it. 0 keeps connections until idle or broken.
   * Env `DB_POOL_MAX_QUERIES`. @default 0
   */
  maxUsesPerConnection?: number;
  /**
   * Plain reads share connections: up to this many in flight on one connection, sent in pg's
   * pipeline mode, and the reads of one event-loop turn in one socket write. Fewer connections and
   * system calls under load. A read waits behind the reads ahead of it on its connection, so only
   * statements measured short share (`sharedReadMaxMs`); a statement's first run on an instance,
   * and long ones, get a connection of their own. Writes, transactions, multi-statement texts, reads
   * with `timeoutMs` and reads that may leave session state always do too. Needs pg 8.23 or later
   * and no `query_timeout`; other clients run unshared. 0 or 1: every read gets its own.
   * Env `DB_MULTIPLEX_READS`. @default 8
   */
  multiplexReads?: number;
  /**
   * With `multiplexReads`: a read statement shares a connection only once it has run on this
   * instance, and while its recent runs took at most this long beyond the round trip, in ms (the
   * slowest recent run, halved by each faster one). Env `DB_SHARED_READ_MAX_MS` (whole ms). @default 20
   */
  sharedReadMaxMs?: number;
  /** TLS options passed to `pg`. @default undefined (no TLS) */
  ssl?: boolean | ConnectionOptions;
  /** Replication-lag thresholds. */
  replicaLag?: ReplicaLagOptions;
  /**
   * While the primary is unreachable, replicas keep serving plain reads (metadata.degraded) as long as
   * what they last received from the primary is at most this old, in ms; reads needing a session's
   * last write fail with `StaleReadRefusedError`. @default 30000
   */
  maxStalenessOnPrimaryLossMs?: number;
  /** The per-server circuit breaker. */
  connectionBreaker?: ConnectionBreakerOptions;
  /** How long a failing replica is banned at first; doubles on each failed health check up to `replicaBanMaxMs`. @default 1000 */
  replicaBanMs?: number;
  /** @default 30000 */
  replicaBanMaxMs?: number;
  /** Calls slower than this are logged as slow and may be explained. @default 100 */
  slowQueryThresholdMs?: number;
  /** Prepare repeated parameterized statements automatically. @default true */
  enablePreparedStatements?: boolean;
  /** Times a parameterized text must be seen before it is prepared (1: from its first repeat). @default 1 */
  prepareThreshold?: number;
  /** Prepared statements kept per connection; the least recently used is deallocated. @default 1000 */
  preparedStatementCacheSize?: number;
  /** Route by the parser (replicas, analytics); false sends everything to the primary. @default true */
  enableQueryOptimization?: boolean;
  /** Classifications kept in the per-text LRU. @default 5000 */
  classificationCacheSize?: number;
  /** Estimated bytes the per-text classification LRU may hold (texts and parse trees). @default 67108864 (64 MiB) */
  classificationCacheMaxBytes?: number;
  /**
   * How long the catalog's answer on a function, operator or cast (volatility, or "not found")
   * is trusted, so DDL run outside the module is seen. Function DDL through the module clears
   * the answers at once. 0 keeps them until such DDL. @default 60000
   */
  functionVolatilityTtlMs?: number;
  /** Explain slow statements in the background (sampled, rate-limited; writes are only planned, never run). @default true */
  autoExplainSlowQueries?: boolean;
  /** Let `recommendIndexes()` run `CREATE EXTENSION hypopg` when it is available but not installed. @default false */
  installHypopg?: boolean;
  /** Cache results of safe reads (L1 memory, L2 Redis when `redisUrl` is set). @default false */
  enableCache?: boolean;
  /** Default TTL of cached results. @default 3600 */
  cacheTtlSeconds?: number;
  /**
   * Redis for the L2 cache, cross-instance invalidation and fleet metrics; without it, L1 only.
   * `redis://[user:password@]host:port/db` (`rediss://` for TLS), or the URL forms of
   * `redisCluster` and `redisSentinel`: `redis+cluster://host1:port1,host2:port2` and
   * `redis+sentinel://sentinel1:port1,sentinel2:port2/masterName[/db]`.
   * Set at most one of `redisUrl`, `redisCluster`, `redisSentinel`. @default undefined
   */
  redisUrl?: string;
  /** A Redis Cluster instead of `redisUrl`. @default undefined */
  redisCluster?: RedisClusterOptions;
  /** A Sentinel-managed Redis instead of `redisUrl`. @default undefined */
  redisSentinel?: RedisSentinelOptions;
  /**
   * How often this instance publishes its metrics snapshot to Redis for
   * `MetricsService.getFleetMetrics()`; snapshots expire after 3 intervals. 0 disables. Needs Redis.
   * @default 5000
   */
  fleetMetricsIntervalMs?: number;
  /** Entries of the in-process cache. @default 10000 */
  cacheMaxEntries?: number;
  /** Bytes of the in-process cache (JSON size of the rows). @default 67108864 (64 MiB) */
  cacheMaxBytes?: number;
  /** Hot entries read again after this share of their TTL are refreshed in the background; 0 disables. @default 0.8 */
  cacheRefreshAheadRatio?: number;
  /** Longest a Redis call may take before the cache carries on without it. @default 100 */
  cacheRedisTimeoutMs?: number;
  /** While Redis is down, an L1 entry is served only if loaded less than this long ago (other instances' writes cannot be heard). @default 1000 */
  cacheOutageMaxAgeMs?: number;
  /** Row versions kept in memory; evicted rows fold into a per-table floor, never an old value. @default 100000 */
  cacheMaxRowVersions?: number;
  /** How often the Redis link is checked. @default 500 */
  cacheHealthCheckIntervalMs?: number;
  /** Redis key namespace; instances sharing a cache must share it. @default derived from the primary's host, port and database */
  cacheNamespace?: string;
  /**
   * A write reaching a trigger, rule or function whose own writes cannot be known (dynamic SQL,
   * C code): `flush_all` drops every cached result; `ignore` invalidates only the known tables and
   * may serve stale results of the others until their TTL. Env `CACHE_UNKNOWN_TRIGGER_POLICY`.
   * @default 'flush_all'
   */
  cacheUnknownTriggerPolicy?: UnknownTriggerPolicy;
  /** Interval of the pool auto-sizing job; 0 disables it. @default 10000 */
  poolResizeIntervalMs?: number;
  /** App instances sharing the server's connection budget. @default 1 */
  instances?: number;
  /** Connections left to others (admins, migrations) out of `max_connections`. @default 10 */
  reservedConnections?: number;
  /** Performance targets. */
  targets?: PerformanceTargets;
  /** Name given to the module's connections (`application_name`). @default 'db-optimizer' */
  applicationName?: string;
  /**
   * `pg` settings for every pool (TLS, password function, keepAlive...); each role's
   * `*Pool.poolConfig` goes over it, and it goes over `ssl` and `applicationName`.
   * @default undefined
   * @example
   * poolConfig: { password: () => signer.getAuthToken(), keepAlive: true, ssl: { ca } }
   */
  poolConfig?: PgPoolConfig;
  /**
   * An existing prom-client registry for the module's metrics (e.g. the app's, or
   * prom-client's global `register`), instead of one of its own.
   * @default undefined (a registry per module instance)
   */
  prometheusRegistry?: Registry;
}
