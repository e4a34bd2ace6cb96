import 'reflect-metadata';
import { optimizerInstance, rawPgPool } from './bench-clients';
import { waitForTableOnReplicas } from './replication';
import { runningClusterUrls, runTool } from './running-cluster';
import { percentile } from '../load/load-stats';
import { KEYS, prepareHotKeys, WRITE } from './workloads/hot-keys';

/**
 * What one write costs when it is alone (one caller, each write awaited before the next), per
 * configuration of the module, against raw `pg` in the same process: CPU µs and wall µs per
 * write, the median of PASSES passes after a warm-up. Against a running cluster (`npm run db:up`,
 * then DATABASE_PRIMARY_URL and DATABASE_READ_REPLICA_URL). Configurations, each its own module
 * instance, measured one after another: no replicas and cache off; a replica (the write's
 * position is read); cache on (L1); Redis (REDIS_URL, default redis://127.0.0.1:6379).
 * PASSES (5) and WRITES_PER_PASS (3000) tune it; it prints a line per configuration as it goes.
 *
 * @example
 * npm run -s build:run && node dist/run/tools/bench/profile-lone-writes.js
 */
async function main(): Promise<void> {
  const { primaryUrl, replicaUrls } = runningClusterUrls();
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const passes = Number(process.env['PASSES'] ?? 5);
  const writesPerPass = Number(process.env['WRITES_PER_PASS'] ?? 3000);
  await prepareHotKeys(primaryUrl);
  await waitForTableOnReplicas(replicaUrls, 'hot_keys', KEYS);
  const key = (i: number): number => (i % KEYS) + 1;

  const pool = rawPgPool(primaryUrl);
  print('raw pg', await measure(async (i) => void (await pool.query(WRITE, [key(i)])), passes, writesPerPass));
  await pool.end();

  const configurations = [
    { name: 'module, no replicas, cache off', options: { enableCache: false } },
    { name: 'module, a replica, cache off', options: { readReplicaUrls: replicaUrls, enableCache: false } },
    { name: 'module, a replica, cache on (L1)', options: { readReplicaUrls: replicaUrls, enableCache: true } },
    { name: 'module, a replica, cache on (L1 + Redis)', options: { readReplicaUrls: replicaUrls, enableCache: true, redisUrl } },
  ];
  for (const { name, options } of configurations) {
    const optimizer = await optimizerInstance({ primaryUrl, ...options });
    try {
      print(name, await measure(async (i) => void (await optimizer.db.executeOptimizedQuery(WRITE, [key(i)])), passes, writesPerPass));
    } finally {
      await optimizer.app.close();
    }
  }
}

/** Median CPU and wall µs per write over `passes` passes, after a warm-up pass. */
async function measure(write: (i: number) => Promise<void>, passes: number, writesPerPass: number): Promise<{ cpuUs: number; wallUs: number }> {
  for (let i = 0; i < writesPerPass; i++) await write(i);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    const cpuBefore = process.cpuUsage();
    const startedAt = process.hrtime.bigint();
    for (let i = 0; i < writesPerPass; i++) await write(i);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / writesPerPass);
    wall.push(Number(process.hrtime.bigint() - startedAt) / 1000 / writesPerPass);
  }
  return { cpuUs: percentile(cpu, 0.5), wallUs: percentile(wall, 0.5) };
}

function print(name: string, result: { cpuUs: number; wallUs: number }): void {
  console.log(JSON.stringify({ configuration: name, cpuUsPerWrite: Number(result.cpuUs.toFixed(1)), wallUsPerWrite: Number(result.wallUs.toFixed(1)) }));
}

runTool(main);
