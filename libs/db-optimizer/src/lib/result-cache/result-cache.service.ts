import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_CACHE_METRICS, DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import type { CommittedWrite } from '../core/committed-write.interface';
import type { OptimizedQueryResult, QueryOptions } from '../core/query-options.interface';
import { currentWalLsn } from '../core/statement-runner';
import type { CacheMetricsSink } from '../core/cache-metrics-sink.interface';
import { PoolManagerService } from '../pool/pool-manager.service';
import type { QueryClassification, RouteTarget } from '../core/query-classification.interface';
import { ClassificationService } from '../classify/classification.service';
import { parseLsn } from '../core/lsn';
import { buildCacheParts, CacheParts } from './cache-parts';
import { OutsideChanges } from './coherence/outside-changes';
import { planRead, ReadPlan, ttlMsOf } from './read-plan';
import { RedisSide } from './redis-side';
import { ResultCacheCounters } from './result-cache-counters';
import { CHANGE_NOTIFICATIONS_NEED_CACHE } from './result-cache.messages';
import type { ResultCacheStats } from './result-cache-stats.interface';
import { ResultCacheTuning, resolveCacheTuning } from './result-cache-tuning';

/**
 * Multi-level cache of read results: L1 in process (LRU bounded by entries and bytes),
 * L2 in Redis (with `redisUrl`), invalidated at COMMIT through version counters that are
 * part of every key, so a write never has to find the entries it makes stale.
 *
 * Guarantees:
 * - Only single plain SELECTs with immutable functions are cached, never inside a transaction.
 * - On one instance, a read that starts after a write has returned never sees the data
 *   the write changed: the versions move before the write returns, and the reload goes
 *   to a server that has replayed the write.
 * - Across instances (Redis), the window between a write returning and other instances
 *   dropping its entries is one pub/sub hop (`stats().crossInstanceWindowMs`).
 * - While Redis is down, callers see no errors: Redis calls time out after
 *   `cacheRedisTimeoutMs` (100 ms) and L2 is skipped; since other instances' writes cannot
 *   be heard, in-memory entries are served only while younger than `cacheOutageMaxAgeMs`
 *   (1 s): that is the cross-instance staleness bound during an outage. This instance's own
 *   writes keep invalidating its memory at once (local stamps).
 * - When Redis is back: if this instance applied writes locally meanwhile (or Redis lost
 *   its data), the global epoch is bumped and memory cleared, so nothing cached before or
 *   during the outage is served again anywhere; otherwise it re-reads the counters from
 *   Redis, which covers every message it missed.
 * - A Redis that loses acknowledged writes yet keeps older ones (failover to a lagging
 *   replica) can hand an instance an older counter: run it without such failover, or
 *   rely on the TTL as the bound.
 * - Without `redisUrl`, several instances do not hear of each other's writes: the TTL is
 *   the only bound. Writes that bypass the module are likewise bounded by the TTL only,
 *   unless `installChangeNotifications()` covers their tables.
 * @publicApi
 *
 * @example
 * await db.executeOptimizedQuery('SELECT * FROM users WHERE id = $1', [7], { ttlSeconds: 60 });
 * cache.stats().memory.hits;
 */
@Injectable()
export class ResultCacheService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ResultCacheService.name);
  private readonly tuning: ResultCacheTuning;
  private readonly parts: CacheParts | undefined;
  private redis: RedisSide | undefined;
  private outside: OutsideChanges | undefined;

  constructor(
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
    private readonly pools: PoolManagerService,
    classification: ClassificationService,
    @Inject(DB_OPTIMIZER_CACHE_METRICS) metrics: CacheMetricsSink,
  ) {
    this.tuning = resolveCacheTuning(options);
    if (!options.enableCache) return;
    this.parts = buildCacheParts({ options, tuning: this.tuning, pools, classification, metrics, redis: () => this.redis });
  }

  get enabled(): boolean {
    return this.parts !== undefined;
  }

  /** Redis is configured, connected, subscribed and in sync. False without `redisUrl` and during an outage. */
  get redisHealthy(): boolean {
    return this.redis?.link.healthy === true;
  }

  /** Connects Redis when configured. Never fails the start: without Redis the cache runs on memory. */
  async onModuleInit(): Promise<void> {
    const parts = this.parts;
    if (!parts || this.options.redisUrl === undefined) return;
    this.redis = await RedisSide.create({
      url: this.options.redisUrl,
      prefix: parts.prefix,
      origin: parts.origin,
      timeoutMs: this.tuning.redisTimeoutMs,
      healthCheckIntervalMs: this.tuning.healthCheckIntervalMs,
      coordinator: parts.coordinator,
      memory: parts.memory,
      counters: parts.counters,
      currentLsn: () => this.primaryLsn(),
    });
    await this.redis.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outside?.stop();
    await this.redis?.stop();
  }

  /**
   * Serves a read from L1, L2 or `load` (one load per key at a time). The facade calls
   * it for reads outside transactions with `useCache` not false. `shape: 'raw'` keys
   * results loaded in `RAW_ROWS` shape apart from the default ones.
   */
  async read<T>(
    classification: QueryClassification,
    params: readonly unknown[],
    target: RouteTarget,
    options: QueryOptions,
    load: (minLsn?: bigint) => Promise<OptimizedQueryResult<T>>,
    shape?: 'raw',
  ): Promise<OptimizedQueryResult<T>> {
    const parts = this.parts;
    if (!parts) return load();
    const ttlMs = ttlMsOf(options, this.options.cacheTtlSeconds);
    const plan = ttlMs === 0 ? undefined : await this.plan(parts, classification, params, target, options, shape);
    if (!plan) {
      parts.counters.bypassed++;
      return load();
    }
    return parts.reader.read(plan, ttlMs, load);
  }

  /** Invalidates what committed writes changed, here at once and on other instances through Redis. Never throws. */
  async afterCommit(writes: readonly CommittedWrite[], consistencyToken?: string): Promise<void> {
    await this.parts?.invalidator.afterCommit(writes, consistencyToken);
  }

  /**
   * Makes writes that bypass the module (other services, psql, jobs) invalidate too: installs
   * NOTIFY triggers on `tables` and listens on the primary; each notification drops the
   * table's entries on every instance. Each write then drops all of its table's entries,
   * including the module's own writes (a trigger cannot tell them apart).
   *
   * @returns the tables now notifying (canonical `schema.name`).
   * @example
   * await cache.installChangeNotifications(['public.prices']);
   */
  async installChangeNotifications(tables: string[]): Promise<string[]> {
    const parts = this.parts;
    if (!parts) throw new Error(CHANGE_NOTIFICATIONS_NEED_CACHE());
    this.outside ??= new OutsideChanges(this.options.primaryUrl, parts.query, async (changed) => {
      // Without the position (primary unreachable) the entries still go now; reloads then trust the lag monitor.
      const lsn = await this.primaryLsn().catch(() => undefined);
      await parts.invalidator.apply({ flushAll: false, tables: changed.map((table) => ({ table })), lsn });
    });
    return this.outside.install(tables);
  }

  /**
   * Counters of both levels, invalidation, and the cross-instance window.
   * @example
   * const { memory, crossInstanceWindowMs } = cache.stats(); // crossInstanceWindowMs.p99
   */
  stats(): ResultCacheStats {
    const parts = this.parts;
    const redis = this.options.redisUrl === undefined || !parts ? 'none' : this.redisHealthy ? 'up' : 'down';
    if (!parts) {
      return new ResultCacheCounters().snapshot({ enabled: false, redis, memory: { size: 0, bytes: 0 }, coalesced: 0, rowVersions: { held: 0, evicted: 0 } });
    }
    return parts.counters.snapshot({
      enabled: true,
      redis,
      memory: parts.memory,
      coalesced: parts.reader.coalesced,
      rowVersions: parts.coordinator.map.rowStats,
    });
  }

  private async plan(
    parts: CacheParts,
    classification: QueryClassification,
    params: readonly unknown[],
    target: RouteTarget,
    options: QueryOptions,
    shape: 'raw' | undefined,
  ): Promise<ReadPlan | undefined> {
    try {
      return await planRead(parts.planner, classification, params, target, options, shape);
    } catch (error) {
      // The analysis is an optimization: when it fails the read simply runs uncached.
      this.logger.debug(`Read not cached: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** The primary's WAL position now: loads after an outside change must see it. Undefined without replicas (reads go to the primary anyway). */
  private async primaryLsn(): Promise<bigint | undefined> {
    if (this.pools.replicas.length === 0) return undefined;
    return parseLsn(await this.pools.primary.withClient((client) => currentWalLsn(client)));
  }
}
