import { Counter, type Registry } from 'prom-client';
import { POOL_ROLES, type PoolRole } from '../core/pool-role';
import type { QueryType } from '../core/query-classification.interface';
import { METRIC_NAMES } from './metrics.constants';
import type { CacheLevel, QuerySample } from '../core/query-sample.interface';

const QUERY_TYPES: readonly QueryType[] = ['READ', 'WRITE', 'ANALYTICAL', 'TRANSACTIONAL'];
/** `cached` label values; `none` when the database served the call. */
const CACHED = ['none', 'memory', 'redis'] as const;
const CACHE_LEVELS: readonly CacheLevel[] = ['memory', 'redis'];
const POOL_INDEX: Readonly<Record<PoolRole, number>> = { primary: 0, read_replica: 1, analytics: 2 };
const TYPE_INDEX: Readonly<Record<QueryType, number>> = { READ: 0, WRITE: 1, ANALYTICAL: 2, TRANSACTIONAL: 3 };

/**
 * Index of a (pool, query type) pair, or -1 for values outside the types
 * (an untyped caller): dropped rather than turned into an invented label.
 */
export function comboIndex(pool: PoolRole, queryType: QueryType): number {
  const p = POOL_INDEX[pool];
  const t = TYPE_INDEX[queryType];
  return typeof p === 'number' && typeof t === 'number' ? p * QUERY_TYPES.length + t : -1;
}

/** Labels of a combo index. */
export function comboLabels(combo: number): { pool: PoolRole; query_type: QueryType } {
  return { pool: POOL_ROLES[Math.floor(combo / QUERY_TYPES.length)], query_type: QUERY_TYPES[combo % QUERY_TYPES.length] };
}

/**
 * The library's call counters. The hot path bumps plain typed arrays; the
 * prom-client counters are rebuilt from them on scrape, because prom-client's
 * `inc()` hashes and validates labels on each call (~300 ns measured here).
 */
export class CallCounters {
  /** Calls by pool × type × cached. */
  private readonly queries = new Float64Array(POOL_ROLES.length * QUERY_TYPES.length * CACHED.length);
  private readonly errors = new Float64Array(POOL_ROLES.length * QUERY_TYPES.length);
  /** Lookups by level × (hit, miss). */
  private readonly cache = new Float64Array(CACHE_LEVELS.length * 2);
  /** Entries skipped as older than a read's required position, by level. */
  private readonly consistencyBypasses = new Float64Array(CACHE_LEVELS.length);
  private slow = 0;
  private fallbacks = 0;
  private degraded = 0;

  countQuery(combo: number, sample: QuerySample): void {
    const cached = sample.cached === false ? 0 : sample.cached === 'memory' ? 1 : 2;
    this.queries[combo * CACHED.length + cached]++;
    if (sample.failed) this.errors[combo]++;
  }

  countCacheLookup(level: CacheLevel, hit: boolean): void {
    this.cache[(level === 'memory' ? 0 : 2) + (hit ? 0 : 1)]++;
  }

  countCacheConsistencyBypass(level: CacheLevel): void {
    this.consistencyBypasses[level === 'memory' ? 0 : 1]++;
  }

  countSlowQuery(): void {
    this.slow++;
  }

  countReplicaFallback(): void {
    this.fallbacks++;
  }

  countDegradedRead(): void {
    this.degraded++;
  }

  registerIn(registry: Registry): void {
    const { queries, errors, cache, consistencyBypasses } = this;
    const copyNonZero = (counter: Counter, counts: Float64Array, labels: (i: number) => Record<string, string>) => {
      counter.reset();
      counts.forEach((value, i) => value > 0 && counter.inc(labels(i), value));
    };
    new Counter({
      name: METRIC_NAMES.queries,
      help: 'Calls by pool, query type and the cache level that served them (none: the database).',
      labelNames: ['pool', 'query_type', 'cached'],
      registers: [registry],
      collect() {
        copyNonZero(this, queries, (i) => ({
          ...comboLabels(Math.floor(i / CACHED.length)),
          cached: CACHED[i % CACHED.length],
        }));
      },
    });
    new Counter({
      name: METRIC_NAMES.queryErrors,
      help: 'Calls that ended in an error, by pool and query type.',
      labelNames: ['pool', 'query_type'],
      registers: [registry],
      collect() {
        copyNonZero(this, errors, comboLabels);
      },
    });
    new Counter({
      name: METRIC_NAMES.cacheRequests,
      help: 'Result-cache lookups by level and result.',
      labelNames: ['level', 'result'],
      registers: [registry],
      collect() {
        // All four series always exist, so hit-ratio queries work from the first scrape.
        this.reset();
        cache.forEach((value, i) => {
          this.inc({ level: CACHE_LEVELS[Math.floor(i / 2)], result: i % 2 === 0 ? 'hit' : 'miss' }, value);
        });
      },
    });
    new Counter({
      name: METRIC_NAMES.cacheConsistencyBypasses,
      help: 'Cached entries skipped because they were older than the WAL position a read required (consistency token or session), by level.',
      labelNames: ['level'],
      registers: [registry],
      collect() {
        this.reset();
        consistencyBypasses.forEach((value, i) => this.inc({ level: CACHE_LEVELS[i] }, value));
      },
    });
    const scalar = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    scalar(METRIC_NAMES.slowQueries, 'Calls slower than slowQueryThresholdMs.', () => this.slow);
    scalar(METRIC_NAMES.replicaFallbacks, 'Reads sent to the primary because no replica was usable.', () => this.fallbacks);
    scalar(METRIC_NAMES.degradedReads, 'Reads served by a replica while the primary was unreachable.', () => this.degraded);
  }
}
