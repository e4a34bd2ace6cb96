import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { replicatedSchema } from '../result-cache/support/cache-fixture';
import type { TestInstance } from '../support/test-module';
import { fleetCacheOptions, sentinelForFile } from './support/redis-fleets';

// With no write anywhere during the failover, nothing was applied locally and Redis kept
// its incarnation key (replicated): only the new server behind the counters tells that
// the promoted replica may lack bumps the old master acknowledged.
describe('a Sentinel failover while the instances are idle', () => {
  const schema = uniqueSchema('fl_sidle');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items VALUES (1, 0)`);
  const redis = sentinelForFile();
  const first = fixture.bootInstance(() => fleetCacheOptions(redis));
  const second = fixture.bootInstance(() => fleetCacheOptions(redis));
  const cacheOf = (instance: TestInstance) => instance.get(ResultCacheService);

  it('drops every entry on every instance, as after an outage', async () => {
    await waitFor(() => cacheOf(first).redisHealthy && cacheOf(second).redisHealthy, { timeoutMs: 15_000, what: 'both instances on the Sentinel master' });
    const read = (instance: TestInstance) => instance.db.executeOptimizedQuery(`SELECT v FROM ${T} WHERE id = $1`, [1]);
    for (const instance of [first, second, first, second]) await read(instance);
    expect((await read(second)).metadata.cached).toBe('memory');
    const flushesBefore = cacheOf(first).stats().flushes + cacheOf(second).stats().flushes;

    await redis.handle().failover();
    await waitFor(() => cacheOf(first).redisHealthy && cacheOf(second).redisHealthy, { timeoutMs: 30_000, what: 'both instances back on the promoted replica' });

    expect(cacheOf(first).stats().flushes + cacheOf(second).stats().flushes).toBeGreaterThan(flushesBefore);
    expect((await read(first)).metadata.cached).toBe(false);
    expect((await read(second)).metadata.cached).not.toBe('memory');
  }, 90_000);
});
