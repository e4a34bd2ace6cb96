import { Injectable, Logger } from '@nestjs/common';
import { isInsufficientPrivilege } from '../core/errors/connection-errors';
import { INSERT_POSITION_REFUSED } from '../core/errors/messages';
import { parseLsn } from '../core/lsn';
import type { ManagedPool } from '../pool/managed-pool';
import { PoolManagerService } from '../pool/pool-manager.service';

/** Longest a role check may take before the server counts as unreachable. */
const ROLE_CHECK_TIMEOUT_MS = 2000;

/**
 * The primary's WAL insert position: the position this check reads covers every write that
 * committed before it (`ConsistencyTracker.notePrimaryPosition`), and a commit made with
 * `synchronous_commit = off` lies past the write position, `pg_current_wal_lsn()`, until the WAL
 * writer catches up. That one is the fallback for a role that may not call the insert position.
 * Both fail during recovery: they are asked only of a server that is not in recovery.
 */
const positionSql = (position: 'pg_current_wal_insert_lsn' | 'pg_current_wal_lsn'): string => `SELECT pg_is_in_recovery() AS in_recovery,
  CASE WHEN pg_is_in_recovery() THEN NULL ELSE ${position}()::text END AS lsn`;
const INSERT_POSITION_SQL = positionSql('pg_current_wal_insert_lsn');
const WRITE_POSITION_SQL = positionSql('pg_current_wal_lsn');

/** How long a server that refused the insert position is asked the write position instead, before it is asked again. */
const INSERT_POSITION_RETRY_MS = 60_000;

type PrimaryRow = { in_recovery: boolean; lsn: string | null };

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
  /** When each server last refused the insert position to the module's role (ms since epoch). */
  private readonly insertPositionRefusedAt = new WeakMap<ManagedPool, number>();
  private lostSince: number | undefined;
  private lastContact = 0;
  private inRecovery = false;
  private running: Promise<bigint | undefined> | undefined;

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
   * Checks the primary's role and reads its WAL position; when it is unreachable or
   * in recovery, moves to a candidate that is not. Returns the primary's WAL
   * position, or undefined when no primary could be reached. Checks never overlap.
   */
  check(): Promise<bigint | undefined> {
    this.running ??= this.checkOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /** A check is under way: `check()` now joins it, and its position may have been read before this moment. */
  get checking(): boolean {
    return this.running !== undefined;
  }

  private async checkOnce(): Promise<bigint | undefined> {
    const primary = this.pools.primary;
    const row = await this.read(primary);
    if (row && !row.in_recovery) return this.answered(row);
    if (row && !this.inRecovery) this.logger.warn(`"${primary.name}" (${primary.server}) is in recovery: a failover happened; writes are refused until a primary is found.`);
    if (row) this.inRecovery = true;
    if (this.lostSince === undefined) {
      this.lostSince = Date.now();
      if (!row) this.logger.warn(`The primary "${primary.name}" (${primary.server}) does not answer; replicas serve reads by what they know of themselves.`);
    }
    for (const candidate of this.pools.primaryCandidates) {
      if (candidate === primary) continue;
      const other = await this.read(candidate);
      if (!other || other.in_recovery) continue;
      this.pools.usePrimary(candidate);
      return this.answered(other);
    }
    return undefined;
  }

  private answered(row: PrimaryRow): bigint | undefined {
    if (this.lostSince !== undefined) this.logger.log(`The primary "${this.pools.primary.name}" (${this.pools.primary.server}) answers as a primary again.`);
    this.lostSince = undefined;
    this.inRecovery = false;
    this.lastContact = Date.now();
    return row.lsn === null ? undefined : parseLsn(row.lsn);
  }

  private async read(pool: ManagedPool): Promise<PrimaryRow | undefined> {
    try {
      const refusedAt = this.insertPositionRefusedAt.get(pool);
      if (refusedAt === undefined || Date.now() - refusedAt >= INSERT_POSITION_RETRY_MS) {
        try {
          const row = await this.query(pool, INSERT_POSITION_SQL);
          this.insertPositionRefusedAt.delete(pool);
          return row;
        } catch (error) {
          // Any other failure means the server cannot be used: that is for the caller to see.
          if (!isInsufficientPrivilege(error)) throw error;
          if (refusedAt === undefined) this.logger.warn(INSERT_POSITION_REFUSED(pool.name));
          this.insertPositionRefusedAt.set(pool, Date.now());
        }
      }
      return await this.query(pool, WRITE_POSITION_SQL);
    } catch {
      return undefined;
    }
  }

  private async query(pool: ManagedPool, text: string): Promise<PrimaryRow> {
    const { rows } = await pool.withClient((client) => client.query<PrimaryRow>({ text, query_timeout: ROLE_CHECK_TIMEOUT_MS } as never));
    return rows[0];
  }

  private async roleOf(pool: ManagedPool): Promise<boolean | undefined> {
    return (await this.read(pool))?.in_recovery;
  }
}
