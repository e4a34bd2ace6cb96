import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import { ManagedPool } from './managed-pool';
import type { PoolStats } from './pool-stats';
import type { PoolRole } from '../core/pool-role';

/**
 * One `pg` pool per role and per server: the primary, each read replica, and
 * the analytics replica. Pools open lazily on first use and `min` connections
 * are warmed at start; all of them end exactly once at application shutdown.
 * With several primary candidates there is one pool per candidate and
 * `primary` is the one writes go to (routing/ moves it after a failover).
 * @publicApi
 */
@Injectable()
export class PoolManagerService implements OnApplicationShutdown {
  private readonly logger = new Logger(PoolManagerService.name);
  private current: ManagedPool;
  /** Every primary candidate, in the order configured (one unless several hosts were given). */
  readonly primaryCandidates: readonly ManagedPool[];
  readonly readReplicas: readonly ManagedPool[];
  readonly analytics: ManagedPool | undefined;

  constructor(@Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) options: ResolvedDbOptimizerOptions) {
    const common = {
      acquireTimeoutMs: options.acquireTimeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      maxUses: options.maxUsesPerConnection,
      statementTimeoutMs: options.statementTimeoutMs,
      ssl: options.ssl,
      applicationName: options.applicationName,
      breaker: options.connectionBreaker,
    };
    this.primaryCandidates = options.primaryUrls.map(
      (url, index) => new ManagedPool({ ...common, ...options.primaryPool, role: 'primary', name: index === 0 ? 'primary' : `primary[${index}]`, url }),
    );
    this.current = this.primaryCandidates[0];
    this.readReplicas = options.readReplicaUrls.map(
      (url, index) =>
        new ManagedPool({ ...common, ...options.readReplicaPool, role: 'read_replica', name: `read_replica[${index}]`, url }),
    );
    this.analytics = options.analyticsReplicaUrl
      ? new ManagedPool({ ...common, ...options.analyticsPool, role: 'analytics', name: 'analytics', url: options.analyticsReplicaUrl })
      : undefined;
  }

  /** The pool writes go to: the primary candidate last found not in recovery. */
  get primary(): ManagedPool {
    return this.current;
  }

  /** Makes `pool` (one of `primaryCandidates`) the primary. */
  usePrimary(pool: ManagedPool): void {
    if (!this.primaryCandidates.includes(pool)) throw new Error(`Pool "${pool.name}" is not a primary candidate.`);
    if (pool === this.current) return;
    this.logger.warn(`Primary moved from "${this.current.name}" (${this.current.server}) to "${pool.name}" (${pool.server}).`);
    this.current = pool;
  }

  /** Every pool in use, primary first. */
  get pools(): ManagedPool[] {
    return [this.primary, ...this.readReplicas, ...(this.analytics ? [this.analytics] : [])];
  }

  /** Every pool, including primary candidates not in use now (shutdown, listeners). */
  get allPools(): ManagedPool[] {
    return [...this.primaryCandidates, ...this.readReplicas, ...(this.analytics ? [this.analytics] : [])];
  }

  /** Replica pools (read and analytics): the ones that can be banned or lag. */
  get replicas(): ManagedPool[] {
    return [...this.readReplicas, ...(this.analytics ? [this.analytics] : [])];
  }

  /** Pools of one role. */
  poolsOf(role: PoolRole): ManagedPool[] {
    switch (role) {
      case 'primary':
        return [this.primary];
      case 'read_replica':
        return [...this.readReplicas];
      case 'analytics':
        return this.analytics ? [this.analytics] : [];
      default: {
        const unknownRole: never = role;
        throw new Error(`Unknown pool role ${String(unknownRole)}.`);
      }
    }
  }

  /** Looks a pool up by its name (`primary`, `read_replica[0]`, `analytics`). */
  byName(name: string): ManagedPool | undefined {
    return this.pools.find((pool) => pool.name === name);
  }

  /**
   * Opens each pool's `min` connections. The primary must answer; a replica that
   * does not is reported (the caller bans it) instead of failing the start.
   */
  async warmUp(): Promise<Map<ManagedPool, unknown>> {
    await this.primary.warmUp();
    const failures = new Map<ManagedPool, unknown>();
    await Promise.all(
      this.replicas.map((pool) =>
        pool.warmUp().catch((error: unknown) => {
          this.logger.warn(`Replica pool ${pool.name} (${pool.server}) did not warm up: ${(error as Error).message}`);
          failures.set(pool, error);
        }),
      ),
    );
    return failures;
  }

  stats(): PoolStats[] {
    return this.pools.map((pool) => pool.stats());
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.allPools.map((pool) => pool.end()));
  }
}
