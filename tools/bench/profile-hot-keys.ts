import 'reflect-metadata';
import { ResultCacheService } from '@db-optimizer/core';
import { optimizerInstance, rawPgPool } from './bench-clients';
import { FULL_WARMUP_MS } from './bench-config';
import { runLoad } from './load-generator';
import { waitForTableOnReplicas } from './replication';
import { runningClusterUrls, runTool } from './running-cluster';
import { keyFor, KEYS, prepareHotKeys, READ, WRITE, writeSchedule } from './workloads/hot-keys';

/**
 * One hot-key mix of the bench, alone, against a running cluster (`npm run db:up`, then
 * DATABASE_PRIMARY_URL and DATABASE_READ_REPLICA_URL): for profiling with `--cpu-prof`.
 * Prints throughput, the process's CPU µs per operation (steadier than wall time on a
 * shared machine; `measured` splits the measured part between this process and the servers), the hit rate and the cache's outage counters. WRITE_PERCENT (10),
 * DURATION_MS (5000), WARMUP_MS (the bench's, 3000: less measures V8 still compiling), NO_REDIS=1 for L1 only, RAW=1 to run raw pg first,
 * MULTIPLEX_READS=n for the module's `multiplexReads` (its default when unset; 0: every read on a connection of its own),
 * BENCH_LOG_WARN=1 to see the module's warnings.
 *
 * @example
 * node --cpu-prof -r ./tools/register.js tools/bench/profile-hot-keys.ts
 */
async function main(): Promise<void> {
  const { primaryUrl, replicaUrls } = runningClusterUrls();
  const isWrite = writeSchedule(Number(process.env['WRITE_PERCENT'] ?? 10));
  const durationMs = Number(process.env['DURATION_MS'] ?? 5000);
  const warmupMs = Number(process.env['WARMUP_MS'] ?? FULL_WARMUP_MS);
  await prepareHotKeys(primaryUrl);
  await waitForTableOnReplicas(replicaUrls, 'hot_keys', KEYS);
  if (process.env['RAW']) {
    const pool = rawPgPool(primaryUrl);
    const before = process.cpuUsage();
    const raw = await runLoad(async (caller, i) => void (await pool.query(isWrite(caller, i) ? WRITE : READ, [keyFor(caller, i)])), 32, durationMs, warmupMs);
    console.log(JSON.stringify({ client: 'pg unnamed', opsPerS: Math.round(raw.throughput), p99Us: raw.p99Us, cpuUsPerOp: cpuPerOp(before, raw.operations), measured: raw.cpu }));
    await pool.end();
  }
  const redisUrl = process.env['NO_REDIS'] ? undefined : (process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const multiplexReads = process.env['MULTIPLEX_READS'] === undefined ? undefined : Number(process.env['MULTIPLEX_READS']);
  const optimizer = await optimizerInstance({ primaryUrl, readReplicaUrls: replicaUrls, enableCache: true, redisUrl, multiplexReads });
  let reads = 0;
  let cached = 0;
  const before = process.cpuUsage();
  const result = await runLoad(
    async (caller, i) => {
      const key = keyFor(caller, i);
      if (isWrite(caller, i)) return void (await optimizer.db.executeOptimizedQuery(WRITE, [key]));
      const { metadata } = await optimizer.db.executeOptimizedQuery(READ, [key]);
      reads++;
      if (metadata.cached) cached++;
    },
    32,
    durationMs,
    warmupMs,
  );
  const stats = optimizer.app.get(ResultCacheService).stats();
  console.log(
    JSON.stringify({
      client: `module, ${redisUrl ? 'L1 + Redis' : 'L1 only'}${multiplexReads === undefined ? '' : `, multiplexReads ${multiplexReads}`}`,
      opsPerS: Math.round(result.throughput),
      p99Us: result.p99Us,
      cpuUsPerOp: cpuPerOp(before, result.operations),
      measured: result.cpu,
      hit: Number((cached / Math.max(1, reads)).toFixed(3)),
      outages: stats.outages,
      flushes: stats.flushes,
      redisErrors: stats.redisLevel.errors,
      // Per operation: Redis lookups made and skipped right after an own write, loads from the database.
      redisLookupsPerOp: perOp(stats.redisLevel.hits + stats.redisLevel.misses, result.operations),
      redisSkippedAfterOwnWritePerOp: perOp(stats.redisLevel.skippedAfterOwnWrite, result.operations),
      loadsPerOp: perOp(stats.loads, result.operations),
      coalescedPerOp: perOp(stats.coalesced, result.operations),
      // Version bumps sent to Redis, and writes that went with another write's bump.
      bumpsSentPerOp: perOp(stats.bumps.sent, result.operations),
      bumpsJoinedPerOp: perOp(stats.bumps.joined, result.operations),
    }),
  );
  await optimizer.app.close();
}

/** A counter since start (warm-up included) per measured operation. */
function perOp(count: number, operations: number): number {
  return Number((count / operations).toFixed(3));
}

/** CPU of this process (warm-up included) per measured operation. */
function cpuPerOp(before: NodeJS.CpuUsage, operations: number): number {
  const used = process.cpuUsage(before);
  return Number(((used.user + used.system) / operations).toFixed(1));
}

runTool(main);
