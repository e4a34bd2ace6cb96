import { LatencyHistogram } from '../core/latency-histogram';
import type { CacheLevel, QuerySample } from '../core/query-sample.interface';

/** Plain counters of one bucket; every field is summed when buckets merge. */
export interface BucketCounts {
  queries: number;
  failed: number;
  optimized: number;
  prepared: number;
  onPrimary: number;
  onReadReplica: number;
  onAnalytics: number;
  slow: number;
  /** Calls no slower than the p90 target: decides `targetsMet.p90QueryTime` exactly. */
  withinQueryTarget: number;
  /** Exact sum of durations, for an exact mean (the histogram's is approximate). */
  durationSumMs: number;
  memoryHits: number;
  memoryMisses: number;
  redisHits: number;
  redisMisses: number;
  acquisitions: number;
  acquisitionsWithinTarget: number;
  suggestions: number;
  replicaFallbacks: number;
  degradedReads: number;
}

const zeroCounts = (): BucketCounts => ({
  queries: 0,
  failed: 0,
  optimized: 0,
  prepared: 0,
  onPrimary: 0,
  onReadReplica: 0,
  onAnalytics: 0,
  slow: 0,
  withinQueryTarget: 0,
  durationSumMs: 0,
  memoryHits: 0,
  memoryMisses: 0,
  redisHits: 0,
  redisMisses: 0,
  acquisitions: 0,
  acquisitionsWithinTarget: 0,
  suggestions: 0,
  replicaFallbacks: 0,
  degradedReads: 0,
});

const COUNT_KEYS = Object.keys(zeroCounts()) as Array<keyof BucketCounts>;

/**
 * Everything recorded over one span: counters and two latency histograms.
 * A ring of them makes the rolling window; one more accumulates the slots
 * that left it, for the totals since start. Recording is constant time and
 * allocates nothing.
 */
export class MetricsBucket {
  readonly counts: BucketCounts = zeroCounts();
  readonly queryLatency = new LatencyHistogram();
  readonly acquisitionLatency = new LatencyHistogram();

  /** `durationMs` comes sanitized; the flags are decided once by the caller for every bucket. */
  recordQuery(sample: QuerySample, durationMs: number, slow: boolean, withinTarget: boolean): void {
    const counts = this.counts;
    counts.queries++;
    counts.durationSumMs += durationMs;
    this.queryLatency.recordMs(durationMs);
    if (sample.failed) counts.failed++;
    if (sample.optimized) counts.optimized++;
    if (sample.prepared) counts.prepared++;
    if (slow) counts.slow++;
    if (withinTarget) counts.withinQueryTarget++;
    switch (sample.pool) {
      case 'primary':
        counts.onPrimary++;
        return;
      case 'read_replica':
        counts.onReadReplica++;
        return;
      case 'analytics':
        counts.onAnalytics++;
        return;
      default:
        // A pool outside PoolRole (untyped caller) is counted as a query, on no pool.
        return;
    }
  }

  recordAcquisition(durationMs: number, withinTarget: boolean): void {
    this.counts.acquisitions++;
    if (withinTarget) this.counts.acquisitionsWithinTarget++;
    this.acquisitionLatency.recordMs(durationMs);
  }

  /** `count` checkouts handed over at once (a wait of 0). */
  recordImmediateAcquisitions(count: number, withinTarget: boolean): void {
    this.counts.acquisitions += count;
    if (withinTarget) this.counts.acquisitionsWithinTarget += count;
    this.acquisitionLatency.recordSmallest(count);
  }

  recordCacheLookup(level: CacheLevel, hit: boolean): void {
    const counts = this.counts;
    if (level === 'memory') {
      if (hit) counts.memoryHits++;
      else counts.memoryMisses++;
    } else if (hit) {
      counts.redisHits++;
    } else {
      counts.redisMisses++;
    }
  }

  /** Counts and encoded histograms: this bucket's share of a fleet snapshot. */
  toFleetPart(): { counts: BucketCounts; queryLatency: string; acquisitionLatency: string } {
    return { counts: { ...this.counts }, queryLatency: this.queryLatency.encode(), acquisitionLatency: this.acquisitionLatency.encode() };
  }

  /** Adds another instance's `toFleetPart()`; throws (adding nothing countable) when a histogram does not decode. */
  addFleetPart(part: { counts: Partial<BucketCounts>; queryLatency: string; acquisitionLatency: string }): void {
    this.queryLatency.addEncoded(part.queryLatency);
    this.acquisitionLatency.addEncoded(part.acquisitionLatency);
    for (const key of COUNT_KEYS) {
      const value = part.counts[key];
      if (typeof value === 'number' && Number.isFinite(value)) this.counts[key] += value;
    }
  }

  /** Adds `other` into this bucket. */
  merge(other: MetricsBucket): void {
    for (const key of COUNT_KEYS) this.counts[key] += other.counts[key];
    this.queryLatency.add(other.queryLatency);
    this.acquisitionLatency.add(other.acquisitionLatency);
  }

  reset(): void {
    for (const key of COUNT_KEYS) this.counts[key] = 0;
    this.queryLatency.reset();
    this.acquisitionLatency.reset();
  }
}
