import { MODULE_OWNED_POOL_FIELDS, type DbOptimizerOptions, type PgPoolConfig, type PoolSizeOptions } from './db-optimizer-options.interface';
import {
  DEFAULT_HEALTH_CHECK_INTERVAL_MS,
  DEFAULT_MAX_ROW_VERSIONS,
  DEFAULT_OUTAGE_MAX_AGE_MS,
  DEFAULT_REDIS_TIMEOUT_MS,
  DEFAULT_REFRESH_AHEAD_RATIO,
} from './cache-defaults.constants';
import { INVALID_OPTION } from '../core/errors/messages';
import type { ResolvedDbOptimizerOptions } from './resolved-options.interface';

/** Applies defaults and rejects impossible values, naming the option and the fix. */
export function resolveOptions(options: DbOptimizerOptions): ResolvedDbOptimizerOptions {
  if (!options || typeof options.primaryUrl !== 'string' || options.primaryUrl.length === 0) {
    throw new Error(INVALID_OPTION('primaryUrl', 'is required: the URL of the primary, e.g. postgres://user@host:5432/db'));
  }
  for (const url of [options.primaryUrl, ...(options.readReplicaUrls ?? []), options.analyticsReplicaUrl]) {
    if (url !== undefined) assertPostgresUrl(url);
  }
  const shared = poolConfig('poolConfig', options.poolConfig);
  const resolved: ResolvedDbOptimizerOptions = {
    primaryUrl: options.primaryUrl,
    readReplicaUrls: [...(options.readReplicaUrls ?? [])],
    analyticsReplicaUrl: options.analyticsReplicaUrl,
    primaryPool: sizes('primaryPool', options.primaryPool, 5, 20, shared),
    readReplicaPool: sizes('readReplicaPool', options.readReplicaPool, 5, 20, shared),
    analyticsPool: sizes('analyticsPool', options.analyticsPool, 5, 10, shared),
    acquireTimeoutMs: positive('acquireTimeoutMs', options.acquireTimeoutMs, 5000),
    statementTimeoutMs: nonNegative('statementTimeoutMs', options.statementTimeoutMs, 0),
    idleTimeoutMs: positive('idleTimeoutMs', options.idleTimeoutMs, 30_000),
    ssl: options.ssl,
    replicaLag: {
      maxBytes: nonNegative('replicaLag.maxBytes', options.replicaLag?.maxBytes, 16 * 1024 * 1024),
      maxMs: nonNegative('replicaLag.maxMs', options.replicaLag?.maxMs, 5000),
      checkIntervalMs: positive('replicaLag.checkIntervalMs', options.replicaLag?.checkIntervalMs, 1000),
      consecutiveChecks: positive('replicaLag.consecutiveChecks', options.replicaLag?.consecutiveChecks, 3),
    },
    replicaBanMs: positive('replicaBanMs', options.replicaBanMs, 1000),
    replicaBanMaxMs: positive('replicaBanMaxMs', options.replicaBanMaxMs, 30_000),
    slowQueryThresholdMs: nonNegative('slowQueryThresholdMs', options.slowQueryThresholdMs, 100),
    enablePreparedStatements: options.enablePreparedStatements ?? true,
    prepareThreshold: positive('prepareThreshold', options.prepareThreshold, 1),
    preparedStatementCacheSize: positive('preparedStatementCacheSize', options.preparedStatementCacheSize, 1000),
    enableQueryOptimization: options.enableQueryOptimization ?? true,
    classificationCacheSize: positive('classificationCacheSize', options.classificationCacheSize, 5000),
    autoExplainSlowQueries: options.autoExplainSlowQueries ?? true,
    installHypopg: options.installHypopg ?? false,
    enableCache: options.enableCache ?? false,
    cacheTtlSeconds: positive('cacheTtlSeconds', options.cacheTtlSeconds, 3600),
    redisUrl: options.redisUrl,
    cacheMaxEntries: positive('cacheMaxEntries', options.cacheMaxEntries, 10_000),
    cacheMaxBytes: positive('cacheMaxBytes', options.cacheMaxBytes, 64 * 1024 * 1024),
    cacheRefreshAheadRatio: ratioBelowOne('cacheRefreshAheadRatio', options.cacheRefreshAheadRatio, DEFAULT_REFRESH_AHEAD_RATIO),
    cacheRedisTimeoutMs: positive('cacheRedisTimeoutMs', options.cacheRedisTimeoutMs, DEFAULT_REDIS_TIMEOUT_MS),
    cacheOutageMaxAgeMs: positive('cacheOutageMaxAgeMs', options.cacheOutageMaxAgeMs, DEFAULT_OUTAGE_MAX_AGE_MS),
    cacheMaxRowVersions: positive('cacheMaxRowVersions', options.cacheMaxRowVersions, DEFAULT_MAX_ROW_VERSIONS),
    cacheHealthCheckIntervalMs: positive('cacheHealthCheckIntervalMs', options.cacheHealthCheckIntervalMs, DEFAULT_HEALTH_CHECK_INTERVAL_MS),
    cacheNamespace: options.cacheNamespace,
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
    prometheusRegistry: options.prometheusRegistry,
  };
  return resolved;
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

/** Hides the password so it never shows up in an error message or a log. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
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
