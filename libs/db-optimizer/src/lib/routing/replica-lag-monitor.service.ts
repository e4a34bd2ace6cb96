import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ResolvedDbOptimizerOptions } from '../options/resolved-options.interface';
import { DB_OPTIMIZER_RESOLVED_OPTIONS } from '../core/db-optimizer.constants';
import { parseLsn } from '../core/lsn';
import { ReplicaHealthService } from './replica-health.service';
import { ConsistencyTracker } from './consistency-tracker';
import type { ReplicaState } from './replica-state';
import { PrimaryWatch } from './primary-watch.service';
import { REPLICA_PROMOTED } from '../core/errors/messages';

// Time lag counts only while WAL waits to be replayed: an idle primary makes
// pg_last_xact_replay_timestamp() old without the replica being behind.
// The rest is what a replica can say of itself when the primary cannot be asked:
// its role, what it received but has not replayed, and when its WAL receiver
// (while streaming) last heard from the primary.
const REPLICA_POSITION_SQL = `SELECT pg_is_in_recovery() AS in_recovery,
  pg_last_wal_replay_lsn()::text AS replay_lsn,
  pg_last_wal_receive_lsn()::text AS receive_lsn,
  CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
       ELSE GREATEST(0, EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp())) * 1000) END AS lag_ms,
  EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp())) * 1000 AS replay_age_ms,
  (SELECT EXTRACT(EPOCH FROM (clock_timestamp() - last_msg_receipt_time)) * 1000
     FROM pg_stat_wal_receiver WHERE status = 'streaming') AS receipt_age_ms`;

type ReplicaRow = {
  in_recovery: boolean;
  replay_lsn: string | null;
  receive_lsn: string | null;
  lag_ms: string | number;
  replay_age_ms: string | number | null;
  receipt_age_ms: string | number | null;
};

/**
 * Measures every replica's lag each `checkIntervalMs`: bytes between the
 * primary's WAL position and the replica's replay position, and time. A replica
 * over `maxBytes` or `maxMs` for `consecutiveChecks` checks in a row gets no
 * reads until it is back under both for as many checks. Unknown lag counts as too much.
 * When the primary cannot be reached, replicas are judged by what they say of
 * themselves (bytes received but not replayed, when they last heard from the
 * primary) and serve reads while that is within `maxStalenessOnPrimaryLossMs`.
 * Each round also checks roles: a replica not in recovery is banned as promoted.
 * @publicApi
 */
@Injectable()
export class ReplicaLagMonitor implements OnModuleDestroy {
  private readonly logger = new Logger(ReplicaLagMonitor.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly health: ReplicaHealthService,
    private readonly primaryWatch: PrimaryWatch,
    @Inject(DB_OPTIMIZER_RESOLVED_OPTIONS) private readonly options: ResolvedDbOptimizerOptions,
    private readonly consistency: ConsistencyTracker,
  ) {}

  start(): void {
    if (this.timer || (this.health.replicas.length === 0 && !this.primaryWatch.hasCandidates)) return;
    this.timer = setInterval(() => void this.checkNow(), this.options.replicaLag.checkIntervalMs);
    this.timer.unref();
  }

  /** Runs one round of measurements (rounds never overlap). */
  checkNow(): Promise<void> {
    this.running ??= this.measureAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async measureAll(): Promise<void> {
    // Writes noted as unpositioned before this read committed before it: the position covers them.
    // Not when this joins a check already under way (a read after a failover started it): it may have read before them.
    const mark = this.consistency.unpositionedMark;
    const joined = this.primaryWatch.checking;
    // Undefined when no primary answers: replicas are then judged by themselves.
    const primary = await this.primaryWatch.check();
    if (primary !== undefined && !joined) this.consistency.notePrimaryPosition(primary.covering, mark);
    // Lag against what the primary can have sent: WAL it has not flushed yet no replica can have.
    await Promise.all(this.health.replicas.map((replica) => this.measure(replica, primary?.shipped)));
  }

  private async measure(replica: ReplicaState, primaryLsn: bigint | undefined): Promise<void> {
    if (replica.ban) return;
    try {
      const { rows } = await replica.pool.withClient((client) => client.query<ReplicaRow>(REPLICA_POSITION_SQL));
      const row = rows[0];
      if (!row.in_recovery) {
        replica.freshAsOfMs = undefined;
        this.health.ban(replica.pool, REPLICA_PROMOTED);
        return;
      }
      const replayLsn = row.replay_lsn === null ? undefined : parseLsn(row.replay_lsn);
      replica.replayLsn = replayLsn ?? null;
      replica.replayCheckedAt = Date.now();
      replica.lagMs = Number(row.lag_ms);
      if (primaryLsn !== undefined) {
        replica.freshAsOfMs = undefined;
        replica.lagBytes = replayLsn === undefined ? null : Math.max(0, Number(primaryLsn - replayLsn));
      } else {
        this.judgeBySelf(replica, row, replayLsn);
      }
    } catch {
      replica.lagBytes = null;
      replica.lagMs = null;
    }
    this.judge(replica);
  }

  /**
   * Without a primary to compare with: the bytes the replica received but has not
   * replayed stand for its lag, and its data is complete up to when its WAL
   * receiver last heard from the primary (or, with no receiver streaming, the later
   * of when we last reached the primary and its last replayed commit), less any
   * replay it still owes.
   */
  private judgeBySelf(replica: ReplicaState, row: ReplicaRow, replayLsn: bigint | undefined): void {
    const receiveLsn = row.receive_lsn === null ? undefined : parseLsn(row.receive_lsn);
    const pendingBytes = receiveLsn === undefined || replayLsn === undefined ? 0 : Math.max(0, Number(receiveLsn - replayLsn));
    replica.lagBytes = pendingBytes;
    const now = Date.now();
    const lastReplayedAt = row.replay_age_ms === null ? 0 : now - Number(row.replay_age_ms);
    const heardAt = row.receipt_age_ms === null ? Math.max(this.primaryWatch.lastContactMs, lastReplayedAt) : now - Number(row.receipt_age_ms);
    const freshAsOf = pendingBytes > 0 ? Math.min(heardAt, now - (replica.lagMs ?? 0)) : heardAt;
    if (replica.freshAsOfMs === undefined) {
      this.logger.warn(`Replica ${replica.name} serves reads without the primary (degraded), its data complete as of ${new Date(freshAsOf).toISOString()}.`);
    }
    replica.freshAsOfMs = freshAsOf;
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
