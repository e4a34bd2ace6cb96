import { uniqueSchema } from '@db-optimizer/cluster';
import { replicatedSchema } from '../result-cache/support/cache-fixture';
import { describeFailover, runFailover } from './support/failover-run';
import { clusterForFile, fleetCacheOptions } from './support/redis-fleets';

const ROWS = 10;
// A fixed namespace, so the test knows the version keys' slot and kills the master holding it.
const NAMESPACE = 'fleet-cluster-failover';

describe('a Redis Cluster master killed under load', () => {
  const schema = uniqueSchema('fl_cfail');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
  const redis = clusterForFile();
  const writer = fixture.bootInstance(() => fleetCacheOptions(redis, { cacheNamespace: NAMESPACE }));
  const reader = fixture.bootInstance(() => fleetCacheOptions(redis, { cacheNamespace: NAMESPACE }));

  it('fails no call, keeps the writer fresh, and serves nothing stale once the replica took over', async () => {
    const cluster = redis.handle();
    const victim = await cluster.masterIndexForKey(`{dbo:${NAMESPACE}}:versions`);
    const report = await runFailover(writer, reader, T, ROWS, () => cluster.killMaster(victim));
    console.log(describeFailover('cluster', report));
    expect(report.failures).toEqual([]);
    expect(report.writerStale).toEqual([]);
    expect(report.staleAfterRecovery).toEqual([]);
    // The shard of the counters changed hands: treated as an outage end, with a flush.
    expect(report.flushes).toBeGreaterThan(0);
  }, 120_000);
});
