import { randomUUID } from 'node:crypto';
import { BatchQueryError } from '../core/errors/batch-query.error';
import { assertSql } from '../core/argument-checks';
import type { BatchOptions, OptimizedQueryResult, QueryOptions, SqlStatement } from '../core/query-options.interface';

/** Runs one statement of the batch the way `executeOptimizedQuery` does. */
export type RunOne = (sql: string, params: readonly unknown[] | undefined, options: QueryOptions) => Promise<OptimizedQueryResult<unknown>>;

/**
 * Non-atomic batches: consecutive reads run in parallel (at most `parallelism`
 * at once), each write runs alone, in input order, after everything before it.
 * Reads after a write see it: the batch is one read-your-writes session.
 */
export async function runBatch(
  queries: readonly SqlStatement[],
  options: BatchOptions,
  changesData: (sql: string) => Promise<boolean>,
  runOne: RunOne,
  parallelism: number,
): Promise<OptimizedQueryResult<unknown>[]> {
  if (!Array.isArray(queries)) throw new TypeError('queries must be an array of [sql, params?] pairs.');
  queries.forEach(([sql], index) => assertSql(sql, `batch query #${index}`));
  // Decided up front, with the catalog: a SELECT calling a volatile function is a write too.
  const writes = await Promise.all(queries.map(([sql]) => changesData(sql)));
  const results: OptimizedQueryResult<unknown>[] = new Array(queries.length);
  const callOptions: QueryOptions = {
    sessionKey: options.sessionKey ?? `batch:${randomUUID()}`,
    consistencyToken: options.consistencyToken,
    useCache: options.useCache,
    forcePrimary: options.forcePrimary,
    timeoutMs: options.timeoutMs,
  };
  let index = 0;
  while (index < queries.length) {
    if (writes[index]) {
      try {
        results[index] = await runOne(queries[index][0], queries[index][1], callOptions);
      } catch (error) {
        throw new BatchQueryError(index, results, error);
      }
      index++;
      continue;
    }
    const groupEnd = endOfReadRun(writes, index);
    await runReadsInParallel(queries, index, groupEnd, results, callOptions, runOne, parallelism);
    index = groupEnd;
  }
  return results;
}

function endOfReadRun(writes: readonly boolean[], start: number): number {
  let end = start;
  while (end < writes.length && !writes[end]) end++;
  return end;
}

async function runReadsInParallel(
  queries: readonly SqlStatement[],
  start: number,
  end: number,
  results: OptimizedQueryResult<unknown>[],
  options: QueryOptions,
  runOne: RunOne,
  parallelism: number,
): Promise<void> {
  let next = start;
  const failures: Array<{ index: number; error: unknown }> = [];
  const worker = async (): Promise<void> => {
    while (next < end) {
      const index = next++;
      try {
        results[index] = await runOne(queries[index][0], queries[index][1], options);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallelism, end - start)) }, worker));
  if (failures.length === 0) return;
  const first = failures.reduce((a, b) => (a.index <= b.index ? a : b));
  throw new BatchQueryError(first.index, results, first.error);
}
