import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { cacheOptions, replicatedSchema } from '../result-cache/support/cache-fixture';
import { describeWindow, runFreshness } from '../result-cache/support/freshness-run';
import { FLEET_TEST_REDIS_TIMEOUT_MS } from './support/redis-fleets';

const ROWS = 12;
const ROUNDS = 600;

// The baseline beside cluster-freshness and sentinel-freshness: same run, same settings, one Redis server.
describe('two instances sharing a single Redis server, randomized writes and reads (baseline)', () => {
  const schema = uniqueSchema('fl_1fresh');
  const T = `${schema}.counters`;
  const fixture = replicatedSchema(schema, `CREATE TABLE counters (id int PRIMARY KEY, v int NOT NULL); INSERT INTO counters SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
  const writer = fixture.bootInstance(() => cacheOptions({ cacheRedisTimeoutMs: FLEET_TEST_REDIS_TIMEOUT_MS }));
  const other = fixture.bootInstance(() => cacheOptions({ cacheRedisTimeoutMs: FLEET_TEST_REDIS_TIMEOUT_MS }));

  it('never serves the writer stale data, nor the other instance once the window has passed', async () => {
    await waitFor(() => writer.get(ResultCacheService).redisHealthy && other.get(ResultCacheService).redisHealthy, { timeoutMs: 15_000, what: 'both instances on Redis' });
    const report = await runFreshness(writer, other, T, ROWS, ROUNDS);
    console.log(describeWindow('standalone', report));
    expect(report.stale).toEqual([]);
    expect(report.other.crossInstanceWindowMs.count).toBeGreaterThanOrEqual(report.windowsMs.length);
  });
});
