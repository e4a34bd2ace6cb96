import { performance } from 'node:perf_hooks';
import { ResultCacheService, ResultCacheStats } from '@db-optimizer/core';
import type { TestInstance } from '../../support/test-module';
import { percentile } from './cache-fixture';

/** What one randomized run of writes and reads on two instances saw. */
export interface FreshnessReport {
  /** Reads that returned data older than a write that had returned before they started. */
  stale: string[];
  /** Per write: ms from the write returning to the other instance reading the new value (polling). */
  windowsMs: number[];
  /** The other instance's cache figures, its own measure of the window included. */
  other: ResultCacheStats;
}

/**
 * The one measurement of the cross-instance window, used by the cache suite and by the fleet
 * tests, so figures on a single Redis, a Cluster and Sentinel compare: one writer, one other instance, `rounds` random
 * steps over `rows` counters (30% writes). The writer must never read stale data; the
 * other instance is polled after each write until it sees it, which measures the window.
 */
export async function runFreshness(writer: TestInstance, other: TestInstance, table: string, rows: number, rounds: number): Promise<FreshnessReport> {
  const truth = new Array<number>(rows + 1).fill(0);
  for (const row of await rowsOf(writer, table)) truth[row.id] = row.v;
  const readRow = async (instance: TestInstance, id: number) =>
    (await instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${table} WHERE id = $1`, [id])).rows[0].v;
  const readSum = async (instance: TestInstance) => Number((await instance.db.executeOptimizedQuery<{ s: string }>(`SELECT sum(v) AS s FROM ${table}`)).rows[0].s);
  const sum = (): number => truth.reduce((a, b) => a + b, 0);
  const windowsMs: number[] = [];
  const stale: string[] = [];
  let seed = 42;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pollUntil = async (fresh: () => Promise<boolean>, since: number, what: string): Promise<void> => {
    while (!(await fresh())) {
      if (performance.now() - since > 5000) throw new Error(`other instance still stale after 5 s (${what})`);
      // A read served from memory never waits for I/O: without this turn of the event loop, polling would
      // starve the socket that carries the very message it waits for (seen on a loaded machine: 5 s stale).
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  for (let round = 0; round < rounds; round++) {
    const id = 1 + random(rows);
    const action = random(10);
    if (action < 3) {
      await writer.db.executeOptimizedQuery(`UPDATE ${table} SET v = v + 1 WHERE id = $1`, [id]);
      const returnedAt = performance.now();
      truth[id]++;
      if ((await readRow(writer, id)) !== truth[id]) stale.push(`writer row ${id} round ${round}`);
      if ((await readSum(writer)) !== sum()) stale.push(`writer sum round ${round}`);
      await pollUntil(async () => (await readRow(other, id)) === truth[id], returnedAt, `row ${id}, round ${round}`);
      windowsMs.push(performance.now() - returnedAt);
      await pollUntil(async () => (await readSum(other)) === sum(), returnedAt, `sum, round ${round}`);
    } else if (action < 6) {
      if ((await readRow(writer, id)) !== truth[id]) stale.push(`writer row ${id} round ${round}`);
    } else if (action < 9) {
      if ((await readRow(other, id)) !== truth[id]) stale.push(`other row ${id} round ${round}`);
    } else {
      if ((await readSum(other)) !== sum()) stale.push(`other sum round ${round}`);
      if ((await readSum(writer)) !== sum()) stale.push(`writer sum round ${round}`);
    }
  }
  return { stale, windowsMs, other: other.get(ResultCacheService).stats() };
}

/** One line for the log: the polled window and the instance's own histogram, side by side with other topologies. */
export function describeWindow(topology: string, report: FreshnessReport): string {
  const { windowsMs, other } = report;
  return (
    `cross-instance window [${topology}]: ${JSON.stringify({
      writes: windowsMs.length,
      pollWindowP50Ms: percentile(windowsMs, 50),
      pollWindowP99Ms: percentile(windowsMs, 99),
      pollWindowMaxMs: percentile(windowsMs, 100),
      histogram: other.crossInstanceWindowMs,
      otherMemoryHits: other.memory.hits,
      otherRedisHits: other.redisLevel.hits,
    })}`
  );
}

async function rowsOf(instance: TestInstance, table: string): Promise<Array<{ id: number; v: number }>> {
  return (await instance.db.executeOptimizedQuery<{ id: number; v: number }>(`SELECT id, v FROM ${table}`, [], { useCache: false, forcePrimary: true })).rows;
}
