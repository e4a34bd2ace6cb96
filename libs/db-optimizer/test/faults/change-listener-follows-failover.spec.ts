import { ResultCacheService } from '@db-optimizer/core';
import { LocalCluster, waitFor } from '@db-optimizer/cluster';
import { serverOf, sql, startInstance, TestInstance, waitForReplay } from '../support/test-module';

/**
 * Without Redis, writes made outside the module reach the cache through NOTIFY on the primary.
 * After a failover the listener must LISTEN on the new primary: it used to reconnect to the
 * first primary URL for good, so outside writes were never heard again (stale until the TTL).
 */
describe('the change-notification listener after a failover', () => {
  let cluster: LocalCluster;
  let instance: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    await sql(cluster.primary.url, "CREATE TABLE settings (id int PRIMARY KEY, value text NOT NULL); INSERT INTO settings VALUES (1, 'v0')");
    await waitForReplay(cluster.primary.url, [cluster.readReplica.url, cluster.analyticsReplica.url]);
    instance = await startInstance({
      primaryUrls: [cluster.primary.url, cluster.readReplica.url],
      enableCache: true,
      replicaLag: { checkIntervalMs: 100, consecutiveChecks: 2 },
      acquireTimeoutMs: 2000,
      connectionBreaker: { probeBackoffMs: 100, probeBackoffMaxMs: 400 },
      primaryPool: { min: 1, max: 4 },
    });
    await instance.get(ResultCacheService).installChangeNotifications(['public.settings']);
    await waitFor(async () => (await sql<{ n: number }>(cluster.readReplica.url, "SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'settings'::regclass"))[0].n > 0, {
      what: 'the triggers on the standby',
    });
  });

  afterAll(async () => {
    await instance?.close();
    await cluster?.stop();
  });

  const read = async (): Promise<string> =>
    (await instance.db.executeOptimizedQuery<{ value: string }>('SELECT value FROM settings WHERE id = $1', [1])).rows[0].value;

  it('listens on the promoted standby, so writes made there outside the module invalidate', async () => {
    expect(await read()).toBe('v0');
    expect(await read()).toBe('v0');

    await cluster.primary.stop();
    await cluster.readReplica.promote();
    await waitFor(
      () => instance.db.executeOptimizedQuery('UPDATE settings SET value = value WHERE id = $1', [2]).then((result) => result.metadata.server === serverOf(cluster.readReplica.url) || undefined, () => undefined),
      { what: 'the module to write on the new primary', timeoutMs: 20_000 },
    );

    // Outside the module, on the new primary: heard once the listener is back, on the new primary.
    await sql(cluster.readReplica.url, "UPDATE settings SET value = 'v1' WHERE id = 1");
    await waitFor(async () => (await read()) === 'v1' || undefined, { what: 'the first outside write after the failover', timeoutMs: 40_000 });
    await sql(cluster.readReplica.url, "UPDATE settings SET value = 'v2' WHERE id = 1");
    await waitFor(async () => (await read()) === 'v2' || undefined, { what: 'a later outside write, by notification', timeoutMs: 10_000 });
  }, 90_000);
});
