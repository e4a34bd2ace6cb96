import type { PerformanceTargets } from '../options/db-optimizer-options.interface';
import type { MetricsBucket } from './metrics-bucket';
import type { PerformanceSnapshot, TargetsMet } from './performance-metrics.interface';

/** `numerator / denominator`, 0 when there is nothing to divide by. */
const ratio = (numerator: number, denominator: number): number =>
  denominator === 0 ? 0 : numerator / denominator;

/**
 * True when at least `percentile`% of `total` samples were within the target,
 * which is exactly "the percentile is within the target". Integer arithmetic,
 * so 90 of 100 is met and not lost to rounding; reading the HDR percentile
 * instead would round up by up to 1% and fail a value sitting on the target.
 */
const percentileWithin = (within: number, total: number, percentile: number): boolean =>
  within * 100 >= percentile * total;

/**
 * Turns a bucket's raw counts into the published figures and compares them
 * with the targets. Pure: the same bucket always gives the same snapshot.
 */
export function buildPerformanceSnapshot(
  bucket: MetricsBucket,
  targets: Required<PerformanceTargets>,
): PerformanceSnapshot {
  const c = bucket.counts;
  // Every cacheable read looks in memory first and asks Redis only after a
  // memory miss, so a Redis hit turns one memory miss into a hit.
  const cacheHits = c.memoryHits + c.redisHits;
  const cacheMisses = Math.max(0, c.memoryMisses - c.redisHits);
  const cacheLookups = cacheHits + cacheMisses;

  const snapshot: Omit<PerformanceSnapshot, 'targetsMet'> = {
    totalQueries: c.queries,
    failedQueries: c.failed,
    optimizedQueries: c.optimized,
    preparedStatementHits: c.prepared,
    cacheHits,
    cacheMisses,
    cacheHitRate: ratio(cacheHits, cacheLookups),
    avgQueryTimeMs: ratio(c.durationSumMs, c.queries),
    p50QueryTimeMs: bucket.queryLatency.percentileMs(50),
    p90QueryTimeMs: bucket.queryLatency.percentileMs(90),
    p95QueryTimeMs: bucket.queryLatency.percentileMs(95),
    p99QueryTimeMs: bucket.queryLatency.percentileMs(99),
    readReplicaQueries: c.onReadReplica,
    primaryQueries: c.onPrimary,
    analyticalQueries: c.onAnalytics,
    acquisitions: c.acquisitions,
    connectionPoolEfficiency: ratio(c.acquisitionsWithinTarget, c.acquisitions),
    queryOptimizationRate: ratio(c.optimized, c.queries),
    slowQueriesDetected: c.slow,
    optimizationSuggestionsMade: c.suggestions,
    replicaFallbacks: c.replicaFallbacks,
    degradedReads: c.degradedReads,
    acquisitionP99Ms: bucket.acquisitionLatency.percentileMs(99),
  };

  // A figure without samples violates nothing: an idle service is not failing its targets.
  const met: Omit<TargetsMet, 'allTargetsMet'> = {
    p90QueryTime: percentileWithin(c.withinQueryTarget, c.queries, 90),
    acquisitionTime: percentileWithin(c.acquisitionsWithinTarget, c.acquisitions, 99),
    cacheHitRate: cacheLookups === 0 || snapshot.cacheHitRate >= targets.cacheHitRate,
    queryOptimizationRate: c.queries === 0 || snapshot.queryOptimizationRate >= targets.queryOptimizationRate,
    connectionPoolEfficiency:
      c.acquisitions === 0 || snapshot.connectionPoolEfficiency >= targets.connectionPoolEfficiency,
  };
  const allTargetsMet =
    met.p90QueryTime && met.acquisitionTime && met.cacheHitRate && met.queryOptimizationRate && met.connectionPoolEfficiency;

  return { ...snapshot, targetsMet: { ...met, allTargetsMet } };
}
