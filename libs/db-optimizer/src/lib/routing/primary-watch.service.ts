import { Injectable, Logger } from '@nestjs/common';
import type { ManagedPool } from '../pool/managed-pool';
import { PoolManagerService } from '../pool/pool-manager.service';
import { type PrimaryPosition, PrimaryPositionReader, type PrimaryReading } from './primary-position';

/**
 * Knows whether the primary can take writes: it answers, and
 * `pg_is_in_recovery()` says it is not a standby. With several primary
 * candidates it picks the one not in recovery (as libpq's
 * `target_session_attrs=read-write`) and moves to another after a promotion.
 * The lag monitor runs `check()` on every round.
 */
@Injectable()
export class PrimaryWatch {
  private readonly logger = new Logger(PrimaryWatch.name);
  private readonly positions = new PrimaryPositionReader(this.logger);
  private lostSince: number | undefined;
  private lastContact = 0;
  private inRecovery = false;
  private running: Promise<PrimaryPosition | undefined> | undefined;

  constructor(private readonly pools: PoolManagerService) {}

  /**
   * Since when (ms since epoch) the primary has not been usable for writes, by the last
   * check or by its circuit breaker; undefined while it is.
   */
  get unavailableSinceMs(): number | undefined {
    return this.lostSince ?? this.pools.primary.unreachableSinceMs;
  }

  /** When the primary last answered a check as a primary (ms since epoch); 0 if it never did. */
  get lastContactMs(): number {
    return this.lastContact;
  }

  /** The server we write to answered as a standby: a failover happened without us. */
  get primaryInRecovery(): boolean {
    return this.inRecovery;
  }

  /** Whether there is anything to follow: more than one primary candidate. */
  get hasCandidates(): boolean {
    return this.pools.primaryCandidates.length > 1;
  }

  /** At start, with several candidates: writes go to the first one not in recovery. */
  async choose(): Promise<void> {
    if (!this.hasCandidates) return;
    for (const pool of this.pools.primaryCandidates) {
      if ((await this.roleOf(pool)) === false) {
        this.pools.usePrimary(pool);
        return;
      }
    }
    this.logger.warn(`No primary candidate answered as a primary; writes go to "${this.pools.primary.name}" until one does.`);
  }

  /**
   * Checks the primary's role and reads its WAL positions; when it is unreachable or
   * in recovery, moves to a candidate that is not. Returns the primary's WAL
   * positions, or undefined when no primary could be reached. Checks never overlap.
   */
  check(): Promise<PrimaryPosition | undefined> {
    this.running ??= this.checkOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /** A check is under way: `check()` now joins it, and its position may have been read before this moment. */
  get checking(): boolean {
    return this.running !== undefined;
  }

  private async checkOnce(): Promise<PrimaryPosition | undefined> {
    const primary = this.pools.primary;
    const row = await this.read(primary);
    if (row && !row.inRecovery) return this.answered(row);
    if (row && !this.inRecovery) this.logger.warn(`"${primary.name}" (${primary.server}) is in recovery: a failover happened; writes are refused until a primary is found.`);
    if (row) this.inRecovery = true;
    if (this.lostSince === undefined) {
      this.lostSince = Date.now();
      if (!row) this.logger.warn(`The primary "${primary.name}" (${primary.server}) does not answer; replicas serve reads by what they know of themselves.`);
    }
    for (const candidate of this.pools.primaryCandidates) {
      if (candidate === primary) continue;
      const other = await this.read(candidate);
      if (!other || other.inRecovery) continue;
      this.pools.usePrimary(candidate);
      return this.answered(other);
    }
    return undefined;
  }

  private answered(row: PrimaryReading): PrimaryPosition | undefined {
    if (this.lostSince !== undefined) this.logger.log(`The primary "${this.pools.primary.name}" (${this.pools.primary.server}) answers as a primary again.`);
    this.lostSince = undefined;
    this.inRecovery = false;
    this.lastContact = Date.now();
    return row.position;
  }

  private async read(pool: ManagedPool): Promise<PrimaryReading | undefined> {
    try {
      return await this.positions.read(pool);
    } catch {
      return undefined;
    }
  }

  private async roleOf(pool: ManagedPool): Promise<boolean | undefined> {
    return (await this.read(pool))?.inRecovery;
  }
}
