import { LatencyHistogram } from '../metrics/latency-histogram';

/**
 * The result cache's counters, shared by its parts; `ResultCacheService.stats()` reads them.
 * Plain fields: they are incremented on the hot path.
 */
export class ResultCacheCounters {
  memoryHits = 0;
  memoryMisses = 0;
  redisHits = 0;
  redisMisses = 0;
  redisSkipped = 0;
  redisErrors = 0;
  loads = 0;
  refreshes = 0;
  bypassed = 0;
  invalidations = 0;
  flushes = 0;
  received = 0;
  outages = 0;
  /** Cross-instance invalidation window: a write's bump sent by another instance → applied here. */
  readonly crossInstanceWindow = new LatencyHistogram();
}
