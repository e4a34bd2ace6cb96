import { uniqueSchema } from '@db-optimizer/cluster';
import { replicatedSchema } from '../result-cache/support/cache-fixture';
import { describeFailover, runFailover } from './support/failover-run';
import { fleetCacheOptions, sentinelForFile } from './support/redis-fleets';

const ROWS = 10;

describe('a Sentinel failover under load', () => {
  const schema = uniqueSchema('fl_sfail');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
  const redis = sentinelForFile();
  const writer = fixture.bootInstance(() => fleetCacheOptions(redis));
  const reader = fixture.bootInstance(() => fleetCacheOptions(redis));

  it('fails no call, keeps the writer fresh, and serves nothing stale once the replica was promoted', async () => {
    const report = await runFailover(writer, reader, T, ROWS, () => redis.handle().failover());
    console.log(describeFailover('sentinel', report));
    expect(report.failures).toEqual([]);
    expect(report.writerStale).toEqual([]);
    expect(report.staleAfterRecovery).toEqual([]);
    // Another server holds the counters: treated as an outage end, with a flush.
    expect(report.flushes).toBeGreaterThan(0);
  }, 120_000);
});
