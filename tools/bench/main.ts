import 'reflect-metadata';
import { join } from 'node:path';
import { Pool } from 'pg';
import { LocalCluster, resolveRedis } from '@db-optimizer/cluster';
import { waitForTableOnReplicas } from './replication';
import { hotKeys } from './workloads/hot-keys';
import { hotPathOverhead } from './workloads/hot-path';
import { primaryKeyLookup, preparePrimaryKeyTable, WorkloadContext } from './workloads/primary-key-lookup';
import { addRatios, BenchReport, BenchRow, machineDescription, toMarkdown, writeReport } from './report';

/**
 * `npm run bench`: starts the local cluster (unless DATABASE_PRIMARY_URL is
 * set), loads the data, runs every workload with one load generator, and
 * writes bench/results/latest.{json,md}. Ratios compare rows of the same run.
 */
async function main(): Promise<void> {
  const log = (line: string): void => console.log(`[bench] ${line}`);
  const cluster = process.env['DATABASE_PRIMARY_URL'] ? undefined : await LocalCluster.start();
  // The same Redis the tests use: REDIS_URL, else 127.0.0.1:6379, else a redis-server we start.
  const redis = await resolveRedis();
  try {
    const primaryUrl = process.env['DATABASE_PRIMARY_URL'] ?? cluster!.primary.url;
    const replicaUrls = cluster ? [cluster.readReplica.url] : (process.env['DATABASE_READ_REPLICA_URL'] ?? '').split(',').filter(Boolean);
    const context: WorkloadContext = {
      primaryUrl,
      replicaUrls,
      redisUrl: redis.url,
      durationMs: Number(process.env['BENCH_DURATION_MS'] ?? 4000),
      warmupMs: Number(process.env['BENCH_WARMUP_MS'] ?? 1000),
      callerCounts: [1, 32],
    };
    log('loading 100k rows...');
    await preparePrimaryKeyTable(primaryUrl);
    await waitForTableOnReplicas(replicaUrls, 'bench_items', 100_000);
    const rows: BenchRow[] = [];
    const extra: Record<string, unknown> = {};
    const pk = await primaryKeyLookup(context, log);
    rows.push(...pk.rows);
    Object.assign(extra, pk.extra);
    Object.assign(extra, await hotPathOverhead(context));
    log('hot-path overhead measured');
    const hot = await hotKeys(context, log);
    rows.push(...hot.rows);
    Object.assign(extra, hot.extra);
    addRatios(rows, (row) => row.client === 'pg unnamed');
    const report: BenchReport = {
      ranAt: new Date().toISOString(),
      machine: machineDescription(),
      node: process.version,
      postgres: await serverVersion(primaryUrl),
      rows,
      extra,
    };
    const files = writeReport(report, join(__dirname, '..', '..', 'bench', 'results'));
    console.log(`\n${toMarkdown(report)}`);
    log(`written ${files.json} and ${files.markdown}`);
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
