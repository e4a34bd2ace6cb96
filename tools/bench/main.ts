import 'reflect-metadata';
import { join } from 'node:path';
import { Pool } from 'pg';
import { LocalCluster, waitFor } from '@db-optimizer/cluster';
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
  try {
    const primaryUrl = process.env['DATABASE_PRIMARY_URL'] ?? cluster!.primary.url;
    const replicaUrls = cluster ? [cluster.readReplica.url] : (process.env['DATABASE_READ_REPLICA_URL'] ?? '').split(',').filter(Boolean);
    const context: WorkloadContext = {
      primaryUrl,
      replicaUrls,
      redisUrl: process.env['REDIS_URL'],
      durationMs: Number(process.env['BENCH_DURATION_MS'] ?? 4000),
      warmupMs: Number(process.env['BENCH_WARMUP_MS'] ?? 1000),
      callerCounts: [1, 32],
    };
    log('loading 100k rows...');
    await preparePrimaryKeyTable(primaryUrl);
    await waitForReplicas(primaryUrl, replicaUrls);
    const rows: BenchRow[] = [];
    const extra: Record<string, unknown> = {};
    const pk = await primaryKeyLookup(context, log);
    rows.push(...pk.rows);
    Object.assign(extra, pk.extra);
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
    await cluster?.stop();
  }
}

async function serverVersion(url: string): Promise<string> {
  const pool = new Pool({ connectionString: url, max: 1 });
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  await pool.end();
  return `PostgreSQL ${rows[0].server_version}`;
}

/** Replicas must have the table before a workload reads it there. */
async function waitForReplicas(primaryUrl: string, replicaUrls: string[]): Promise<void> {
  for (const url of replicaUrls) {
    const pool = new Pool({ connectionString: url, max: 1 });
    await waitFor(async () => (await pool.query('SELECT count(*)::int AS n FROM bench_items').catch(() => ({ rows: [{ n: 0 }] }))).rows[0].n === 100_000, {
      timeoutMs: 30_000,
      what: `bench_items on ${new URL(url).host}`,
    });
    await pool.end();
  }
  void primaryUrl;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
