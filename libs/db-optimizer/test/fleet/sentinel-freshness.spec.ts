import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { replicatedSchema } from '../result-cache/support/cache-fixture';
import { describeWindow, runFreshness } from '../result-cache/support/freshness-run';
import { sentinelForFile, fleetCacheOptions } from './support/redis-fleets';

const ROWS = 12;
const ROUNDS = 600;

describe('two instances sharing a Sentinel-managed Redis, randomized writes and reads', () => {
  const schema = uniqueSchema('fl_sfresh');
  const T = `${schema}.counters`;
  const fixture = replicatedSchema(schema, `CREATE TABLE counters (id int PRIMARY KEY, v int NOT NULL); INSERT INTO counters SELECT g, 0 FROM generate_series(1, ${ROWS}) g`);
  const redis = sentinelForFile();
  const writer = fixture.bootInstance(() => fleetCacheOptions(redis));
  const other = fixture.bootInstance(() => fleetCacheOptions(redis));

  it('never serves the writer stale data, nor the other instance once the window has passed', async () => {
    await waitFor(() => writer.get(ResultCacheService).redisHealthy && other.get(ResultCacheService).redisHealthy, { timeoutMs: 15_000, what: 'both instances on the Sentinel master' });
    const report = await runFreshness(writer, other, T, ROWS, ROUNDS);
    console.log(describeWindow('sentinel', report));
    expect(report.stale).toEqual([]);
    expect(report.windowsMs.length).toBeGreaterThan(ROUNDS / 5);
    // Heard over pub/sub through the master the sentinels name: the other instance measured every write's message.
    expect(report.other.crossInstanceWindowMs.count).toBeGreaterThanOrEqual(report.windowsMs.length);
    expect(report.other.memory.hits).toBeGreaterThan(ROUNDS / 10);
  });

  it('serves the other instance from the Sentinel master what one instance loaded', async () => {
    const sql = `SELECT v FROM ${T} WHERE id = $1 AND v >= $2`;
    await writer.db.executeOptimizedQuery(sql, [1, -1]);
    await writer.get(ResultCacheService).storesSent();
    const fromOther = await other.db.executeOptimizedQuery(sql, [1, -1]);
    expect(fromOther.metadata.cached).toBe('redis');
  });
});
