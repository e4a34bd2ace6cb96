import { Injectable, Logger } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';
import { INVALID_OPTION } from '../errors/messages';
import { TransactionStatementError } from '../errors/transaction-statement.error';
import type { CommittedWrite } from '../execution/committed-write.interface';
import { assertSql } from '../execution/argument-checks';
import type { SqlStatement, TransactionOptions, TransactionResult, TransactionStatementResult } from '../execution/query-options.interface';
import { currentWalLsn } from '../execution/statement-executor';
import { PoolManagerService } from '../pool/pool-manager.service';
import { QueryOptimizerService } from '../query/query-optimizer.service';
import { ConsistencyTracker } from '../routing/consistency-tracker';
import { QueryRouter } from '../routing/query-router.service';
import { StatementCacheService } from '../statements/statement-cache.service';
import { ActiveTransaction, TransactionHandle } from './transaction-handle';

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
    private readonly optimizer: QueryOptimizerService,
    private readonly consistency: ConsistencyTracker,
    private readonly statements: StatementCacheService,
  ) {}

  async run<R>(work: TransactionWork<R>, options: TransactionOptions, afterCommit: AfterCommit): Promise<TransactionResult<R>> {
    const startedAt = performance.now();
    const isolationLevel = options.isolationLevel ?? 'read_committed';
    if (!(isolationLevel in ISOLATION_SQL)) {
      throw new TypeError(INVALID_OPTION('isolationLevel', `must be one of ${Object.keys(ISOLATION_SQL).join(', ')}, got "${String(isolationLevel)}"`));
    }
    const onError = options.onStatementError ?? 'rollback';
    if (onError !== 'rollback' && onError !== 'rollback_to_savepoint') {
      throw new TypeError(INVALID_OPTION('onStatementError', `must be 'rollback' or 'rollback_to_savepoint', got "${String(onError)}"`));
    }
    if (Array.isArray(work)) (work as readonly SqlStatement[]).forEach(([sql], index) => assertSql(sql, `statement #${index}`));
    else if (typeof work !== 'function') throw new TypeError('work must be a list of [sql, params?] or an async callback receiving the transaction handle.');

    // A read-only transaction may run on a replica, but SERIALIZABLE cannot run on a standby.
    const onReplica = options.readOnly === true && isolationLevel !== 'serializable';
    const requiredLsn = onReplica ? this.consistency.requiredLsn(options.sessionKey, options.consistencyToken) : undefined;
    const decision = this.router.route(onReplica ? 'read_replica' : 'primary', requiredLsn);
    const client = await decision.pool.acquire();
    const tx = new ActiveTransaction(client, this.statements, (sql) => this.optimizer.classify(sql), onError === 'rollback_to_savepoint', options.timeoutMs);
    let failure: unknown;
    try {
      await client.query(`BEGIN ISOLATION LEVEL ${ISOLATION_SQL[isolationLevel]}${options.readOnly ? ' READ ONLY' : ''}`);
      const { result, failedStatements } = await this.runWork(tx, work);
      tx.close();
      await client.query('COMMIT');
      const writes = tx.writes;
      const consistencyToken =
        writes.length > 0 && decision.role === 'primary' && this.pools.replicas.length > 0
          ? this.consistency.noteWrite(options.sessionKey, await currentWalLsn(client))
          : undefined;
      decision.pool.release(client);
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
      failure = error;
      tx.close();
      await this.rollbackQuietly(client);
      decision.pool.release(client, error);
      if (Array.isArray(work) && !(error instanceof TransactionStatementError) && tx.statementsRun > 0 && isStatementError(error)) {
        throw new TransactionStatementError(tx.statementsRun - 1, error);
      }
      throw error;
    } finally {
      if (failure === undefined && client.getTransactionStatus?.() !== 'I') this.logger.error('Transaction client left in a transaction.');
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

/** A server-side statement failure (has a SQLSTATE), as opposed to a broken connection. */
function isStatementError(error: unknown): boolean {
  return typeof (error as { code?: unknown } | undefined)?.code === 'string';
}
