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
import { ConsistencyTracker } from '../routing/consistency-tracker';
import { ReplicaHealthService } from '../routing/replica-health.service';
import { parseLsn } from '../core/lsn';
import { buildCacheParts, CacheParts } from './cache-parts';
import { OutsideChanges } from './coherence/outside-changes';
import { notifyingTables } from './coherence/change-notifications';
import { planRead, ReadPlan, ttlMsOf } from './read-plan';
import { withUnpositionedMark } from './write-effects';
import type { RedisSide } from './redis-side';
import { loadRedisModule } from './redis-packages';
import { ResultCacheCounters } from './result-cache-counters';
import { CACHE_LOCAL_BOUNDED, CACHE_LOCAL_ONLY, CHANGE_NOTIFICATIONS_NEED_CACHE, LISTENING_WITHOUT_REDIS, NOT_LISTENING_AT_START } from './result-cache.messages';
import type { ResultCacheMode, ResultCacheStats } from './result-cache-stats.interface';
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
 * - Without `redisUrl`, instances do not hear of each other's writes. With `instances` > 1
 *   (mode `local-bounded`) entries are served only while younger than `cacheOutageMaxAgeMs`,
 *   the same bound as an outage. With one instance (mode `local`) entries live until their
 *   TTL; writes by other processes are seen then, or at once on tables covered by
 *   `installChangeNotifications()` (NOTIFY reaches every instance that called it, no Redis needed).
 * - A read that requires a WAL position (its `consistencyToken`, or its session's last
 *   write) is served from memory or Redis only by an entry whose recorded position is at
 *   or past it; otherwise it loads from a server that has replayed it and refreshes the
 *   entry. This holds in every mode (`stats().consistency` counts the cost).
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
    private readonly consistency: ConsistencyTracker,
    replicaHealth: ReplicaHealthService,
  ) {
    this.tuning = resolveCacheTuning(options);
    if (!options.enableCache) return;
    this.parts = buildCacheParts({
      options,
      tuning: this.tuning,
      pools,
      classification,
      metrics,
      replicas: () => replicaHealth.replicas,
      redis: () => this.redis,
      unpositioned: consistency,
    });
  }

  get enabled(): boolean {
    return this.parts !== undefined;
  }

  /** `shared` (Redis), `local` (one instance, no Redis), `local-bounded` (several, no Redis), `off` (cache disabled). */
  get mode(): ResultCacheMode | 'off' {
    return this.parts?.mode ?? 'off';
  }

  /** Redis is configured, connected, subscribed and in sync. False without `redisUrl` and during an outage. */
  get redisHealthy(): boolean {
    return this.redis?.link.healthy === true;
  }

  /**
   * Resolves once the Redis stores of results loaded so far have been sent and answered. Stores
   * are fire-and-forget and go out in batches (`L2_WRITE_BATCH_MS`): a test, or a caller about to
   * hand work to another instance, can wait for them here. Resolves at once without Redis.
   */
  async storesSent(): Promise<void> {
    await this.redis?.l2.drain();
  }

  /**
   * Connects Redis when configured. Without it, says once what the cache can and cannot see,
   * and listens to change notifications already installed. Fails the start only when Redis
   * is configured and its packages are not installed; an unreachable Redis never does.
   */
  async onModuleInit(): Promise<void> {
    const parts = this.parts;
    if (!parts) return;
    const url = this.options.redisUrl;
    if (url === undefined) {
      if (parts.mode === 'local') this.logger.log(CACHE_LOCAL_ONLY(this.options.cacheTtlSeconds));
      else this.logger.log(CACHE_LOCAL_BOUNDED(this.options.instances, this.tuning.outageMaxAgeMs));
      await this.listenToInstalledNotifications(parts);
      return;
    }
    // Loaded here, not imported above: without Redis, none of the Redis packages (optional peers) is loaded.
    const { RedisSide } = await loadRedisModule(() => import('./redis-side'));
    this.redis = await RedisSide.create({
      url,
      prefix: parts.prefix,
      origin: parts.origin,
      timeoutMs: this.tuning.redisTimeoutMs,
      healthCheckIntervalMs: this.tuning.healthCheckIntervalMs,
      coordinator: parts.coordinator,
      memory: parts.memory,
      counters: parts.counters,
      currentLsn: () => this.primaryLsn(),
      unpositionedChange: () => this.unpositionedChange(),
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
  read<T>(
    classification: QueryClassification,
    params: readonly unknown[],
    target: RouteTarget,
    options: QueryOptions,
    load: (minLsn?: bigint) => Promise<OptimizedQueryResult<T>>,
    shape?: 'raw',
  ): Promise<OptimizedQueryResult<T>> {
    // Not async: a read served from memory settles without the extra turns an async wrapper costs.
    try {
      const parts = this.parts;
      if (!parts) return load();
      const ttlMs = ttlMsOf(options, this.options.cacheTtlSeconds);
      // The facade checked the token already; this is the same position its load is routed by.
      const requiredLsn = this.consistency.requiredLsn(options.sessionKey, options.consistencyToken);
      if (ttlMs === 0) return this.readUncached(parts, load);
      const plan = this.plan(parts, classification, params, target, requiredLsn, shape);
      if (plan instanceof Promise) return plan.then((found) => (found ? parts.reader.read(found, ttlMs, load) : this.readUncached(parts, load)));
      return plan ? parts.reader.read(plan, ttlMs, load) : this.readUncached(parts, load);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private readUncached<T>(parts: CacheParts, load: () => Promise<OptimizedQueryResult<T>>): Promise<OptimizedQueryResult<T>> {
    parts.counters.bypassed++;
    return load();
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
    return this.outsideChanges(parts).install(tables);
  }

  private outsideChanges(parts: CacheParts): OutsideChanges {
    this.outside ??= new OutsideChanges(() => this.pools.primary.url, parts.query, async (changed) => {
      const change = { flushAll: false, tables: changed.map((table) => ({ table })) };
      // Without the position (primary unreachable) the entries still go now, and their reloads wait for the primary's next one.
      const lsn = await this.primaryLsn().catch(() => undefined);
      await parts.invalidator.apply(lsn === undefined ? withUnpositionedMark(change, this.unpositionedChange()) : { ...change, lsn });
    }, () => parts.counters.droppedNotifications++);
    return this.outside;
  }

  /**
   * Without Redis, an instance hears another instance's or an outside write only through
   * its own LISTEN. Tables some instance equipped with change notifications before this
   * one started are listened to at once, so every instance started afterwards invalidates
   * without calling installChangeNotifications() itself. Never fails the start.
   */
  private async listenToInstalledNotifications(parts: CacheParts): Promise<void> {
    try {
      const tables = await notifyingTables(parts.query);
      if (tables.length === 0) return;
      await this.outsideChanges(parts).listen(tables);
      this.logger.log(LISTENING_WITHOUT_REDIS(tables));
    } catch (error) {
      this.logger.warn(NOT_LISTENING_AT_START((error as Error).message));
    }
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
      return new ResultCacheCounters().snapshot({ enabled: false, mode: 'off', redis, memory: { size: 0, bytes: 0 }, coalesced: 0, rowVersions: { held: 0, evicted: 0 }, bumps: { sent: 0, joined: 0 } });
    }
    return parts.counters.snapshot({
      enabled: true,
      mode: parts.mode,
      redis,
      memory: parts.memory,
      coalesced: parts.reader.coalesced,
      rowVersions: parts.coordinator.map.rowStats,
      bumps: parts.coordinator.bumpStats,
    });
  }

  /** `planRead`, at once when it can answer at once; a failed analysis is an uncached read, never an error. */
  private plan(
    parts: CacheParts,
    classification: QueryClassification,
    params: readonly unknown[],
    target: RouteTarget,
    requiredLsn: bigint | undefined,
    shape: 'raw' | undefined,
  ): ReadPlan | undefined | Promise<ReadPlan | undefined> {
    try {
      const plan = planRead(parts.planner, classification, params, target, requiredLsn, shape);
      return plan instanceof Promise ? plan.catch((error: unknown) => this.notPlanned(error)) : plan;
    } catch (error) {
      return this.notPlanned(error);
    }
  }

  private notPlanned(error: unknown): undefined {
    // The analysis is an optimization: when it fails the read simply runs uncached.
    this.logger.debug(`Read not cached: ${(error as Error).message}`);
    return undefined;
  }

  /**
   * Numbers a change committed at an unknown WAL position (another instance's, or an outside
   * one), for its version mark (`VersionChange.unpositionedMark`): loads of what it changed
   * need the primary until the lag monitor reads a position after now. Undefined without
   * replicas, where every load is on the primary anyway.
   */
  private unpositionedChange(): number | undefined {
    if (this.pools.replicas.length === 0) return undefined;
    this.consistency.noteUnpositionedWrite();
    return this.consistency.unpositionedMark;
  }

  /** The primary's WAL position now: loads after an outside change must see it. Undefined without replicas (reads go to the primary anyway). */
  private async primaryLsn(): Promise<bigint | undefined> {
    if (this.pools.replicas.length === 0) return undefined;
    return parseLsn(await this.pools.primary.withClient((client) => currentWalLsn(client)));
  }
}
