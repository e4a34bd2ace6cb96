// One app process of the multi-process test (multi-process.spec.ts): its own module
// instance, randomized reads and writes for a while, then its figures, over IPC.
// Run with `node -r ./tools/register.js` (fork does it); not a test file.
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { DbOptimizerModule, DbOptimizerService, FleetMetricsPublisher, MetricsService, ResultCacheService } from '@db-optimizer/core';
import type { DbOptimizerOptions } from '@db-optimizer/core';
import type { Observation, ParentMessage, WorkerMessage, WorkerSettings } from './fleet-protocol';

const now = (): number => performance.timeOrigin + performance.now();
const send = (message: WorkerMessage): void => void process.send?.(message);

async function main(): Promise<void> {
  const settings = JSON.parse(process.env['FLEET_WORKER'] ?? '') as WorkerSettings;
  const options: DbOptimizerOptions = {
    primaryUrl: process.env['DATABASE_PRIMARY_URL'] as string,
    readReplicaUrls: [process.env['DATABASE_READ_REPLICA_URL'] as string],
    analyticsReplicaUrl: process.env['DATABASE_ANALYTICS_URL'],
    enableCache: true,
    redisCluster: { nodes: settings.clusterNodes },
    cacheNamespace: settings.namespace,
    cacheRedisTimeoutMs: settings.redisTimeoutMs,
    fleetMetricsIntervalMs: 1000,
    primaryPool: { min: 1, max: 4 },
    readReplicaPool: { min: 1, max: 4 },
    analyticsPool: { min: 0, max: 1 },
    replicaLag: { checkIntervalMs: 50, maxMs: 60_000 },
    poolResizeIntervalMs: 0,
  };
  const app = await NestFactory.createApplicationContext(DbOptimizerModule.forRoot(options), { logger: ['error'] });
  const db = app.get(DbOptimizerService);
  const cache = app.get(ResultCacheService);
  const deadline = Date.now() + 15_000;
  while (!cache.redisHealthy && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  send({ type: 'ready' });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));

  let seed = settings.seed;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const writes: Observation[] = [];
  const reads: Observation[] = [];
  const failures: string[] = [];
  const stopAt = Date.now() + settings.durationMs;
  while (Date.now() < stopAt) {
    const id = 1 + random(settings.rows);
    try {
      if (random(10) < 3) {
        const result = await db.executeOptimizedQuery<{ v: number }>(`UPDATE ${settings.table} SET v = v + 1 WHERE id = $1 RETURNING v`, [id]);
        writes.push([id, result.rows[0].v, now()]);
      } else {
        const startedAt = now();
        const result = await db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${settings.table} WHERE id = $1`, [id]);
        reads.push([id, result.rows[0].v, startedAt]);
      }
    } catch (error) {
      failures.push((error as Error).message);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }

  // Load stopped: what is published now is what this process reports as its own.
  await app.get(FleetMetricsPublisher).publishNow();
  const { crossInstanceWindowMs: window, outages } = cache.stats();
  send({ type: 'done', writes, reads, failures, own: app.get(MetricsService).getPerformanceMetrics().performance, window, outages });

  for (;;) {
    const message = await new Promise<ParentMessage>((resolve) => process.once('message', resolve));
    if (message.type === 'merge') send({ type: 'fleet', fleet: await app.get(MetricsService).getFleetMetrics() });
    if (message.type === 'exit') break;
  }
  await app.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  send({ type: 'error', message: (error as Error).stack ?? String(error) });
  process.exit(1);
});
