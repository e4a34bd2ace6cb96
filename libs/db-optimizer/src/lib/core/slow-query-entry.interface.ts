import type { PoolRole } from './pool-role';
import type { QueryType } from './query-classification.interface';

/**
 * One call slower than `slowQueryThresholdMs`. Normalized, redacted text only.
 * @publicApi
 */
export interface SlowQueryEntry {
  fingerprint: string;
  normalizedSql: string;
  durationMs: number;
  pool: PoolRole;
  /** Lets a listener explain only what is safe to run again (READ, ANALYTICAL). */
  queryType: QueryType;
  /** The call ended in an error (a statement timeout, typically). */
  failed: boolean;
  /** ISO time the call was recorded. */
  at: string;
}

/**
 * Called synchronously for each slow call, on the query's path: keep it cheap
 * (sample, then schedule the real work). Errors and rejections are logged, never thrown.
 * @publicApi
 */
export type SlowQueryListener = (entry: Readonly<SlowQueryEntry>) => void | Promise<void>;
