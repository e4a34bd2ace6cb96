import type { Client, PoolClient, QueryResult, QueryResultRow } from 'pg';

/**
 * How the statement cache decides what to prepare and how much to keep.
 * @publicApi
 */
export interface StatementCacheOptions {
  /** Prepare repeated parameterized statements; false runs everything unnamed. @default true */
  enabled: boolean;
  /**
   * Sightings of a text (on any connection) before it is prepared: 1 prepares it from its
   * first repeat, 0 from its first use. @default 1
   */
  prepareThreshold: number;
  /** Prepared statements kept per connection; the least recently used is deallocated. @default 1000 */
  perConnectionCapacity: number;
}

/**
 * A connection the cache can run statements on: a client checked out of a `pg.Pool`, or a `pg.Client`.
 * @publicApi
 */
export type StatementClient = PoolClient | Client;

/**
 * What `StatementCache.execute()` returns.
 * @publicApi
 */
export interface StatementExecution<T extends QueryResultRow = QueryResultRow> {
  /** pg's result, the same shape whether the statement ran named or unnamed. */
  result: QueryResult<T>;
  /** True when the statement ran as a named (prepared) statement on its connection. */
  prepared: boolean;
}

/**
 * A snapshot of the cache's counters, all since the cache was created.
 * @publicApi
 */
export interface StatementCacheStats {
  /** Executions that found their statement already prepared on their connection. */
  hits: number;
  /** Parameterized executions that did not (they prepared it, or ran unnamed). */
  misses: number;
  /** Statements prepared on a connection: first use, after eviction, or after invalidation. */
  preparations: number;
  /** Statements deallocated because their connection's cache was full. */
  evictions: number;
  /** Executions retried on a fresh preparation after the server invalidated or lost the statement. */
  reprepares: number;
}
