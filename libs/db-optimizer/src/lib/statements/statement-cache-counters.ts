import type { StatementCacheStats } from './statement-cache-options.interface';

/**
 * The counters of `StatementCache`, readable through getters (the way pg-pool exposes
 * `totalCount`, `idleCount`) and all at once through `stats()`. Only the cache counts.
 * @publicApi
 */
export abstract class StatementCacheCounters {
  protected hitCount = 0;
  protected missCount = 0;
  protected preparationCount = 0;
  protected evictionCount = 0;
  protected reprepareCount = 0;

  /** Executions that found their statement already prepared on their connection. */
  get hits(): number {
    return this.hitCount;
  }

  /** Parameterized executions that did not (they prepared it, or ran unnamed). */
  get misses(): number {
    return this.missCount;
  }

  /** Statements prepared on a connection: first use, after eviction, or after invalidation. */
  get preparations(): number {
    return this.preparationCount;
  }

  /** Statements deallocated because their connection's cache was full. */
  get evictions(): number {
    return this.evictionCount;
  }

  /** Executions retried on a fresh preparation after the server invalidated or lost the statement. */
  get reprepares(): number {
    return this.reprepareCount;
  }

  /** All counters at once. */
  stats(): StatementCacheStats {
    return {
      hits: this.hitCount,
      misses: this.missCount,
      preparations: this.preparationCount,
      evictions: this.evictionCount,
      reprepares: this.reprepareCount,
    };
  }
}
