import type { INestApplicationContext } from '@nestjs/common';
import type { DbOptimizerHealthIndicator } from '@db-optimizer/core/health';
import { spawnRedis, testEnv, waitFor } from '@db-optimizer/cluster';
import { startHealthInstance } from './support/health-instance';

type CacheHealth = { database: { status: string; cache: { enabled: boolean; mode: string; redis: string } } };

describe('DbOptimizerHealthIndicator and Redis', () => {
  const env = testEnv();
  let redis: Awaited<ReturnType<typeof spawnRedis>>;
  let app: INestApplicationContext;
  let indicator: DbOptimizerHealthIndicator;

  beforeAll(async () => {
    // Its own redis-server: this test kills it.
    redis = await spawnRedis();
    ({ app, indicator } = await startHealthInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 2 }, enableCache: true, redisUrl: redis.url }));
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  it('reports Redis up, then down while the check stays up, and fails the check when Redis is required', async () => {
    const up = (await indicator.isHealthy('database')) as unknown as CacheHealth;
    expect(up.database.cache).toEqual({ enabled: true, mode: 'shared', redis: 'up' });
    await redis.stop();
    const down = await waitFor(async () => {
      const result = (await indicator.isHealthy('database')) as unknown as CacheHealth;
      return result.database.cache.redis === 'down' ? result : undefined;
    }, { what: 'Redis to be reported down' });
    expect(down.database.status).toBe('up');
    const strict = (await indicator.isHealthy('database', { requireRedis: true })) as unknown as CacheHealth;
    expect(strict.database.status).toBe('down');
  });
});
