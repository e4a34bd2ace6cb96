import { ResultCacheService } from '@db-optimizer/core';
import { spawnRedis, uniqueSchema } from '@db-optimizer/cluster';
import Redis from 'ioredis';
import { startInstance, TestInstance } from '../support/test-module';
import { cacheOptions, levelOf, replicatedSchema } from './support/cache-fixture';

describe('the cache without Redis, and switched off', () => {
  const schema = uniqueSchema('rc_plain');
  const T = `${schema}.items`;
  replicatedSchema(schema, 'CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items VALUES (1, 1), (2, 2)');

  it('caches in memory only and still invalidates on write when redisUrl is not set', async () => {
    const app = await startInstance(cacheOptions({ redisUrl: undefined }));
    try {
      const cache = app.get(ResultCacheService);
      const read = () => app.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${T} WHERE id = $1`, [1]);
      await read();
      expect(levelOf(await read())).toBe('memory');
      await app.db.executeOptimizedQuery(`UPDATE ${T} SET v = 10 WHERE id = $1`, [1]);
      const after = await read();
      expect([levelOf(after), after.rows]).toEqual([false, [{ v: 10 }]]);
      expect(cache.stats()).toMatchObject({ enabled: true, redis: 'none' });
      expect(cache.redisHealthy).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('answers a hit with the metadata fields of a load, in the same order (what a JSON log of them shows)', async () => {
    const app = await startInstance(cacheOptions({ redisUrl: undefined }));
    try {
      // On the primary: a load that fell back there from a replica would say so (replicaFallback), which a hit does not.
      const read = () => app.db.executeOptimizedQuery(`SELECT v FROM ${T} WHERE id = $1`, [2], { forcePrimary: true });
      const loaded = await read();
      const hit = await read();
      expect([levelOf(loaded), levelOf(hit)]).toEqual([false, 'memory']);
      expect(Object.keys(hit.metadata)).toEqual(Object.keys(loaded.metadata));
      // A row holding a JSON value is parsed again for every hit (decodeResult), not copied: the same fields too.
      const json = () => app.db.executeOptimizedQuery(`SELECT v, '{"a":1}'::jsonb AS j FROM ${T} WHERE id = $1`, [2], { forcePrimary: true });
      const jsonLoaded = await json();
      const jsonHit = await json();
      expect([levelOf(jsonLoaded), levelOf(jsonHit), jsonHit.rows]).toEqual([false, 'memory', [{ v: 2, j: { a: 1 } }]]);
      expect(Object.keys(jsonHit.metadata)).toEqual(Object.keys(jsonLoaded.metadata));
    } finally {
      await app.close();
    }
  });

  it('constructs with enableCache: false (fleet metrics off), caches nothing and never connects to Redis', async () => {
    const redis = await spawnRedis();
    const probe = new Redis(redis.url);
    probe.on('error', () => undefined);
    try {
      const app = await startInstance(cacheOptions({ enableCache: false, redisUrl: redis.url, fleetMetricsIntervalMs: 0 }));
      try {
        const cache = app.get(ResultCacheService);
        const read = () => app.db.executeOptimizedQuery(`SELECT v FROM ${T} WHERE id = $1`, [2]);
        expect([levelOf(await read()), levelOf(await read())]).toEqual([false, false]);
        expect(cache.enabled).toBe(false);
        expect(cache.stats()).toMatchObject({ enabled: false, redis: 'none', loads: 0 });
        const clients = (await probe.client('LIST')) as string;
        expect(clients.trim().split('\n')).toHaveLength(1);
      } finally {
        await app.close();
      }
    } finally {
      probe.disconnect();
      await redis.stop();
    }
  });
});
