import { performance } from 'node:perf_hooks';
import { ResultCacheService } from '@db-optimizer/core';
import { spawnRedis, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import type { RedisHandle } from '@db-optimizer/cluster';
import { startInstance, TestInstance } from '../support/test-module';
import { cacheOptions, dropSchema, levelOf, setUpSchema } from './support/cache-fixture';

describe('Redis not reachable when the module starts', () => {
  const schema = uniqueSchema('rc_absent');
  const T = `${schema}.items`;
  let port: number;
  let app: TestInstance | undefined;
  let redis: RedisHandle | undefined;

  beforeAll(async () => {
    await setUpSchema(schema, 'CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items VALUES (1, 1)');
    // A port that was free a moment ago: start a server there, note the port, stop it.
    const probe = await spawnRedis();
    port = probe.port;
    await probe.stop();
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    await dropSchema(schema);
  });

  it('starts on memory only, then joins Redis when it appears', async () => {
    const startedAt = performance.now();
    app = await startInstance(cacheOptions({ redisUrl: `redis://127.0.0.1:${port}` }));
    expect(performance.now() - startedAt).toBeLessThan(5000);
    const cache = app.get(ResultCacheService);
    expect(cache.redisHealthy).toBe(false);
    const read = () => app!.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${T} WHERE id = $1`, [1]);
    await read();
    expect(levelOf(await read())).toBe('memory');
    await app.db.executeOptimizedQuery(`UPDATE ${T} SET v = 2 WHERE id = $1`, [1]);
    expect((await read()).rows).toEqual([{ v: 2 }]);

    redis = await spawnRedis(port);
    await waitFor(() => cache.redisHealthy, { timeoutMs: 10_000, what: 'the cache joining Redis' });
    const after = await read();
    // Joining after running alone bumps the epoch: what was cached alone is dropped.
    expect([levelOf(after), after.rows]).toEqual([false, [{ v: 2 }]]);
    expect(levelOf(await read())).toBe('memory');
  });
});
