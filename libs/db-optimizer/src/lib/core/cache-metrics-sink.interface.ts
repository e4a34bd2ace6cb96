import type { CacheLevel } from './query-sample.interface';

/**
 * What the result cache reports to metrics. Declared here, below both, so the
 * cache never imports the metrics folder; MetricsService implements it.
 */
export interface CacheMetricsSink {
  recordCacheLookup(level: CacheLevel, hit: boolean): void;
  /** A read requiring a WAL position (consistency token, session) skipped an entry at `level` older than it. */
  recordCacheConsistencyBypass(level: CacheLevel): void;
}
