import type { PoolRole } from '../core/pool-role';

/** Sort keys of `getFingerprintStats()`, all descending. */
export type FingerprintOrder = 'totalTime' | 'calls' | 'mean';

/**
 * Which statements `MetricsService.getFingerprintStats()` lists.
 * @publicApi
 */
export interface FingerprintStatsQuery {
  /** @default 'totalTime' */
  orderBy?: FingerprintOrder;
  /** @default 20 */
  limit?: number;
}

/**
 * pg_stat_statements, as the application sees it: one row per statement
 * shape (fingerprint), with its normalized text only.
 *
 * Timings cover database executions only (`executions` = calls not served by
 * the cache): a cache hit costs microseconds and would hide how slow the
 * statement is when it does run. Failed executions are timed too.
 * @publicApi
 */
export interface FingerprintStatsSnapshot {
  fingerprint: string;
  /** Normalized text (constants as `$n`), literals redacted, at most 2048 characters. */
  normalizedSql: string;
  /** Every call, cache hits included. */
  calls: number;
  /** Calls the database ran (`calls - cacheHits`). */
  executions: number;
  failures: number;
  cacheHits: number;
  /** Calls that ran through a prepared statement. */
  preparedCalls: number;
  /** Rows returned or affected, summed over calls. */
  rows: number;
  totalMs: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
  /** From a 1-significant-digit HDR histogram: within about 6%. */
  p95Ms: number;
  p99Ms: number;
  /** Calls per pool. */
  pools: Record<PoolRole, number>;
  /** ISO time of the first and the latest call. */
  firstSeen: string;
  lastSeen: string;
}
