import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';
import { DatabaseUnavailableError } from '../core/errors/database-unavailable.error';
import { isConnectionError } from '../core/errors/connection-errors';
import { INVALID_OPTION, PRIMARY_IN_RECOVERY, TRANSACTION_ABORTED, TRANSACTION_ROLLED_BACK_AT_COMMIT } from '../core/errors/messages';
import { TransactionStatementError } from '../core/errors/transaction-statement.error';
import type { CommittedWrite } from '../core/committed-write.interface';
import { assertConsistencyInputs, assertSql } from '../core/argument-checks';
import type { SqlStatement, TransactionOptions, TransactionResult, TransactionStatementResult } from '../core/query-options.interface';
import { PoolManagerService } from '../pool/pool-manager.service';
import { ClassificationService } from '../classify/classification.service';
import { ConsistencyTracker } from '../routing/consistency-tracker';
import { QueryRouter, RouteDecision } from '../routing/query-router.service';
import { ReplicaHealthService } from '../routing/replica-health.service';
import { PrimaryWatch } from '../routing/primary-watch.service';
import { StatementCacheService } from '../statements/statement-cache.service';
import { ActiveTransaction, TransactionHandle } from './transaction-handle';
import { resetSession } from './session-reset';

const ISOLATION_SQL = {
  read_committed: 'READ COMMITTED',
  repeatable_read: 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
} as const;

export type TransactionWork<R> = readonly SqlStatement[] | ((tx: TransactionHandle) => Promise<R>);

/** Called with the transaction's writes once COMMIT has succeeded. */
export type AfterCommit = (writes: CommittedWrite[], consistencyToken?: string) => Promise<void>;

/**
 * Runs a transaction on one client: BEGIN with the isolation level, the work,
 * then COMMIT, or ROLLBACK on any failure. The client never returns to the
 * pool inside a transaction (the pool closes it if that would happen).
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(
    private readonly pools: PoolManagerService,
    private readonly router: QueryRouter,
    private readonly classification: ClassificationService,
    private readonly consistency: ConsistencyTracker,
    private readonly statements: StatementCacheService,
    private readonly health: ReplicaHealthService,
    private readonly primaryWatch: PrimaryWatch,
  ) {}

  async run<R>(work: TransactionWork<R>, options: TransactionOptions, afterCommit: AfterCommit): Promise<TransactionResult<R>> {
    const startedAt = performance.now();
    const isolationLevel = options.isolationLevel ?? 'read_committed';
    if (!(isolationLevel in ISOLATION_SQL)) {
      throw new TypeError(INVALID_OPTION('isolationLevel', `must be one of ${Object.keys(ISOLATION_SQL).join(', ')}, got "${String(isolationLevel)}"`));
    }
    assertConsistencyInputs(options);
    const onError = options.onStatementError ?? 'rollback';
    if (onError !== 'rollback' && onError !== 'rollback_to_savepoint') {
      throw new TypeError(INVALID_OPTION('onStatementError', `must be 'rollback' or 'rollback_to_savepoint', got "${String(onError)}"`));
    }
    if (Array.isArray(work)) (work as readonly SqlStatement[]).forEach(([sql], index) => assertSql(sql, `statement #${index}`));
    else if (typeof work !== 'function') throw new TypeError('work must be a list of [sql, params?] or an async callback receiving the transaction handle.');

    // A read-only transaction may run on a replica, but SERIALIZABLE cannot run on a standby.
    const onReplica = options.readOnly === true && isolationLevel !== 'serializable';
    const requiredLsn = onReplica ? this.consistency.requiredLsn(options.sessionKey, options.consistencyToken) : undefined;
    const beginSql = `BEGIN ISOLATION LEVEL ${ISOLATION_SQL[isolationLevel]}${options.readOnly ? ' READ ONLY' : ''}`;
    if (!onReplica && !options.readOnly && this.primaryWatch.primaryInRecovery) {
      const primary = this.pools.primary;
      throw new DatabaseUnavailableError(PRIMARY_IN_RECOVERY(primary.name, primary.server), primary.name);
    }
    const { decision, client } = await this.begin(onReplica ? 'read_replica' : 'primary', requiredLsn, beginSql);
    const tx = new ActiveTransaction(
      client,
      this.statements,
      (sql) => this.classification.classify(sql),
      // Catalog look-ups run on the transaction's own client: with a full pool a second one may never come.
      (classification) => this.classification.mayChangeData(classification, catalogVia(client)),
      (classification) => this.classification.mayLeaveHiddenSessionState(classification, catalogVia(client)),
      onError === 'rollback_to_savepoint',
      options.timeoutMs,
    );
    let released = false;
    let committing = false;
    try {
      const { result, failedStatements } = await this.runWork(tx, work);
      tx.close();
      // PostgreSQL answers COMMIT of an aborted transaction with ROLLBACK and no error: say so.
      // The status check alone is not enough: it may not have caught up with the failed statement yet.
      if (client.getTransactionStatus?.() === 'E') throw abortedTransaction(TRANSACTION_ABORTED());
      committing = true;
      const commit = await client.query('COMMIT');
      if (commit.command !== 'COMMIT') throw abortedTransaction(TRANSACTION_ROLLED_BACK_AT_COMMIT(commit.command));
      const writes = tx.writes;
      const consistencyToken =
        writes.length > 0 && decision.role === 'primary' && this.pools.replicas.length > 0
          ? await this.consistency.tokenAfterCommit(client, options.sessionKey)
          : undefined;
      // Committed: a failed reset closes the client instead of failing the caller.
      decision.pool.release(client, await this.resetIfNeeded(tx, client));
      released = true;
      if (writes.length > 0) await afterCommit(writes, consistencyToken);
      return {
        result,
        metadata: {
          executionTimeMs: performance.now() - startedAt,
          poolUsed: decision.role,
          server: decision.pool.server,
          isolationLevel,
          consistencyToken,
          failedStatements,
        },
      };
    } catch (error) {
      tx.close();
      // After release the client may belong to another caller: never touch it again.
      if (!released) {
        await this.rollbackQuietly(client);
        decision.pool.release(client, (await this.resetIfNeeded(tx, client)) ?? error);
      }
      // A COMMIT failure (serialization, deferred constraint) is no statement's fault.
      if (!committing && Array.isArray(work) && !(error instanceof TransactionStatementError) && tx.statementsRun > 0 && isStatementError(error)) {
        throw new TransactionStatementError(tx.statementsRun - 1, error);
      }
      throw error;
    }
  }

  /**
   * Checks out a client and opens the transaction. A replica that cannot be reached is
   * banned and the transaction starts on the next usable server instead, as plain reads do.
   */
  private async begin(target: 'read_replica' | 'primary', requiredLsn: bigint | undefined, beginSql: string): Promise<{ decision: RouteDecision; client: PoolClient }> {
    let decision = this.router.route(target, requiredLsn);
    for (let attempt = 0; ; attempt++) {
      let client: PoolClient | undefined;
      try {
        client = await decision.pool.acquire();
        await client.query(beginSql);
        return { decision, client };
      } catch (error) {
        if (client) decision.pool.release(client, error);
        const unreachable = error instanceof DatabaseUnavailableError || isConnectionError(error);
        if (decision.role === 'primary' || !unreachable || attempt > this.pools.replicas.length) throw error;
        this.health.ban(decision.pool, (error as Error).message);
        decision = this.router.route(target, requiredLsn, decision.pool);
      }
    }
  }

  private async runWork<R>(tx: ActiveTransaction, work: TransactionWork<R>): Promise<{ result: R; failedStatements: number[] }> {
    if (typeof work === 'function') return { result: await work(tx), failedStatements: [] };
    const results: TransactionStatementResult[] = [];
    const failedStatements: number[] = [];
    for (const [index, [sql, params]] of (work as readonly SqlStatement[]).entries()) {
      try {
        results.push(await tx.query(sql, params));
      } catch (error) {
        // With per-statement savepoints the transaction is intact: record and go on.
        if (tx.statementsRun > index && isStatementError(error) && tx.statementSavepoints) {
          failedStatements.push(index);
          results.push({ rows: [], rowCount: 0, error: error as Error });
          continue;
        }
        throw new TransactionStatementError(index, error);
      }
    }
    return { result: results as unknown as R, failedStatements };
  }

  /** DISCARD ALL after a transaction that may have left session state unseen; returns the failure, if any. */
  private async resetIfNeeded(tx: ActiveTransaction, client: PoolClient): Promise<unknown> {
    if (!tx.needsSessionReset || client.getTransactionStatus?.() !== 'I') return undefined;
    return resetSession(client, this.statements).then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  private async rollbackQuietly(client: PoolClient): Promise<void> {
    if (client.getTransactionStatus?.() === 'I') return;
    try {
      await client.query('ROLLBACK');
    } catch (error) {
      // The pool closes a client that is still in a transaction; nothing leaks.
      this.logger.warn(`ROLLBACK failed: ${(error as Error).message}`);
    }
  }
}

function catalogVia(client: PoolClient): (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> {
  return (sql, params) => client.query(sql, params);
}

/** A server-side statement failure (has a SQLSTATE), as opposed to a broken connection. */
function isStatementError(error: unknown): boolean {
  return typeof (error as { code?: unknown } | undefined)?.code === 'string';
}

/** Nothing was committed because the transaction was aborted: SQLSTATE 25P02, whichever way it was noticed. */
function abortedTransaction(message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code: '25P02' });
}
