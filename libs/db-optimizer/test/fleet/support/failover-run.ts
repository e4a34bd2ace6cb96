import { performance } from 'node:perf_hooks';
import { ResultCacheService } from '@db-optimizer/core';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { sql, TestInstance } from '../../support/test-module';

/** What a Redis failover under load cost. */
export interface FailoverReport {
  /** Calls that threw (each one a failure the app would have seen). */
  failures: string[];
  /** The writer reading its own row right after writing it, and getting something else. */
  writerStale: string[];
  /** Rows either instance served differently from the primary once both were back in line. */
  staleAfterRecovery: string[];
  calls: number;
  /** From the start of the failover to both instances healthy on Redis again. */
  recoveryMs: number;
  /** What the failover itself took (the harness' `killMaster` / `failover`). */
  failoverMs: number;
  /** Flushes (epoch bumps) the instances counted during the run: a failover must cause one. */
  flushes: number;
  slowestCallMs: number;
}

/**
 * Runs writes (writer) and reads (both instances) in a loop, calls `failover()` after a
 * warm-up, waits until both instances are healthy on Redis again, runs a little longer,
 * then checks every row on both instances against the primary.
 */
export async function runFailover(writer: TestInstance, reader: TestInstance, table: string, rows: number, failover: () => Promise<unknown>): Promise<FailoverReport> {
  const cacheOf = (instance: TestInstance) => instance.get(ResultCacheService);
  const bothHealthy = () => waitFor(() => cacheOf(writer).redisHealthy && cacheOf(reader).redisHealthy, { timeoutMs: 30_000, what: 'both instances healthy on Redis' });
  const readRow = async (instance: TestInstance, id: number) =>
    (await instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${table} WHERE id = $1`, [id])).rows[0].v;
  await bothHealthy();
  for (let id = 1; id <= rows; id++) for (const instance of [writer, reader, reader]) await readRow(instance, id);
  const flushesBefore = cacheOf(writer).stats().flushes + cacheOf(reader).stats().flushes;

  const failures: string[] = [];
  const writerStale: string[] = [];
  let calls = 0;
  let slowestCallMs = 0;
  let running = true;
  const timed = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    const startedAt = performance.now();
    calls++;
    try {
      return await call();
    } catch (error) {
      failures.push((error as Error).message);
      return undefined;
    } finally {
      slowestCallMs = Math.max(slowestCallMs, performance.now() - startedAt);
    }
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const writes = (async () => {
    for (let n = 0; running; n++) {
      const id = 1 + (n % rows);
      const written = await timed(() => writer.db.executeOptimizedQuery<{ v: number }>(`UPDATE ${table} SET v = v + 1 WHERE id = $1 RETURNING v`, [id]));
      const seen = await timed(() => readRow(writer, id));
      if (written && seen !== written.rows[0].v) writerStale.push(`row ${id}: wrote ${written.rows[0].v}, read ${seen}`);
      await pause(5);
    }
  })();
  const reads = [writer, reader, reader].map(async (instance, lane) => {
    for (let n = lane; running; n++) {
      await timed(() => readRow(instance, 1 + (n % rows)));
      await pause(1);
    }
  });

  await pause(500);
  const startedAt = performance.now();
  await failover();
  const failoverMs = performance.now() - startedAt;
  await bothHealthy();
  const recoveryMs = performance.now() - startedAt;
  await pause(500);
  running = false;
  await Promise.all([writes, ...reads]);

  const staleAfterRecovery: string[] = [];
  for (let id = 1; id <= rows; id++) {
    const [{ v: truth }] = await sql<{ v: number }>(testEnv().primaryUrl, `SELECT v FROM ${table} WHERE id = $1`, [id]);
    for (const [name, instance] of [['writer', writer], ['reader', reader]] as const) {
      const seen = await readRow(instance, id);
      if (seen !== truth) staleAfterRecovery.push(`${name} row ${id}: ${seen}, primary ${truth}`);
    }
  }
  const flushes = cacheOf(writer).stats().flushes + cacheOf(reader).stats().flushes - flushesBefore;
  return { failures, writerStale, staleAfterRecovery, calls, recoveryMs, failoverMs, flushes, slowestCallMs };
}

/** One line for the log and the issue note. */
export function describeFailover(topology: string, report: FailoverReport): string {
  const { calls, failures, writerStale, staleAfterRecovery, failoverMs, recoveryMs, flushes, slowestCallMs } = report;
  return `failover [${topology}]: ${JSON.stringify({
    calls,
    failedCalls: failures.length,
    writerStale: writerStale.length,
    staleAfterRecovery: staleAfterRecovery.length,
    failoverMs: Math.round(failoverMs),
    recoveryMs: Math.round(recoveryMs),
    flushes,
    slowestCallMs: Math.round(slowestCallMs),
  })}`;
}
