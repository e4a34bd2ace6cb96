import { Inject, Injectable, Optional } from '@nestjs/common';
import type { FieldDef, QueryResult } from 'pg';
import type { ResultShape } from '../core/result-shape';
import { DatabaseUnavailableError } from '../core/errors/database-unavailable.error';
import { isConnectionError, isReadOnlyViolation, isRecoveryConflict, isTerminatedConnection } from '../core/errors/connection-errors';
import { PRIMARY_IN_RECOVERY } from '../core/errors/messages';
import { StaleReadRefusedError } from '../core/errors/stale-read-refused.error';
import { DB_OPTIMIZER_FAULT_METRICS } from '../core/db-optimizer.constants';
import type { FaultMetricsSink } from '../core/fault-metrics-sink.interface';
import { formatLsn } from '../core/lsn';
import { PrimaryWatch } from '../routing/primary-watch.service';
import type { ManagedPool } from '../pool/managed-pool';
import { PoolManagerService } from '../pool/pool-manager.service';
import type { PoolRole } from '../core/pool-role';
import type { RouteTarget } from '../core/query-classification.interface';
import { ConsistencyTracker } from '../routing/consistency-tracker';
import { PIPELINED_POSITION_MAX_WRITES_IN_FLIGHT, PositionFollowUp } from '../routing/position-follow-up';
import { QueryRouter, RouteDecision } from '../routing/query-router.service';
import { hasReplayedNow } from '../routing/replay-probe';
import { ReplicaHealthService } from '../routing/replica-health.service';
import { StatementCacheService } from '../statements/statement-cache.service';
import { type AfterSubmit, PerStatementResult, perStatement, runStatement, StatementResult } from '../core/statement-runner';
import type { PoolClient } from 'pg';
import { resetSession } from './session-reset';
import { runAsOneTransaction } from './one-transaction';
import { type LoneRead, ReadMultiplexer } from './read-multiplexer';

/** A statement that ran, and where. */
export interface ExecutedStatement<T> {
  rows: T[];
  rowCount: number;
  /** pg's command tag (`SELECT`, `INSERT`...) and column descriptions, for callers that need pg's result shape. */
  command: string;
  fields: FieldDef[];
  pool: ManagedPool;
  role: PoolRole;
  prepared: boolean;
  fallback: boolean;
  /** After a write, when replicas exist: the WAL position that includes it. */
  consistencyToken?: string;
  /** A text of several statements: each one's outcome (`rows` above are the last one's). */
  statements?: PerStatementResult[];
  /** The read failed on a replica as a write (SQLSTATE 25006) and ran again on the primary: treat it as a write. */
  promotedToWrite?: boolean;
  /** Served by a replica while the primary was unreachable. */
  degraded: boolean;
}

export interface ExecuteRequest {
  sql: string;
  params: unknown[];
  target: RouteTarget;
  /** The statement changes data: its position is recorded for read-your-writes. */
  isWrite: boolean;
  requiredLsn?: bigint;
  sessionKey?: string;
  timeoutMs?: number;
  /** A text of several statements: run as one transaction (BEGIN, text, COMMIT) on one client. */
  multiStatement?: boolean;
  /** The statement may have changed session state unseen: `DISCARD ALL` before the client goes back. */
  resetSession?: boolean;
  /** Called with the text when a replica refused the read as a write (25006), before it runs again on the primary. */
  onReplicaWrite?: (sql: string) => void;
  /** How pg returns rows; pg's defaults (objects, parsed values) when absent. */
  shape?: ResultShape;
}

/**
 * Runs one autocommit statement on the routed server. A replica that fails at
 * the connection level is banned and the read moves to another replica or the
 * primary, so a dying replica fails no read; a SQL error is the caller's and is
 * rethrown as the driver gave it (SQLSTATE in `code`). A read whose connection
 * was killed under it runs once more on another connection; a write never does
 * (it may have committed). Writes to a primary found in recovery are refused.
 */
@Injectable()
export class QueryExecutor {
  constructor(
    private readonly pools: PoolManagerService,
    private readonly router: QueryRouter,
    private readonly health: ReplicaHealthService,
    private readonly consistency: ConsistencyTracker,
    private readonly statements: StatementCacheService,
    private readonly primaryWatch: PrimaryWatch,
    private readonly multiplexer: ReadMultiplexer,
    @Optional() @Inject(DB_OPTIMIZER_FAULT_METRICS) private readonly faults?: FaultMetricsSink,
  ) {}

  /** Writes whose position is tracked, from their checkout until their statement settled. */
  private positionedWritesInFlight = 0;
  private readonly positionedWriteSettled = (): void => {
    this.positionedWritesInFlight--;
  };

  async execute<T>(request: ExecuteRequest): Promise<ExecutedStatement<T>> {
    // The common case (no position to wait for) routes without an extra await.
    let decision = request.requiredLsn === undefined ? this.router.route(request.target) : await this.decide(request);
    let retriedKilled = false;
    // One try per replica, then the primary: enough to get past every dead replica.
    for (let attempt = 0; ; attempt++) {
      try {
        if (decision.role === 'primary') this.assertPrimaryUsable(request, decision);
        return await this.executeOn<T>(decision.pool, decision.role, decision.fallback, request);
      } catch (error) {
        // A killed connection costs the statement on it, never a read: one more try on a fresh connection.
        if (!request.isWrite && !retriedKilled && isTerminatedConnection(error)) {
          retriedKilled = true;
          attempt--;
          continue;
        }
        if (decision.role === 'primary') throw this.primaryFailure(error, request, decision);
        if (attempt > this.pools.replicas.length) throw error;
        if (isRecoveryConflict(error)) {
          decision = { pool: this.pools.primary, role: 'primary', fallback: true };
          continue;
        }
        // Declared STABLE/IMMUTABLE yet writing (through a volatile callee, nextval...): nothing ran, so once on the primary.
        if (isReadOnlyViolation(error)) {
          request.onReplicaWrite?.(request.sql);
          request = { ...request, isWrite: true, requiredLsn: undefined };
          decision = { pool: this.pools.primary, role: 'primary', fallback: false };
          const executed = await this.executeOn<T>(decision.pool, decision.role, decision.fallback, request);
          return { ...executed, promotedToWrite: true };
        }
        if (!(error instanceof DatabaseUnavailableError) && !isConnectionError(error)) throw error;
        this.health.ban(decision.pool, (error as Error).message);
        decision = this.router.route(request.target, request.requiredLsn, decision.pool);
      }
    }
  }

  /**
   * Routes the statement. When no replica is known to have replayed the
   * caller's position, one usable replica is asked directly before the read
   * falls back to the primary.
   */
  private async decide(request: ExecuteRequest): Promise<RouteDecision> {
    const decision = this.router.pick(request.target, request.requiredLsn);
    if (decision.fallback && request.requiredLsn !== undefined) {
      const candidate = this.router.pick(request.target);
      const replica = candidate.fallback ? undefined : this.router.stateOf(candidate.pool);
      if (replica && (await hasReplayedNow(replica, request.requiredLsn))) return candidate;
    }
    if (decision.fallback) this.router.countFallback();
    return decision;
  }

  /**
   * Before running on the primary: a read that needs a replica's replay the primary
   * cannot give (it is unreachable) is refused rather than answered older; a write
   * to a primary found in recovery is refused as a failover.
   */
  private assertPrimaryUsable(request: ExecuteRequest, decision: RouteDecision): void {
    if (decision.fallback && request.requiredLsn !== undefined) {
      const since = this.primaryWatch.unavailableSinceMs;
      if (since !== undefined) throw new StaleReadRefusedError(formatLsn(request.requiredLsn), since);
    }
    if (request.isWrite && this.primaryWatch.primaryInRecovery) {
      throw new DatabaseUnavailableError(PRIMARY_IN_RECOVERY(decision.pool.name, decision.pool.server), decision.pool.name);
    }
  }

  /** Says what a primary failure means for the caller: a stale read refused, a failover, or the driver's error. */
  private primaryFailure(error: unknown, request: ExecuteRequest, decision: RouteDecision): unknown {
    if (decision.fallback && request.requiredLsn !== undefined && (error instanceof DatabaseUnavailableError || isConnectionError(error))) {
      return new StaleReadRefusedError(formatLsn(request.requiredLsn), this.primaryWatch.unavailableSinceMs ?? Date.now(), { cause: error });
    }
    // 25006: the server refused a write as read-only, i.e. it is a standby now. Look for the new primary at once.
    if (request.isWrite && (error as { code?: unknown } | undefined)?.code === '25006') {
      void this.primaryWatch.check();
      return new DatabaseUnavailableError(PRIMARY_IN_RECOVERY(decision.pool.name, decision.pool.server), decision.pool.name, { cause: error });
    }
    return error;
  }

  private async executeOn<T>(pool: ManagedPool, role: PoolRole, fallback: boolean, request: ExecuteRequest): Promise<ExecutedStatement<T>> {
    // A read the multiplexer would run alone anyway (the pool's only one) runs below, as unshared: no closure or frame added.
    let lone: LoneRead | undefined;
    if (this.multiplexer.enabled && mayShareConnection(request)) {
      lone = this.multiplexer.beginLone(pool, request.sql);
      if (lone === undefined) {
        const { result, prepared } = await this.multiplexer.share(
          pool,
          (client) => this.statements.execute(client, request.sql, request.params, request.shape),
          request.sql,
        );
        return this.executed<T>(result, prepared, pool, role, fallback, undefined, request);
      }
    }
    let client: PoolClient;
    try {
      // The common checkout (an idle client) without a promise and its microtask: ~7% of the call without the database.
      client = pool.acquireIdle() ?? (await pool.acquire());
    } catch (error) {
      lone?.end();
      throw error;
    }
    let released = false;
    // Set when something may still be in flight on the connection: it is closed, not reused.
    let discard = false;
    // Without replicas every read is on the primary already: no position to track.
    const tracksPosition = request.isWrite && role === 'primary' && this.pools.replicas.length > 0;
    if (tracksPosition) this.positionedWritesInFlight++;
    // A write among few in flight reads its position in its own round trip, right behind it. Among
    // more, the writes that commit together share one read after them (SharedPositionRead): one
    // query on the server instead of one each, and the round trip it adds is shared too.
    const followUp =
      tracksPosition && this.positionedWritesInFlight <= PIPELINED_POSITION_MAX_WRITES_IN_FLIGHT && !request.multiStatement && request.timeoutMs === undefined
        ? PositionFollowUp.for(client)
        : undefined;
    try {
      const execution = followUp ? followUp.submitting(() => this.run(client, request, followUp.afterSubmit)) : this.run(client, request);
      if (tracksPosition) void execution.then(this.positionedWriteSettled, this.positionedWriteSettled);
      let pipelinedLsn: string | undefined;
      if (followUp) {
        // The statement (a retry included) first, then the read: nothing may be left in flight when the
        // connection leaves pipeline mode, sends anything else or goes back to the pool.
        await execution.catch(() => undefined);
        pipelinedLsn = await followUp.settle();
        discard = followUp.inDoubt;
      }
      const { result, prepared } = await execution;
      // From here on the statement has committed: nothing below may turn it into an error.
      const consistencyToken = tracksPosition ? await this.consistency.tokenAfterCommit(client, request.sessionKey, pipelinedLsn, followUp?.doubt) : undefined;
      // A failed reset closes the client (its error reads as a broken connection) but fails nothing: the statement ran.
      const resetFailure =
        request.resetSession && !discard ? await resetSession(client, this.statements).then(() => undefined, (error: unknown) => error) : undefined;
      pool.release(client, resetFailure, discard);
      released = true;
      return this.executed<T>(result, prepared, pool, role, fallback, consistencyToken, request);
    } catch (error) {
      if (!released) pool.release(client, error, discard);
      throw error;
    } finally {
      lone?.end();
    }
  }

  /** What the caller gets back for a statement that ran. */
  private executed<T>(
    result: StatementResult['result'],
    prepared: boolean,
    pool: ManagedPool,
    role: PoolRole,
    fallback: boolean,
    consistencyToken: string | undefined,
    request: ExecuteRequest,
  ): ExecutedStatement<T> {
    // One statement (the common case) answers with one result: no lists to build for it.
    // pg answers a text of several statements with a list of results (typed as one).
    const results = result as QueryResult | QueryResult[];
    const lastResult: QueryResult | undefined = Array.isArray(results) ? results[results.length - 1] : results;
    const degraded = role !== 'primary' && this.router.stateOf(pool)?.degraded === true;
    if (degraded) this.faults?.recordDegradedRead();
    const executed: ExecutedStatement<T> = {
      rows: (lastResult?.rows ?? []) as T[],
      rowCount: lastResult === undefined ? 0 : (lastResult.rowCount ?? lastResult.rows.length),
      command: lastResult?.command ?? '',
      fields: lastResult?.fields ?? [],
      pool,
      role,
      prepared,
      fallback,
      consistencyToken,
      degraded,
    };
    if (request.multiStatement) executed.statements = perStatement(result);
    return executed;
  }

  private run(client: PoolClient, request: ExecuteRequest, afterSubmit?: AfterSubmit): Promise<StatementResult> {
    if (request.multiStatement) return runAsOneTransaction(this.statements, client, request.sql, request.timeoutMs);
    if (request.timeoutMs === undefined) return this.statements.execute(client, request.sql, request.params, request.shape, afterSubmit);
    return runStatement(this.statements, client, request.sql, request.params, request.timeoutMs, false, request.shape);
  }
}

/**
 * A read that may share a connection with other reads (`multiplexReads`): one autocommit
 * statement that leaves nothing on the connection and needs no statement timeout of its own.
 */
function mayShareConnection(request: ExecuteRequest): boolean {
  return !request.isWrite && !request.multiStatement && !request.resetSession && request.timeoutMs === undefined;
}
