import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';

/** The cache's tuning values, as the cache's own parts call them (validated and defaulted by `resolveOptions()`). */
export interface ResultCacheTuning {
  refreshAheadRatio: number;
  redisTimeoutMs: number;
  outageMaxAgeMs: number;
  maxRowVersions: number;
  healthCheckIntervalMs: number;
  namespace?: string;
}

/** Picks the cache's tuning out of the resolved module options. */
export function resolveCacheTuning(options: ResolvedDbOptimizerOptions): ResultCacheTuning {
  return {
    refreshAheadRatio: options.cacheRefreshAheadRatio,
    redisTimeoutMs: options.cacheRedisTimeoutMs,
    outageMaxAgeMs: options.cacheOutageMaxAgeMs,
    maxRowVersions: options.cacheMaxRowVersions,
    healthCheckIntervalMs: options.cacheHealthCheckIntervalMs,
    namespace: options.cacheNamespace,
  };
}
