import { performance } from 'node:perf_hooks';
import { MetricsService, QueryOptimizerService, StatementCacheService } from '@db-optimizer/core';
import { PoolManagerService } from '../../../libs/db-optimizer/src/lib/pool/pool-manager.service';
import { optimizerInstance } from '../bench-clients';
import type { WorkloadContext } from './workload-context';

const LOOKUP = 'SELECT id, name, value FROM bench_items WHERE id = $1';
const ITERATIONS = 200_000;

/**
 * What the service costs per query beyond the database round trip (issue #4's hot path),
 * measured without the database: the statement runner is swapped for one that answers at
 * once, so what remains is classification lookup, routing, pool checkout, metrics and the
 * result object. Sequential, one caller, in µs per call.
 *
 * Each new instance is called for the bench's warm-up time before its first line is measured,
 * as every other step warms up: for about a second after an instance starts, V8's compiler and
 * GC threads take a core of the two, and the line measured that instead (issue #13's notes).
 */
export async function hotPathOverhead(context: Pick<WorkloadContext, 'primaryUrl' | 'warmupMs'>): Promise<Record<string, string>> {
  const optimizer = await optimizerInstance({ primaryUrl: context.primaryUrl, enableCache: false });
  try {
    const answer = { result: { rows: [{ id: 1 }], rowCount: 1, command: 'SELECT', oid: 0, fields: [] }, prepared: true };
    (optimizer.app.get(StatementCacheService) as unknown as { execute: () => Promise<unknown> }).execute = () => Promise.resolve(answer);
    const classifier = optimizer.app.get(QueryOptimizerService);
    const metrics = optimizer.app.get(MetricsService);
    const pool = optimizer.app.get(PoolManagerService).primary;
    const facade = await perCallUs(async (i) => void (await optimizer.db.executeOptimizedQuery(LOOKUP, [i])), context.warmupMs);
    const checkout = await perCallUs(async () => pool.release(await pool.acquire()));
    const classify = await perCallUs(() => void classifier.classify(LOOKUP));
    const record = await perCallUs(() =>
      metrics.recordQuery({ fingerprint: 'f', normalizedSql: LOOKUP, durationMs: 0.1, pool: 'primary', queryType: 'READ', cached: false, prepared: true, rowCount: 1, optimized: true }),
    );
    const hit = await cacheHitUs(context);
    return {
      'hot path: executeOptimizedQuery without the database (µs/call)': facade.toFixed(2),
      'hot path: executeOptimizedQuery served from memory, cache on (µs/call)': hit.toFixed(2),
      'hot path: of which pool checkout + release (µs/call)': checkout.toFixed(2),
      'hot path: classification cache hit (µs/call)': classify.toFixed(3),
      'hot path: metrics recordQuery (µs/call)': record.toFixed(3),
    };
  } finally {
    await optimizer.app.close();
  }
}

/** A read served from the in-process cache: key, versions, lookup, the caller's own copy of the rows, metrics. */
async function cacheHitUs(context: Pick<WorkloadContext, 'primaryUrl' | 'warmupMs'>): Promise<number> {
  const optimizer = await optimizerInstance({ primaryUrl: context.primaryUrl, enableCache: true });
  try {
    const first = await optimizer.db.executeOptimizedQuery(LOOKUP, [1]);
    const again = await optimizer.db.executeOptimizedQuery(LOOKUP, [1]);
    if (first.metadata.cached !== false || again.metadata.cached !== 'memory') throw new Error('the cache-hit line found no cache hit');
    return await perCallUs(async () => void (await optimizer.db.executeOptimizedQuery(LOOKUP, [1])), context.warmupMs);
  } finally {
    await optimizer.app.close();
  }
}

/**
 * µs per call, as CPU time of this process (user + system) when that is the smaller: the
 * loop is sequential and never waits, so on a quiet machine both agree, and on a busy one
 * CPU time leaves out the time other processes had the core. Warms up for `warmupMs` of calls
 * when given (a new instance), else for a tenth of the calls measured.
 */
async function perCallUs(call: (i: number) => Promise<void> | void, warmupMs?: number): Promise<number> {
  const warmUntil = warmupMs === undefined ? undefined : performance.now() + warmupMs;
  for (let i = 0; warmUntil === undefined ? i < ITERATIONS / 10 : performance.now() < warmUntil; i++) await call(i);
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) await call(i);
  const cpu = process.cpuUsage(cpuBefore);
  const wallUs = (performance.now() - startedAt) * 1000;
  return Math.min(wallUs, cpu.user + cpu.system) / ITERATIONS;
}
