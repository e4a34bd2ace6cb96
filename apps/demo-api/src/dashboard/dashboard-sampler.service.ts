import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Subject } from 'rxjs';
import { DbOptimizerService, MetricsService, PoolResizeJob, ReplicaHealthService, ResultCacheService } from '@db-optimizer/core';
import { replicaSummaries } from '../db-admin/replica-summary';
import type { DashboardSample, DashboardSnapshot, DashboardState } from './dashboard-sample.interface';

export const SAMPLE_INTERVAL_MS = 1_000;
// Five minutes of history: what a page opened mid-run draws at once.
const HISTORY_SAMPLES = 300;
const SLOW_QUERIES_SHOWN = 8;

interface Counters {
  atMs: number;
  queries: number;
  failed: number;
  primary: number;
  replica: number;
  analytics: number;
  cacheHits: number;
  memoryHits: number;
  memoryMisses: number;
  redisHits: number;
  redisMisses: number;
}

/**
 * Samples the module's figures once a second into a short history, so the
 * dashboard draws rates and percentiles over time (the library's counters are
 * totals since start). Cheap: counters and getters only, no query.
 */
@Injectable()
export class DashboardSamplerService implements OnModuleInit, OnModuleDestroy {
  private readonly history: DashboardSample[] = [];
  private readonly snapshots = new Subject<DashboardSnapshot>();
  private latest: DashboardSnapshot | undefined;
  private previous: Counters | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DbOptimizerService,
    private readonly metrics: MetricsService,
    private readonly resizeJob: PoolResizeJob,
    private readonly cache: ResultCacheService,
    private readonly replicas: ReplicaHealthService,
  ) {}

  /** Each new snapshot, as it is taken. */
  readonly updates = this.snapshots.asObservable();

  onModuleInit(): void {
    this.previous = this.counters();
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
    // The demo's lifetime is the app's: sampling alone must not keep a process alive.
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.snapshots.complete();
  }

  /** The history so far and the latest state (taking a first sample when there is none yet). */
  current(): { samples: DashboardSample[]; state: DashboardState } {
    const latest = this.latest ?? this.sample();
    return { samples: [...this.history], state: latest.state };
  }

  private sample(): DashboardSnapshot {
    const now = this.counters();
    const before = this.previous ?? now;
    this.previous = now;
    const seconds = Math.max((now.atMs - before.atMs) / 1000, 0.001);
    const rate = (key: keyof Counters): number => round((now[key] - before[key]) / seconds);
    const { window } = this.metrics.getPerformanceMetrics();
    const pools = this.db.poolStats();
    const replicas = replicaSummaries(this.replicas);
    const sample: DashboardSample = {
      t: Math.round(now.atMs / 1000),
      queriesPerSec: rate('queries'),
      errorsPerSec: rate('failed'),
      primaryPerSec: rate('primary'),
      replicaPerSec: rate('replica'),
      analyticsPerSec: rate('analytics'),
      cacheHitsPerSec: rate('cacheHits'),
      p50Ms: round(window.p50QueryTimeMs),
      p95Ms: round(window.p95QueryTimeMs),
      p99Ms: round(window.p99QueryTimeMs),
      poolInUse: Object.fromEntries(pools.map((pool) => [pool.name, pool.total - pool.idle])),
      poolLimit: Object.fromEntries(pools.map((pool) => [pool.name, pool.limit])),
      poolWaiting: Object.fromEntries(pools.map((pool) => [pool.name, pool.waiting])),
      memoryHitRate: share(now.memoryHits - before.memoryHits, now.memoryMisses - before.memoryMisses),
      redisHitRate: share(now.redisHits - before.redisHits, now.redisMisses - before.redisMisses),
      lagBytes: Object.fromEntries(replicas.map((replica) => [replica.name, replica.lagBytes])),
    };
    this.history.push(sample);
    if (this.history.length > HISTORY_SAMPLES) this.history.shift();
    this.latest = { sample, state: this.state(pools, replicas) };
    this.snapshots.next(this.latest);
    return this.latest;
  }

  private state(pools: ReturnType<DbOptimizerService['poolStats']>, replicas: DashboardState['replicas']): DashboardState {
    const { performance } = this.metrics.getPerformanceMetrics();
    const resize = this.resizeJob.stats();
    const cache = this.cache.stats();
    return {
      totals: {
        queries: performance.totalQueries,
        failed: performance.failedQueries,
        cacheHitRate: performance.cacheHitRate,
        queryOptimizationRate: performance.queryOptimizationRate,
        preparedStatementHits: performance.preparedStatementHits,
        replicaFallbacks: performance.replicaFallbacks,
        slowQueriesDetected: performance.slowQueriesDetected,
        allTargetsMet: performance.targetsMet.allTargetsMet,
      },
      pools: pools.map(({ name, role, server, total, idle, waiting, limit, min, max }) => ({ name, role, server, total, idle, waiting, limit, min, max })),
      resize: { runs: resize.runs, grows: resize.grows, shrinks: resize.shrinks, holds: resize.holds, budgetCapped: resize.budgetCapped, lastDecisions: resize.lastDecisions },
      cache: { enabled: cache.enabled, redis: cache.redis, entries: cache.memory.entries, invalidations: cache.invalidations },
      replicas,
      slowQueries: this.metrics
        .getSlowQueries()
        .slice(0, SLOW_QUERIES_SHOWN)
        .map(({ normalizedSql, durationMs, pool, at, failed }) => ({ normalizedSql, durationMs: round(durationMs), pool, at, failed })),
    };
  }

  private counters(): Counters {
    const { performance } = this.metrics.getPerformanceMetrics();
    const cache = this.cache.stats();
    return {
      atMs: Date.now(),
      queries: performance.totalQueries,
      failed: performance.failedQueries,
      primary: performance.primaryQueries,
      replica: performance.readReplicaQueries,
      analytics: performance.analyticalQueries,
      cacheHits: performance.cacheHits,
      memoryHits: cache.memory.hits,
      memoryMisses: cache.memory.misses,
      redisHits: cache.redisLevel.hits,
      redisMisses: cache.redisLevel.misses,
    };
  }
}

function share(hits: number, misses: number): number | null {
  return hits + misses > 0 ? round(hits / (hits + misses)) : null;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
