import 'reflect-metadata';
import { join } from 'node:path';
import { Pool } from 'pg';
import { LocalCluster, resolveRedis } from '@db-optimizer/cluster';
import { benchConfigFromEnv } from './bench-config';
import { memoryLine } from './memory-report';
import { PlannedStep, Progress } from './progress';
import { waitForTableOnReplicas } from './replication';
import { scaleCurveSvg } from './scale-curve-chart';
import { hotKeys, hotKeysSteps } from './workloads/hot-keys';
import { hotPathOverhead } from './workloads/hot-path';
import { memoryGrowth, memorySteps } from './workloads/memory';
import { primaryKeyLookup, primaryKeyLookupSteps, preparePrimaryKeyTable } from './workloads/primary-key-lookup';
import type { WorkloadContext } from './workloads/workload-context';
import { workspaceRoot } from '../workspace-root';
import { addRatios, BenchReport, BenchRow, machineDescription, toMarkdown, writeReport } from './report';

/** The hot-path step runs a fixed number of calls after warming up two instances; this is about how long the calls take here. */
const HOT_PATH_CALLS_ESTIMATE_MS = 8000;

/**
 * `npm run bench`: starts the local cluster (unless DATABASE_PRIMARY_URL is
 * set), loads the data, runs every workload with one load generator, and
 * writes bench/results/latest.{json,md,svg} (quick.* with BENCH_QUICK=1).
 * Ratios compare rows of the same run.
 */
async function main(): Promise<void> {
  const log = (line: string): void => console.log(`[bench] ${line}`);
  const config = benchConfigFromEnv(process.env);
  if (typeof global.gc !== 'function') log('node runs without --expose-gc: memory readings cannot force a GC (use `npm run bench`)');
  const cluster = process.env['DATABASE_PRIMARY_URL'] ? undefined : await LocalCluster.start();
  // The same Redis the tests use: REDIS_URL, else 127.0.0.1:6379, else a redis-server we start.
  const redis = await resolveRedis();
  try {
    const primaryUrl = process.env['DATABASE_PRIMARY_URL'] ?? cluster!.primary.url;
    const replicaUrls = cluster ? [cluster.readReplica.url] : (process.env['DATABASE_READ_REPLICA_URL'] ?? '').split(',').filter(Boolean);
    const memoryOptions = { statements: config.memoryStatements, sessions: config.memorySessions };
    const timing = { durationMs: config.durationMs, warmupMs: config.warmupMs, callerCounts: config.callerCounts, replicaUrls };
    const plan: PlannedStep[] = [
      ...primaryKeyLookupSteps(timing),
      { workload: 'hot-path', client: 'DbOptimizerService without the database', estimateMs: HOT_PATH_CALLS_ESTIMATE_MS + 2 * config.warmupMs },
      ...hotKeysSteps(timing),
      ...(replicaUrls.length > 0 ? memorySteps(memoryOptions) : []),
    ];
    const context: WorkloadContext = { ...timing, primaryUrl, redisUrl: redis.url, progress: new Progress(plan, log) };
    log(`${config.quick ? 'quick run' : 'full run'}: ${plan.length} steps, callers ${config.callerCounts.join(', ')}, ${config.durationMs} ms each after ${config.warmupMs} ms warm-up`);
    log('loading 100k rows...');
    await preparePrimaryKeyTable(primaryUrl);
    await waitForTableOnReplicas(replicaUrls, 'bench_items', 100_000);
    const rows: BenchRow[] = [];
    const extra: Record<string, unknown> = {};
    const pk = await primaryKeyLookup(context, log);
    rows.push(...pk.rows);
    Object.assign(extra, pk.extra);
    context.progress.begin('hot-path', 'DbOptimizerService without the database');
    Object.assign(extra, await hotPathOverhead(context));
    const hot = await hotKeys(context, log);
    rows.push(...hot.rows);
    Object.assign(extra, hot.extra);
    // Session reads need a replica to wait on; without one the memory line would measure something else.
    const memory = replicaUrls.length > 0 ? await memoryGrowth(context, memoryOptions, log) : undefined;
    if (memory) log(`memory: ${memoryLine(memory)}`);
    addRatios(rows, (row) => row.client === 'pg unnamed');
    const report: BenchReport = {
      ranAt: new Date().toISOString(),
      machine: machineDescription(),
      node: process.version,
      postgres: await serverVersion(primaryUrl),
      rows,
      extra,
      memory,
    };
    const svg = scaleCurveSvg(rows, 'pk-lookup', `primary-key lookup, cache off, pools of 20 (${report.ranAt.slice(0, 10)})`);
    const files = writeReport(report, svg, join(workspaceRoot(), 'bench', 'results'), config.resultName);
    console.log(`\n${toMarkdown(report)}`);
    log(`written ${files.join(', ')}`);
  } finally {
    await redis.stop();
    await cluster?.stop();
  }
}

async function serverVersion(url: string): Promise<string> {
  const pool = new Pool({ connectionString: url, max: 1 });
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  await pool.end();
  return `PostgreSQL ${rows[0].server_version}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
