import { Injectable } from '@nestjs/common';
import type { FieldDef } from 'pg';
import type { ResultShape } from '../core/result-shape';
import { DatabaseUnavailableError } from '../core/errors/database-unavailable.error';
import { isConnectionError, isRecoveryConflict } from '../core/errors/connection-errors';
import type { ManagedPool } from '../pool/managed-pool';
import { PoolManagerService } from '../pool/pool-manager.service';
import type { PoolRole } from '../core/pool-role';
import type { RouteTarget } from '../core/query-classification.interface';
import { ConsistencyTracker } from '../routing/consistency-tracker';
import { QueryRouter, RouteDecision } from '../routing/query-router.service';
import { hasReplayedNow } from '../routing/replay-probe';
import { ReplicaHealthService } from '../routing/replica-health.service';
import { StatementCacheService } from '../statements/statement-cache.service';
import { runStatement } from '../core/statement-runner';

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
  /** How pg returns rows; pg's defaults (objects, parsed values) when absent. */
  shape?: ResultShape;
}

/**
 * Runs one autocommit statement on the routed server. A replica that fails at
 * the connection level is banned and the read moves to another replica or the
 * primary, so a dying replica fails no read; a SQL error is the caller's and is
 * rethrown as the driver gave it (SQLSTATE in `code`).
 */
@Injectable()
export class QueryExecutor {
  constructor(
    private readonly pools: PoolManagerService,
    private readonly router: QueryRouter,
    private readonly health: ReplicaHealthService,
    private readonly consistency: ConsistencyTracker,
    private readonly statements: StatementCacheService,
  ) {}

  async execute<T>(request: ExecuteRequest): Promise<ExecutedStatement<T>> {
    // The common case (no position to wait for) routes without an extra await.
    let decision = request.requiredLsn === undefined ? this.router.route(request.target) : await this.decide(request);
    // One try per replica, then the primary: enough to get past every dead replica.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.executeOn<T>(decision.pool, decision.role, decision.fallback, request);
      } catch (error) {
        if (decision.role === 'primary' || attempt > this.pools.replicas.length) throw error;
        if (isRecoveryConflict(error)) {
          decision = { pool: this.pools.primary, role: 'primary', fallback: true };
          continue;
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

  private async executeOn<T>(pool: ManagedPool, role: PoolRole, fallback: boolean, request: ExecuteRequest): Promise<ExecutedStatement<T>> {
    const client = await pool.acquire();
    let released = false;
    try {
      const { result, prepared } =
        request.timeoutMs === undefined
          ? await this.statements.execute(client, request.sql, request.params, request.shape)
          : await runStatement(this.statements, client, request.sql, request.params, request.timeoutMs, false, request.shape);
      // Without replicas every read is on the primary already: no position to track.
      const consistencyToken =
        request.isWrite && role === 'primary' && this.pools.replicas.length > 0
          ? await this.consistency.tokenAfterCommit(client, request.sessionKey)
          : undefined;
      pool.release(client);
      released = true;
      return {
        rows: result.rows as T[],
        rowCount: result.rowCount ?? result.rows.length,
        command: result.command,
        fields: result.fields,
        pool,
        role,
        prepared,
        fallback,
        consistencyToken,
      };
    } catch (error) {
      if (!released) pool.release(client, error);
      throw error;
    }
  }
}
