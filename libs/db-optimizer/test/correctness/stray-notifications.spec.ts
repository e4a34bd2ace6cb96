import { ResultCacheService } from '@db-optimizer/core';
import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { cacheOptions, replicatedSchema } from '../result-cache/support/cache-fixture';
import { sql } from '../support/test-module';

// Issue #10, item 7: anyone who can connect can NOTIFY the change channel. Only payloads that
// name an existing table count; the rest are dropped and counted, growing nothing.
describe('notifications on the change channel', () => {
  const env = testEnv();
  const schema = uniqueSchema('stray_notify');
  const instance = replicatedSchema(schema, 'CREATE TABLE prices (id int PRIMARY KEY, cents int NOT NULL); INSERT INTO prices VALUES (1, 100);').bootInstance(() =>
    cacheOptions({ redisUrl: undefined }),
  );

  it('drops and counts payloads that name no table, and still hears the real ones', async () => {
    const cache = instance.get(ResultCacheService);
    await cache.installChangeNotifications([`${schema}.prices`]);
    const before = cache.stats();
    for (let index = 0; index < 20; index++) await sql(env.primaryUrl, `NOTIFY db_optimizer_changes, 'junk_${index}_${'x'.repeat(index * 10)}'`);
    await waitFor(() => cache.stats().droppedNotifications - before.droppedNotifications === 20, { what: 'the stray notifications to be counted' });
    expect(cache.stats().invalidations).toBe(before.invalidations);

    const read = () => instance.db.executeOptimizedQuery(`SELECT cents FROM ${schema}.prices WHERE id = $1`, [1]);
    await read();
    expect((await read()).metadata.cached).toBe('memory');
    await sql(env.primaryUrl, `NOTIFY db_optimizer_changes, '${schema}.prices'`);
    await waitFor(async () => (await read()).metadata.cached === false, { what: 'the real notification to invalidate' });
  });
});
