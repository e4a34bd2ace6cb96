import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { ResultCacheService } from '../result-cache/result-cache.service';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import { MetricsService } from '../metrics/metrics.service';
import type { ManagedPool } from '../pool/managed-pool';
import { PoolManagerService } from '../pool/pool-manager.service';
import { ReplicaHealthService } from '../routing/replica-health.service';
import { withTimeout } from '../core/with-timeout';

/** Options of one health check. */
export interface DbOptimizerHealthCheckOptions {
  /** Longest a ping may take. @default 1000 */
  timeoutMs?: number;
  /** A replica down makes the check fail too (by default only the primary does). @default false */
  requireReplicas?: boolean;
  /** Redis down (when configured) makes the check fail. @default false */
  requireRedis?: boolean;
  /** Unmet performance targets make the check fail. @default false */
  requireTargets?: boolean;
}

interface PoolHealth {
  status: 'up' | 'down';
  role: string;
  server: string;
  responseTimeMs?: number;
  error?: string;
  banned?: string;
  lagBytes?: number | null;
  lagMs?: number | null;
  lagExcluded?: boolean;
  /** Lag against `replicaLag.maxBytes` / `maxMs`; unknown lag counts as over. */
  lag?: 'ok' | 'over threshold' | 'unknown';
}

/**
 * Terminus health indicator: pings every pool with a timeout, reports replica
 * bans and lag against its thresholds, the result cache's mode and Redis reachability, and whether the
 * performance targets are met. The primary down means unhealthy; a replica or
 * Redis down, or a missed target, is reported in the details while the check
 * stays up (unless `requireReplicas` / `requireRedis` / `requireTargets`).
 * It never throws: failures are reported as `down`.
 * @publicApi
 *
 * @example
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.db.isHealthy('database')]); }
 */
@Injectable()
export class DbOptimizerHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly pools: PoolManagerService,
    private readonly replicas: ReplicaHealthService,
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
    private readonly cache: ResultCacheService,
    private readonly metrics: MetricsService,
  ) {}

  async isHealthy(key = 'database', checkOptions: DbOptimizerHealthCheckOptions = {}): Promise<HealthIndicatorResult> {
    const check = this.indicator.check(key);
    const timeoutMs = checkOptions.timeoutMs ?? 1000;
    const entries = await Promise.all(this.pools.pools.map(async (pool) => [pool.name, await this.ping(pool, timeoutMs)] as const));
    const details: Record<string, PoolHealth> = Object.fromEntries(entries);
    const primaryUp = details[this.pools.primary.name].status === 'up';
    const replicasUp = entries.every(([, health]) => health.role === 'primary' || health.status === 'up');
    const redis = this.redisStatus();
    const targetsMet = this.metrics.getPerformanceMetrics().performance.targetsMet;
    const healthy =
      primaryUp &&
      (!checkOptions.requireReplicas || replicasUp) &&
      (!checkOptions.requireRedis || redis !== 'down') &&
      (!checkOptions.requireTargets || targetsMet.allTargetsMet);
    // mode: shared (Redis), local (one instance: other writers seen after the TTL), local-bounded (several, entries age-capped).
    const report = { pools: details, cache: { enabled: this.cache.enabled, mode: this.cache.mode, redis }, targetsMet };
    return healthy ? check.up(report) : check.down(report);
  }

  private redisStatus(): 'up' | 'down' | 'not configured' {
    if (!this.cache.enabled || this.options.redisUrl === undefined) return 'not configured';
    return this.cache.redisHealthy ? 'up' : 'down';
  }

  private lagStatus(bytes: number | null, ms: number | null): 'ok' | 'over threshold' | 'unknown' {
    if (bytes === null || ms === null) return 'unknown';
    const { maxBytes, maxMs } = this.options.replicaLag;
    return bytes > maxBytes || ms > maxMs ? 'over threshold' : 'ok';
  }

  private async ping(pool: ManagedPool, timeoutMs: number): Promise<PoolHealth> {
    const health: PoolHealth = { status: 'down', role: pool.role, server: pool.server };
    const replica = this.replicas.stateOf(pool);
    if (replica) {
      health.lagBytes = replica.lagBytes;
      health.lagMs = replica.lagMs;
      health.lagExcluded = replica.lagExcluded;
      health.lag = this.lagStatus(replica.lagBytes, replica.lagMs);
      if (replica.ban) health.banned = replica.ban.reason;
    }
    const startedAt = Date.now();
    try {
      await withTimeout(pool.withClient((client) => client.query('SELECT 1')), timeoutMs, `${pool.name} ping`);
      health.status = 'up';
      health.responseTimeMs = Date.now() - startedAt;
    } catch (error) {
      health.error = (error as Error).message;
    }
    return health;
  }
}
