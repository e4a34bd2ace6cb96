import type { PoolRole } from './pool-role';
import type { QueryType } from './query-classification.interface';

/** The two result-cache levels. */
export type CacheLevel = 'memory' | 'redis';

/**
 * One executed (or cache-served) call, as reported to `MetricsService.recordQuery()`.
 * Carries the normalized text only: never the raw SQL or its parameters.
 * @publicApi
 */
export interface QuerySample {
  /** libpg-query fingerprint (hex); groups texts that differ only in constants. Empty when unparseable. */
  fingerprint: string;
  /** Text with constants replaced by `$n`. Literals found here anyway are redacted before storage. */
  normalizedSql: string;
  /** Wall time the caller waited, in ms (cache hits included). */
  durationMs: number;
  /** Pool the call ran on (for a cache hit: the pool it would have run on). */
  pool: PoolRole;
  queryType: QueryType;
  /** Level that served the result, or false when the database did. */
  cached: false | CacheLevel;
  /** Ran through a named (prepared) statement. */
  prepared: boolean;
  /** Rows returned or affected. */
  rowCount: number;
  /** Routed away from the primary, served from cache, or ran prepared. */
  optimized: boolean;
  /** The call ended in an error (it still counts as a call, with its duration). */
  failed?: boolean;
}
