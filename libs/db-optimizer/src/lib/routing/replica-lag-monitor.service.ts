import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import { PoolManagerService } from '../pool/pool-manager.service';
import { parseLsn } from '../core/lsn';
import { ReplicaHealthService } from './replica-health.service';
import { ConsistencyTracker } from './consistency-tracker';
import type { ReplicaState } from './replica-state';

// Time lag counts only while WAL waits to be replayed: an idle primary makes
// pg_last_xact_replay_timestamp() old without the replica being behind.
const REPLICA_POSITION_SQL = `SELECT pg_last_wal_replay_lsn()::text AS replay_lsn,
  CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
       ELSE GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp())) * 1000) END AS lag_ms`;

/**
 * Measures every replica's lag each `checkIntervalMs`: bytes between the
 * primary's WAL position and the replica's replay position, and time. A replica
 * over `maxBytes` or `maxMs` for `consecutiveChecks` checks in a row gets no
 * reads until it is back under both for as many checks. Unknown lag counts as too much.
 * @publicApi
 */
@Injectable()
export class ReplicaLagMonitor implements OnModuleDestroy {
  private readonly logger = new Logger(ReplicaLagMonitor.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pools: PoolManagerService,
    private readonly health: ReplicaHealthService,
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
    private readonly consistency: ConsistencyTracker,
  ) {}

  start(): void {
    if (this.timer || this.health.replicas.length === 0) return;
    this.timer = setInterval(() => void this.checkNow(), this.options.replicaLag.checkIntervalMs);
    this.timer.unref();
  }

  /** Runs one round of measurements (rounds never overlap). */
  checkNow(): Promise<void> {
    this.running ??= this.measureAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async measureAll(): Promise<void> {
    let primaryLsn: bigint | undefined;
    // Writes noted as unpositioned before this read committed before it: the position covers them.
    const unpositioned = this.consistency.pendingUnpositioned;
    try {
      const { rows } = await this.pools.primary.withClient((client) =>
        client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
      );
      primaryLsn = parseLsn(rows[0].lsn);
      if (primaryLsn !== undefined) this.consistency.notePrimaryPosition(primaryLsn, unpositioned);
    } catch (error) {
      this.logger.warn(`Could not read the primary's WAL position: ${(error as Error).message}`);
    }
    await Promise.all(this.health.replicas.map((replica) => this.measure(replica, primaryLsn)));
  }

  private async measure(replica: ReplicaState, primaryLsn: bigint | undefined): Promise<void> {
    if (replica.ban) return;
    try {
      const { rows } = await replica.pool.withClient((client) =>
        client.query<{ replay_lsn: string | null; lag_ms: string | number }>(REPLICA_POSITION_SQL),
      );
      const replayLsn = rows[0].replay_lsn === null ? undefined : parseLsn(rows[0].replay_lsn);
      replica.replayLsn = replayLsn ?? null;
      replica.replayCheckedAt = Date.now();
      replica.lagMs = Number(rows[0].lag_ms);
      replica.lagBytes =
        primaryLsn === undefined || replayLsn === undefined ? null : Math.max(0, Number(primaryLsn - replayLsn));
    } catch {
      replica.lagBytes = null;
      replica.lagMs = null;
    }
    this.judge(replica);
  }

  private judge(replica: ReplicaState): void {
    const { maxBytes, maxMs, consecutiveChecks } = this.options.replicaLag;
    const tooFar =
      replica.lagBytes === null || replica.lagMs === null || replica.lagBytes > maxBytes || replica.lagMs > maxMs;
    if (tooFar) {
      replica.goodLagChecks = 0;
      replica.badLagChecks++;
      if (!replica.lagExcluded && replica.badLagChecks >= consecutiveChecks) {
        replica.lagExcluded = true;
        this.logger.warn(
          `Replica ${replica.name} excluded: lag ${replica.lagBytes ?? 'unknown'} bytes / ${replica.lagMs ?? 'unknown'} ms ` +
            `over ${consecutiveChecks} checks (limits ${maxBytes} bytes, ${maxMs} ms).`,
        );
      }
      return;
    }
    replica.badLagChecks = 0;
    replica.goodLagChecks++;
    if (replica.lagExcluded && replica.goodLagChecks >= consecutiveChecks) {
      replica.lagExcluded = false;
      this.logger.log(`Replica ${replica.name} caught up; it gets reads again.`);
    }
  }

  /**
   * Resolves once every usable replica has replayed `lsn` (e.g. after a
   * migration, before reads of the new schema), or rejects after `timeoutMs`.
   */
  async waitForReplay(lsn: bigint, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.checkNow();
      const behind = this.health.replicas.filter((replica) => replica.usable && !replica.hasReplayed(lsn));
      if (behind.length === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(
          `Replicas ${behind.map((replica) => replica.name).join(', ')} did not replay the write within ${timeoutMs} ms. ` +
            'Check replication (pg_stat_replication on the primary) or wait longer.',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
