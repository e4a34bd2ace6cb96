/**
 * Whether each target of `MetricsServiceOptions.targets` holds. A figure with
 * no samples violates nothing, so it counts as met (check `totalQueries` and
 * `acquisitions` to tell "met" from "not measured").
 * @publicApi
 */
export interface TargetsMet {
  /**
   * The exact p90 is within `targets.p90QueryTimeMs`: at least 90% of calls took no
   * longer. Counted exactly, so it can hold while `p90QueryTimeMs` (HDR, rounded
   * up by at most 1%) shows a hair above the target.
   */
  p90QueryTime: boolean;
  /** The exact p99 of acquisitions is within `targets.acquisitionTimeMs` (at least 99% waited no longer). */
  acquisitionTime: boolean;
  /** `cacheHitRate >= targets.cacheHitRate`, or no cacheable lookups. */
  cacheHitRate: boolean;
  /** `queryOptimizationRate >= targets.queryOptimizationRate`, or no queries. */
  queryOptimizationRate: boolean;
  /** `connectionPoolEfficiency >= targets.connectionPoolEfficiency`, or no acquisitions. */
  connectionPoolEfficiency: boolean;
  /** Every one of the above. */
  allTargetsMet: boolean;
}

/**
 * Figures over one span (since start, or the rolling window). Durations in ms;
 * percentiles come from HDR histograms (2 significant digits: within 1%).
 * Every ratio is a fraction 0..1 and 0 when its denominator is 0.
 * @publicApi
 */
export interface PerformanceSnapshot {
  /** Every recorded call: database executions, cache hits and failures. */
  totalQueries: number;
  /** Calls that ended in an error (included in `totalQueries` and the timings). */
  failedQueries: number;
  /** Calls reported `optimized`: routed off the primary, served from cache, or run prepared. */
  optimizedQueries: number;
  /** Calls that ran through a prepared (named) statement. */
  preparedStatementHits: number;
  /** Cacheable reads served by either cache level (memory hits + Redis hits). */
  cacheHits: number;
  /** Cacheable reads neither level could serve: memory misses not rescued by Redis. */
  cacheMisses: number;
  /** `cacheHits / (cacheHits + cacheMisses)`: share of cacheable reads served from cache. */
  cacheHitRate: number;
  /** Exact mean of all calls' durations. */
  avgQueryTimeMs: number;
  p50QueryTimeMs: number;
  p90QueryTimeMs: number;
  p95QueryTimeMs: number;
  p99QueryTimeMs: number;
  /** Calls on the `read_replica` pool. */
  readReplicaQueries: number;
  /** Calls on the `primary` pool. */
  primaryQueries: number;
  /** Calls on the `analytics` pool (not the ANALYTICAL type, which may fall back elsewhere). */
  analyticalQueries: number;
  /** Connections handed out by the pools. */
  acquisitions: number;
  /** `acquisitions within targets.acquisitionTimeMs / acquisitions`: share of waits within the target. */
  connectionPoolEfficiency: number;
  /** `optimizedQueries / totalQueries`. */
  queryOptimizationRate: number;
  /** Calls slower than `slowQueryThresholdMs`. */
  slowQueriesDetected: number;
  /** Sum of the counts passed to `recordSuggestions()`. */
  optimizationSuggestionsMade: number;
  /** Reads sent to the primary because no replica was usable. */
  replicaFallbacks: number;
  /** Reads served by a replica while the primary was unreachable (metadata.degraded). */
  degradedReads: number;
  /** 99th percentile of connection-acquisition time. */
  acquisitionP99Ms: number;
  targetsMet: TargetsMet;
}

/**
 * What `MetricsService.getPerformanceMetrics()` returns.
 * @publicApi
 */
export interface PerformanceMetrics {
  /** Since the service started (or was last reset). */
  performance: PerformanceSnapshot;
  /** The last `windowMs`, at a granularity of windowMs / 6 (so it spans 5/6 to 6/6 of it). */
  window: PerformanceSnapshot;
  windowMs: number;
}
