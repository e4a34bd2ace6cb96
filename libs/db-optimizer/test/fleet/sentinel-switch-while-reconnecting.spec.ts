import { FleetMetricsPublisher, ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { replicatedSchema } from '../result-cache/support/cache-fixture';
import { fleetCacheOptions, sentinelForFile } from './support/redis-fleets';

// The race behind the flaky tools/redis/redis-sentinel.spec.ts, made certain: ioredis' failover
// detector hears +switch-master while the client's reconnect still waits for a sentinel's answer.
// ioredis 5 then ends the client for good ("Connection is closed." on every command); the
// library must connect it again (reconnectWhenEndedUnasked in result-cache/redis-connection.ts).
describe('a Sentinel failover announced while the clients wait for a sentinel', () => {
  const schema = uniqueSchema('fl_sswitch');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items VALUES (1, 0)`);
  const redis = sentinelForFile();
  // Fleet snapshots often: its own Sentinel client must come back too.
  const instance = fixture.bootInstance(() => fleetCacheOptions(redis, { fleetMetricsIntervalMs: 200 }));
  // The result cache's command and subscriber clients, and the fleet metrics' client.
  const SENTINEL_CLIENTS = 3;

  it('reconnects the result cache and the fleet metrics to the promoted replica', async () => {
    const fleet = redis.handle();
    const cache = instance.get(ResultCacheService);
    const publisher = instance.get(FleetMetricsPublisher);
    const [asked, ...others] = fleet.sentinels;
    // Every client's detector listens on every sentinel once it is connected.
    await waitFor(async () => (await Promise.all(fleet.sentinels.map((s) => fleet.subscribedClients(s.port)))).every((n) => n === SENTINEL_CLIENTS), {
      timeoutMs: 15_000,
      what: `${SENTINEL_CLIENTS} failover detectors on every sentinel`,
    });
    expect(cache.redisHealthy).toBe(true);

    // The clients reconnect after the kill and ask the first sentinel, which answers only once resumed.
    const resume = fleet.pauseSentinel(asked.port);
    try {
      await fleet.failover();
      // Each detector heard +switch-master and dropped its subscriptions while its client was still waiting.
      await waitFor(async () => (await Promise.all(others.map((s) => fleet.subscribedClients(s.port)))).every((n) => n === 0), {
        timeoutMs: 15_000,
        what: 'the failover detectors to act on +switch-master',
      });
    } finally {
      resume();
    }

    await waitFor(() => cache.redisHealthy, { timeoutMs: 30_000, what: 'the result cache back on the promoted replica' });
    const publishedBefore = publisher.published;
    await waitFor(() => publisher.published > publishedBefore, { timeoutMs: 15_000, what: 'a fleet snapshot published on the promoted replica' });
    const read = () => instance.db.executeOptimizedQuery(`SELECT v FROM ${T} WHERE id = $1`, [1]);
    await read();
    expect((await read()).metadata.cached).toBe('memory');
  }, 90_000);
});
