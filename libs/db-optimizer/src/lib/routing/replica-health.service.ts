import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import type { ManagedPool } from '../pool/managed-pool';
import { PoolManagerService } from '../pool/pool-manager.service';
import { ReplicaState } from './replica-state';
import { REPLICA_PROMOTED } from '../core/errors/messages';

/** Longest a health-check query may take before the replica counts as still down. */
const HEALTH_CHECK_TIMEOUT_MS = 2000;

/**
 * Bans failing replicas and lets them back only after a health check passes.
 * The first ban lasts `replicaBanMs`; each failed check doubles it up to
 * `replicaBanMaxMs`. The primary is never banned: with no usable replica,
 * reads go to it. Slow queries are not failures; only connection errors ban,
 * and a replica that answers `pg_is_in_recovery() = false` (it was promoted) is
 * banned with the reason "promoted: not in recovery" for as long as that holds.
 * @publicApi
 */
@Injectable()
export class ReplicaHealthService implements OnModuleDestroy {
  private readonly logger = new Logger(ReplicaHealthService.name);
  private readonly states: Map<ManagedPool, ReplicaState>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    pools: PoolManagerService,
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
  ) {
    this.states = new Map(pools.replicas.map((pool) => [pool, new ReplicaState(pool, options.maxStalenessOnPrimaryLossMs)]));
  }

  /** State of every replica (read replicas, then analytics). */
  get replicas(): ReplicaState[] {
    return [...this.states.values()];
  }

  stateOf(pool: ManagedPool): ReplicaState | undefined {
    return this.states.get(pool);
  }

  /** Stops reads to a replica until a health check passes. Banning a banned replica changes nothing. */
  ban(pool: ManagedPool, reason: string): void {
    const state = this.states.get(pool);
    if (!state || state.ban || this.closed) return;
    const now = Date.now();
    state.ban = { reason, sinceMs: now, untilMs: now + this.options.replicaBanMs, failedChecks: 0 };
    state.banCount++;
    this.logger.warn(`Replica ${pool.name} (${pool.server}) banned for ${this.options.replicaBanMs} ms: ${reason}`);
    this.scheduleCheck(state, this.options.replicaBanMs);
  }

  private scheduleCheck(state: ReplicaState, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.check(state);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async check(state: ReplicaState): Promise<void> {
    if (this.closed || !state.ban) return;
    let reason: string;
    try {
      const { rows } = await state.pool.withClient((client) =>
        client.query<{ in_recovery: boolean }>({ text: 'SELECT pg_is_in_recovery() AS in_recovery', query_timeout: HEALTH_CHECK_TIMEOUT_MS } as never),
      );
      // The role check: a replica that answers but is not in recovery was promoted, and stays banned while it is.
      if (rows[0].in_recovery) {
        this.logger.log(`Replica ${state.name} passed its health check; it gets reads again.`);
        state.ban = undefined;
        return;
      }
      reason = REPLICA_PROMOTED;
    } catch (error) {
      reason = `health check failed: ${(error as Error).message}`;
    }
    const ban = state.ban;
    if (!ban) return;
    ban.failedChecks++;
    const nextMs = Math.min(this.options.replicaBanMs * 2 ** ban.failedChecks, this.options.replicaBanMaxMs);
    ban.untilMs = Date.now() + nextMs;
    ban.reason = reason;
    this.scheduleCheck(state, nextMs);
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
