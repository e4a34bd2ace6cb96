import { Injectable } from '@nestjs/common';
import type { ManagedPool } from '../pool/managed-pool';
import { PoolManagerService } from '../pool/pool-manager.service';
import type { PoolRole } from '../core/pool-role';
import type { RouteTarget } from '../core/query-classification.interface';
import { ReplicaHealthService } from './replica-health.service';
import type { ReplicaState } from './replica-state';

/** Where one statement runs, and whether a read fell back to the primary. */
export interface RouteDecision {
  pool: ManagedPool;
  role: PoolRole;
  /**
   * True when the read wanted a replica but none was usable (banned, lagging, or behind the session's writes).
   * Never with no replica configured: reads then belong on the primary.
   */
  fallback: boolean;
}

/**
 * Picks the server for a statement whose target is known. Synchronous and
 * allocation-light: it runs on every query.
 * @publicApi
 */
@Injectable()
export class QueryRouter {
  private readonly readStates: ReplicaState[];
  private readonly analyticsState: ReplicaState | undefined;
  private roundRobin = 0;
  private fallbackCount = 0;

  constructor(
    private readonly pools: PoolManagerService,
    health: ReplicaHealthService,
  ) {
    this.readStates = pools.readReplicas.map((pool) => health.stateOf(pool) as ReplicaState);
    this.analyticsState = pools.analytics ? health.stateOf(pools.analytics) : undefined;
  }

  /** Reads sent to the primary because no replica could serve them. */
  get fallbacks(): number {
    return this.fallbackCount;
  }

  /**
   * @param requiredLsn a replica must have replayed this far (read-your-writes)
   * @param avoid a replica that just failed this statement
   */
  route(target: RouteTarget, requiredLsn?: bigint, avoid?: ManagedPool): RouteDecision {
    const decision = this.pick(target, requiredLsn, avoid);
    if (decision.fallback) this.fallbackCount++;
    return decision;
  }

  /** Like `route()`, without counting a fallback: for callers that may still find a replica. */
  pick(target: RouteTarget, requiredLsn?: bigint, avoid?: ManagedPool): RouteDecision {
    if (target === 'primary') return { pool: this.pools.primary, role: 'primary', fallback: false };
    if (target === 'analytics' && this.analyticsState && this.isCandidate(this.analyticsState, requiredLsn, avoid)) {
      return { pool: this.analyticsState.pool, role: 'analytics', fallback: false };
    }
    const replica = this.pickReadReplica(requiredLsn, avoid);
    if (replica) return { pool: replica.pool, role: 'read_replica', fallback: false };
    // Without any replica configured the primary is where reads belong: no fallback to count or report.
    const anyConfigured = this.readStates.length > 0 || (target === 'analytics' && this.analyticsState !== undefined);
    return { pool: this.pools.primary, role: 'primary', fallback: anyConfigured };
  }

  /** Counts a read that went to the primary for want of a replica. */
  countFallback(): void {
    this.fallbackCount++;
  }

  /** The replica state behind a decision, when it is a replica. */
  stateOf(pool: ManagedPool): ReplicaState | undefined {
    if (this.analyticsState?.pool === pool) return this.analyticsState;
    return this.readStates.find((state) => state.pool === pool);
  }

  private pickReadReplica(requiredLsn: bigint | undefined, avoid: ManagedPool | undefined): ReplicaState | undefined {
    const count = this.readStates.length;
    if (count === 0) return undefined;
    // Least loaded wins; the rotating start spreads ties evenly.
    const start = this.roundRobin++ % count;
    let best: ReplicaState | undefined;
    for (let offset = 0; offset < count; offset++) {
      const state = this.readStates[(start + offset) % count];
      if (!this.isCandidate(state, requiredLsn, avoid)) continue;
      if (best === undefined || state.load < best.load) best = state;
    }
    return best;
  }

  private isCandidate(state: ReplicaState, requiredLsn: bigint | undefined, avoid: ManagedPool | undefined): boolean {
    return state.usable && state.pool !== avoid && state.hasReplayed(requiredLsn);
  }
}
