import { LatencyHistogram } from '../core/latency-histogram';
import type { ResultCacheStats } from './result-cache-stats.interface';

/** What the counters do not hold themselves: state read from the other parts. */
export interface ResultCacheState {
  enabled: boolean;
  redis: ResultCacheStats['redis'];
  memory: { size: number; bytes: number };
  coalesced: number;
  mode: ResultCacheStats['mode'];
  rowVersions: ResultCacheStats['rowVersions'];
  bumps: ResultCacheStats['bumps'];
}

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
  redisSkippedAfterOwnWrite = 0;
  redisErrors = 0;
  loads = 0;
  refreshes = 0;
  bypassed = 0;
  /** Cacheable reads that required a position (consistency token or the session's last write). */
  consistencyReads = 0;
  /** Of which served from memory or Redis. */
  consistencyHits = 0;
  /** Of which skipped an entry older than the position and loaded fresh. */
  consistencyBypasses = 0;
  /** NOTIFY payloads on the change channel that named no existing table: dropped. */
  droppedNotifications = 0;
  invalidations = 0;
  flushes = 0;
  received = 0;
  outages = 0;
  /** Cross-instance invalidation window: a write's bump sent by another instance → applied here. */
  readonly crossInstanceWindow = new LatencyHistogram();

  /** Everything at once, as `stats()` reports it. */
  snapshot(state: ResultCacheState): ResultCacheStats {
    const window = this.crossInstanceWindow;
    return {
      enabled: state.enabled,
      mode: state.mode,
      redis: state.redis,
      memory: { entries: state.memory.size, bytes: state.memory.bytes, hits: this.memoryHits, misses: this.memoryMisses },
      redisLevel: { hits: this.redisHits, misses: this.redisMisses, skipped: this.redisSkipped, skippedAfterOwnWrite: this.redisSkippedAfterOwnWrite, errors: this.redisErrors },
      loads: this.loads,
      refreshes: this.refreshes,
      coalesced: state.coalesced,
      bypassed: this.bypassed,
      consistency: { reads: this.consistencyReads, hits: this.consistencyHits, bypasses: this.consistencyBypasses },
      droppedNotifications: this.droppedNotifications,
      invalidations: this.invalidations,
      flushes: this.flushes,
      received: this.received,
      outages: this.outages,
      rowVersions: state.rowVersions,
      bumps: state.bumps,
      crossInstanceWindowMs: { count: window.count, p50: window.percentileMs(50), p99: window.percentileMs(99), max: window.maxMs },
    };
  }
}
