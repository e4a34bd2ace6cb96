import { performance } from 'node:perf_hooks';
import { BatchQueryError } from '../core/errors/batch-query.error';
import type { BatchOptions, OptimizedQueryResult, SqlStatement, TransactionOptions, TransactionResult } from '../core/query-options.interface';
import type { QueryClassification } from '../core/query-classification.interface';

type RunTransaction = (work: readonly SqlStatement[], options: TransactionOptions) => Promise<TransactionResult<unknown>>;

/**
 * `atomic: true`: the whole batch in one transaction on the primary, all or
 * nothing. A failure is reported like a non-atomic one: `BatchQueryError` with
 * the index of the failing statement (nothing of the batch was applied).
 */
export async function runAtomicBatch<T>(
  queries: readonly SqlStatement[],
  options: BatchOptions,
  classify: (sql: string) => QueryClassification,
  runTransaction: RunTransaction,
): Promise<Array<OptimizedQueryResult<T>>> {
  const startedAt = performance.now();
  let outcome: TransactionResult<unknown>;
  try {
    outcome = await runTransaction(queries, { sessionKey: options.sessionKey, timeoutMs: options.timeoutMs });
  } catch (error) {
    const index = (error as { index?: unknown }).index;
    if (typeof index !== 'number') throw error;
    throw new BatchQueryError(index, [], (error as Error).cause ?? error);
  }
  const statements = outcome.result as Array<{ rows: T[]; rowCount: number }>;
  const executionTimeMs = performance.now() - startedAt;
  return statements.map((statement, index) => {
    const classification = classify(queries[index][0]);
    return {
      rows: statement.rows,
      metadata: {
        executionTimeMs,
        cached: false,
        poolUsed: outcome.metadata.poolUsed,
        server: outcome.metadata.server,
        queryType: classification.queryType,
        preparedStatement: false,
        fingerprint: classification.fingerprint,
        rowCount: statement.rowCount,
        consistencyToken: outcome.metadata.consistencyToken,
      },
    };
  });
}
