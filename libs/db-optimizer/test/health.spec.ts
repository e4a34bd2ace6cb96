import type { INestApplicationContext } from '@nestjs/common';
import type { DbOptimizerHealthIndicator } from '@db-optimizer/core/health';
import { LocalCluster } from '@db-optimizer/cluster';
import { startHealthInstance } from './support/health-instance';

describe('DbOptimizerHealthIndicator#isHealthy', () => {
  let cluster: LocalCluster;
  let app: INestApplicationContext;
  let indicator: DbOptimizerHealthIndicator;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    ({ app, indicator } = await startHealthInstance({
      primaryUrl: cluster.primary.url,
      readReplicaUrls: [cluster.readReplica.url],
      analyticsReplicaUrl: cluster.analyticsReplica.url,
      primaryPool: { min: 1, max: 3 },
      readReplicaPool: { min: 1, max: 3 },
      analyticsPool: { min: 1, max: 3 },
      acquireTimeoutMs: 1000,
    }));
  });

  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
  });

  type Details = { database: { status: string; pools: Record<string, { status: string; error?: string }> } };

  it('reports every pool up', async () => {
    const result = (await indicator.isHealthy('database')) as unknown as Details;
    expect(result.database.status).toBe('up');
    expect(Object.values(result.database.pools).map((pool) => pool.status)).toEqual(['up', 'up', 'up']);
  });

  it('reports a stopped replica down while staying up, then up again after restart', async () => {
    await cluster.readReplica.stop();
    const down = (await indicator.isHealthy('database', { timeoutMs: 500 })) as unknown as Details;
    expect(down.database.status).toBe('up');
    expect(down.database.pools['read_replica[0]'].status).toBe('down');
    expect(down.database.pools['read_replica[0]'].error).toBeDefined();
    const strict = (await indicator.isHealthy('database', { timeoutMs: 500, requireReplicas: true })) as unknown as Details;
    expect(strict.database.status).toBe('down');
    await cluster.readReplica.start();
    const up = (await indicator.isHealthy('database')) as unknown as Details;
    expect(up.database.pools['read_replica[0]'].status).toBe('up');
  });

  it('fails the check when the primary is down, and recovers after restart', async () => {
    await cluster.primary.stop();
    const down = (await indicator.isHealthy('database', { timeoutMs: 500 })) as unknown as Details;
    expect(down.database.status).toBe('down');
    expect(down.database.pools.primary.status).toBe('down');
    await cluster.primary.start();
    const up = (await indicator.isHealthy('database')) as unknown as Details;
    expect(up.database.status).toBe('up');
  });

  it('reports replica lag against its thresholds, the cache and the targets', async () => {
    const result = (await indicator.isHealthy('database')) as unknown as {
      database: { pools: Record<string, { lag?: string }>; cache: { redis: string }; targetsMet: { allTargetsMet: boolean } };
    };
    expect(['ok', 'unknown', 'over threshold']).toContain(result.database.pools['read_replica[0]'].lag);
    expect(result.database.cache.redis).toBe('not configured');
    expect(typeof result.database.targetsMet.allTargetsMet).toBe('boolean');
  });

  it('never shows a password or a URL in its output', async () => {
    const text = JSON.stringify(await indicator.isHealthy('database'));
    expect(text).not.toMatch(/postgres:\/\//);
  });
});
