import type { ResolvedDbOptimizerOptions } from '../config/resolved-options.interface';
import {
  DEFAULT_HEALTH_CHECK_INTERVAL_MS,
  DEFAULT_MAX_ROW_VERSIONS,
  DEFAULT_OUTAGE_MAX_AGE_MS,
  DEFAULT_REDIS_TIMEOUT_MS,
  DEFAULT_REFRESH_AHEAD_RATIO,
} from './result-cache.constants';
import { INVALID_CACHE_TUNING } from './result-cache.messages';

/**
 * Result-cache options beyond the ones `DbOptimizerOptions` has today. They are read from
 * the resolved options when present, so adding them to `DbOptimizerOptions` and
 * `resolveOptions()` is all it takes to expose them; until then the defaults apply.
 */
export interface ResultCacheTuningOptions {
  /** Fraction of the TTL after which a hit refreshes its entry in the background; 0 disables. @default 0.8 */
  cacheRefreshAheadRatio?: number;
  /** Longest wait for one Redis call before going on without Redis. @default 100 */
  cacheRedisTimeoutMs?: number;
  /** While Redis is down, in-memory entries older than this are not served. @default 1000 */
  cacheOutageMaxAgeMs?: number;
  /** Row versions kept in memory. @default 100000 */
  cacheMaxRowVersions?: number;
  /** Interval of the Redis health check. @default 500 */
  cacheHealthCheckIntervalMs?: number;
  /** Overrides the Redis namespace, which is otherwise derived from the primary's host, port and database. */
  cacheNamespace?: string;
}

/** Every tuning value, defaults applied. */
export interface ResultCacheTuning {
  refreshAheadRatio: number;
  redisTimeoutMs: number;
  outageMaxAgeMs: number;
  maxRowVersions: number;
  healthCheckIntervalMs: number;
  namespace?: string;
}

/** Reads the tuning values from the resolved options, applying defaults and rejecting impossible values. */
export function resolveCacheTuning(options: ResolvedDbOptimizerOptions): ResultCacheTuning {
  const given: ResultCacheTuningOptions = options as ResolvedDbOptimizerOptions & ResultCacheTuningOptions;
  const ratio = given.cacheRefreshAheadRatio ?? DEFAULT_REFRESH_AHEAD_RATIO;
  if (!(ratio >= 0 && ratio < 1)) throw new RangeError(INVALID_CACHE_TUNING('cacheRefreshAheadRatio', `must be in [0, 1), got ${ratio}`));
  return {
    refreshAheadRatio: ratio,
    redisTimeoutMs: positive('cacheRedisTimeoutMs', given.cacheRedisTimeoutMs, DEFAULT_REDIS_TIMEOUT_MS),
    outageMaxAgeMs: positive('cacheOutageMaxAgeMs', given.cacheOutageMaxAgeMs, DEFAULT_OUTAGE_MAX_AGE_MS),
    maxRowVersions: positive('cacheMaxRowVersions', given.cacheMaxRowVersions, DEFAULT_MAX_ROW_VERSIONS),
    healthCheckIntervalMs: positive('cacheHealthCheckIntervalMs', given.cacheHealthCheckIntervalMs, DEFAULT_HEALTH_CHECK_INTERVAL_MS),
    namespace: given.cacheNamespace,
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!(resolved > 0) || !Number.isFinite(resolved)) throw new RangeError(INVALID_CACHE_TUNING(name, `must be a positive number, got ${String(resolved)}`));
  return resolved;
}
