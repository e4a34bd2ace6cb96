import { MODULE_OWNED_POOL_FIELDS, type DbOptimizerOptions, type PgPoolConfig, type PoolSizeOptions } from './db-optimizer-options.interface';
import {
  DEFAULT_HEALTH_CHECK_INTERVAL_MS,
  DEFAULT_MAX_ROW_VERSIONS,
  DEFAULT_OUTAGE_MAX_AGE_MS,
  DEFAULT_REDIS_TIMEOUT_MS,
  DEFAULT_REFRESH_AHEAD_RATIO,
} from './cache-defaults.constants';
import { INVALID_OPTION } from '../core/errors/messages';
import { redactUrl } from '../core/redact-url';
import { DEFAULT_MULTIPLEX_READS, DEFAULT_SHARED_READ_MAX_MS } from './shared-read-defaults.constants';
import { UNKNOWN_TRIGGER_POLICIES } from '../core/unknown-trigger-policy';
import type { ResolvedDbOptimizerOptions } from './resolved-options.interface';
import { splitHosts } from './primary-candidates';
import { clusterUrl, parseRedisTarget, sentinelUrl } from './redis-target';

/** Applies defaults and rejects impossible values, naming the option and the fix. */
export function resolveOptions(options: DbOptimizerOptions): ResolvedDbOptimizerOptions {
  const primaryUrls = primaryCandidates(options);
  for (const url of [...primaryUrls, ...(options.readReplicaUrls ?? []), options.analyticsReplicaUrl]) {
    if (url !== undefined) assertPostgresUrl(url);
  }
  const shared = poolConfig('poolConfig', options.poolConfig);
  const resolved: ResolvedDbOptimizerOptions = {
    primaryUrl: primaryUrls[0],
    primaryUrls,
    readReplicaUrls: [...(options.readReplicaUrls ?? [])],
    analyticsReplicaUrl: options.analyticsReplicaUrl,
    primaryPool: sizes('primaryPool', options.primaryPool, 5, 20, shared),
    readReplicaPool: sizes('readReplicaPool', options.readReplicaPool, 5, 20, shared),
    analyticsPool: sizes('analyticsPool', options.analyticsPool, 5, 10, shared),
    acquireTimeoutMs: positive('acquireTimeoutMs', options.acquireTimeoutMs, 5000),
    statementTimeoutMs: nonNegative('statementTimeoutMs', options.statementTimeoutMs, 0),
    idleTimeoutMs: positive('idleTimeoutMs', options.idleTimeoutMs, 30_000),
    maxUsesPerConnection: wholeNumber('maxUsesPerConnection', options.maxUsesPerConnection, 0),
    multiplexReads: wholeNumber('multiplexReads', options.multiplexReads, DEFAULT_MULTIPLEX_READS),
    sharedReadMaxMs: positive('sharedReadMaxMs', options.sharedReadMaxMs, DEFAULT_SHARED_READ_MAX_MS),
    ssl: options.ssl,
    replicaLag: {
      maxBytes: nonNegative('replicaLag.maxBytes', options.replicaLag?.maxBytes, 16 * 1024 * 1024),
      maxMs: nonNegative('replicaLag.maxMs', options.replicaLag?.maxMs, 5000),
      checkIntervalMs: positive('replicaLag.checkIntervalMs', options.replicaLag?.checkIntervalMs, 1000),
      consecutiveChecks: positive('replicaLag.consecutiveChecks', options.replicaLag?.consecutiveChecks, 3),
    },
    maxStalenessOnPrimaryLossMs: nonNegative('maxStalenessOnPrimaryLossMs', options.maxStalenessOnPrimaryLossMs, 30_000),
    connectionBreaker: breaker(options),
    replicaBanMs: positive('replicaBanMs', options.replicaBanMs, 1000),
    replicaBanMaxMs: positive('replicaBanMaxMs', options.replicaBanMaxMs, 30_000),
    slowQueryThresholdMs: nonNegative('slowQueryThresholdMs', options.slowQueryThresholdMs, 100),
    enablePreparedStatements: options.enablePreparedStatements ?? true,
    prepareThreshold: positive('prepareThreshold', options.prepareThreshold, 1),
    preparedStatementCacheSize: positive('preparedStatementCacheSize', options.preparedStatementCacheSize, 1000),
    enableQueryOptimization: options.enableQueryOptimization ?? true,
    classificationCacheSize: positive('classificationCacheSize', options.classificationCacheSize, 5000),
    classificationCacheMaxBytes: positiveInteger('classificationCacheMaxBytes', options.classificationCacheMaxBytes, 64 * 1024 * 1024),
    functionVolatilityTtlMs: nonNegative('functionVolatilityTtlMs', options.functionVolatilityTtlMs, 60_000),
    autoExplainSlowQueries: options.autoExplainSlowQueries ?? true,
    installHypopg: options.installHypopg ?? false,
    enableCache: options.enableCache ?? false,
    cacheTtlSeconds: positive('cacheTtlSeconds', options.cacheTtlSeconds, 3600),
    redisUrl: redisUrlOf(options),
    cacheMaxEntries: positive('cacheMaxEntries', options.cacheMaxEntries, 10_000),
    cacheMaxBytes: positive('cacheMaxBytes', options.cacheMaxBytes, 64 * 1024 * 1024),
    cacheRefreshAheadRatio: ratioBelowOne('cacheRefreshAheadRatio', options.cacheRefreshAheadRatio, DEFAULT_REFRESH_AHEAD_RATIO),
    cacheRedisTimeoutMs: positive('cacheRedisTimeoutMs', options.cacheRedisTimeoutMs, DEFAULT_REDIS_TIMEOUT_MS),
    cacheOutageMaxAgeMs: positive('cacheOutageMaxAgeMs', options.cacheOutageMaxAgeMs, DEFAULT_OUTAGE_MAX_AGE_MS),
    cacheMaxRowVersions: positive('cacheMaxRowVersions', options.cacheMaxRowVersions, DEFAULT_MAX_ROW_VERSIONS),
    cacheHealthCheckIntervalMs: positive('cacheHealthCheckIntervalMs', options.cacheHealthCheckIntervalMs, DEFAULT_HEALTH_CHECK_INTERVAL_MS),
    cacheNamespace: options.cacheNamespace,
    cacheUnknownTriggerPolicy: oneOf('cacheUnknownTriggerPolicy', options.cacheUnknownTriggerPolicy, UNKNOWN_TRIGGER_POLICIES, 'flush_all'),
    poolResizeIntervalMs: nonNegative('poolResizeIntervalMs', options.poolResizeIntervalMs, 10_000),
    instances: positive('instances', options.instances, 1),
    reservedConnections: nonNegative('reservedConnections', options.reservedConnections, 10),
    targets: {
      p90QueryTimeMs: positive('targets.p90QueryTimeMs', options.targets?.p90QueryTimeMs, 25),
      acquisitionTimeMs: positive('targets.acquisitionTimeMs', options.targets?.acquisitionTimeMs, 5),
      cacheHitRate: fraction('targets.cacheHitRate', options.targets?.cacheHitRate, 0.95),
      queryOptimizationRate: fraction('targets.queryOptimizationRate', options.targets?.queryOptimizationRate, 0.9),
      connectionPoolEfficiency: fraction('targets.connectionPoolEfficiency', options.targets?.connectionPoolEfficiency, 0.95),
    },
    applicationName: options.applicationName ?? 'db-optimizer',
    fleetMetricsIntervalMs: nonNegative('fleetMetricsIntervalMs', options.fleetMetricsIntervalMs, 5000),
    prometheusRegistry: options.prometheusRegistry,
  };
  return resolved;
}

/** One single-host URL per primary candidate, from `primaryUrls` or a multi-host `primaryUrl`. */
function primaryCandidates(options: DbOptimizerOptions): string[] {
  if (!options) throw new Error(INVALID_OPTION('primaryUrl', 'is required: the URL of the primary, e.g. postgres://user@host:5432/db'));
  const { primaryUrl, primaryUrls } = options;
  if (primaryUrl !== undefined && primaryUrls !== undefined) {
    throw new Error(INVALID_OPTION('primaryUrls', 'cannot be combined with primaryUrl: list every candidate in one of them'));
  }
  if (primaryUrls !== undefined) {
    if (!Array.isArray(primaryUrls) || primaryUrls.length === 0 || primaryUrls.some((url) => typeof url !== 'string' || url.length === 0)) {
      throw new Error(INVALID_OPTION('primaryUrls', 'must be a non-empty list of URLs, e.g. [\'postgres://user@db1:5432/db\', \'postgres://user@db2:5432/db\']'));
    }
    return primaryUrls.flatMap(splitHosts);
  }
  if (typeof primaryUrl !== 'string' || primaryUrl.length === 0) {
    throw new Error(INVALID_OPTION('primaryUrl', 'is required: the URL of the primary, e.g. postgres://user@host:5432/db'));
  }
  return splitHosts(primaryUrl);
}

function breaker(options: DbOptimizerOptions): ResolvedDbOptimizerOptions['connectionBreaker'] {
  const given = options.connectionBreaker;
  const probeBackoffMs = positive('connectionBreaker.probeBackoffMs', given?.probeBackoffMs, 250);
  const probeBackoffMaxMs = positive('connectionBreaker.probeBackoffMaxMs', given?.probeBackoffMaxMs, Math.max(5000, probeBackoffMs));
  if (probeBackoffMaxMs < probeBackoffMs) {
    throw new Error(INVALID_OPTION('connectionBreaker.probeBackoffMaxMs', `(${probeBackoffMaxMs}) must be at least probeBackoffMs (${probeBackoffMs})`));
  }
  const failureThreshold = positive('connectionBreaker.failureThreshold', given?.failureThreshold, 3);
  if (!Number.isInteger(failureThreshold)) {
    throw new Error(INVALID_OPTION('connectionBreaker.failureThreshold', `must be a whole number of failures, got ${failureThreshold}`));
  }
  return { failureThreshold, probeBackoffMs, probeBackoffMaxMs };
}

/** The single Redis named by `redisUrl`, `redisCluster` or `redisSentinel`, as a checked URL. */
function redisUrlOf(options: DbOptimizerOptions): string | undefined {
  const given = (['redisUrl', 'redisCluster', 'redisSentinel'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) throw new Error(INVALID_OPTION(given.join(' and '), 'are both set; name one Redis deployment: redisUrl, redisCluster or redisSentinel'));
  let url = options.redisUrl;
  const { redisCluster: cluster, redisSentinel: sentinel } = options;
  if (cluster !== undefined) {
    if (!Array.isArray(cluster.nodes) || cluster.nodes.length === 0) throw new Error(INVALID_OPTION('redisCluster.nodes', "must list at least one node, e.g. ['10.0.0.1:7000']"));
    url = clusterUrl(cluster.nodes, cluster);
  }
  if (sentinel !== undefined) {
    if (!Array.isArray(sentinel.sentinels) || sentinel.sentinels.length === 0) {
      throw new Error(INVALID_OPTION('redisSentinel.sentinels', "must list at least one sentinel, e.g. ['10.0.0.1:26379']"));
    }
    if (typeof sentinel.name !== 'string' || sentinel.name.length === 0) throw new Error(INVALID_OPTION('redisSentinel.name', "is required: the master's name in the sentinels' configuration"));
    url = sentinelUrl(sentinel.sentinels, sentinel.name, sentinel);
  }
  if (url === undefined) return undefined;
  // Parsed here so a bad address fails at start, naming the option, not at the first connect.
  parseRedisTarget(url);
  return url;
}

function assertPostgresUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(INVALID_OPTION('database URL', `"${redactUrl(url)}" is not a URL; use postgres://user@host:port/database`));
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(INVALID_OPTION('database URL', `"${redactUrl(url)}" must start with postgres:// or postgresql://`));
  }
}

function wholeNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(INVALID_OPTION(name, `must be a whole number ≥ 0, got ${String(value)}`));
  return value;
}

function oneOf<T extends string>(name: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw new Error(INVALID_OPTION(name, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`));
  return value;
}

function sizes(
  name: string,
  given: PoolSizeOptions | undefined,
  defaultMin: number,
  defaultMax: number,
  shared: PgPoolConfig,
): { min: number; max: number; poolConfig: PgPoolConfig } {
  const max = positive(`${name}.max`, given?.max, defaultMax);
  const min = nonNegative(`${name}.min`, given?.min, Math.min(defaultMin, max));
  if (min > max) throw new Error(INVALID_OPTION(`${name}.min`, `(${min}) must not exceed ${name}.max (${max})`));
  return { min, max, poolConfig: { ...shared, ...poolConfig(`${name}.poolConfig`, given?.poolConfig) } };
}

/** pg settings, refusing the fields the module sets itself (a silent override would surprise). */
function poolConfig(name: string, given: PgPoolConfig | undefined): PgPoolConfig {
  if (given === undefined) return {};
  if (typeof given !== 'object' || given === null) throw new Error(INVALID_OPTION(name, 'must be an object of pg PoolConfig settings'));
  const owned = MODULE_OWNED_POOL_FIELDS.find((field) => field in given);
  if (owned !== undefined) {
    throw new Error(
      INVALID_OPTION(`${name}.${owned}`, 'is set by the module: use the *Url options, *Pool.min/max, idleTimeoutMs and acquireTimeoutMs instead'),
    );
  }
  return given;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(INVALID_OPTION(name, `must be a positive number, got ${String(value)}`));
  return value;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(INVALID_OPTION(name, `must be a positive whole number, got ${String(value)}`));
  return value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(INVALID_OPTION(name, `must be zero or a positive number, got ${String(value)}`));
  return value;
}

function fraction(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(INVALID_OPTION(name, `must be a fraction between 0 and 1, got ${String(value)}`));
  return value;
}

function ratioBelowOne(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || value >= 1) throw new Error(INVALID_OPTION(name, `must be at least 0 and below 1, got ${String(value)}`));
  return value;
}
