import type { ChildProcess } from 'node:child_process';
import { DbOptimizerOptions, ReplicaLagMonitor, ResultCacheService, StaleReadRefusedError } from '@db-optimizer/core';
import { LocalCluster, spawnRedis, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import type { RedisHandle } from '@db-optimizer/cluster';
import { FLEET_TEST_REDIS_TIMEOUT_MS } from '../fleet/support/redis-fleets';
import { sql, startInstance, TestInstance, waitForReplay } from '../support/test-module';

type SpawnedRedis = RedisHandle & { port: number; process: ChildProcess };

// When Redis comes back after an outage in which it lost its data, every instance flushes the
// cache, and loads after the flush must see every write of the outage, other instances' too.
// The flush takes the primary's position for that. With the primary down at that moment the
// position is unknown, and until the primary answers, no load may come from a replica: one
// that lags would hand back rows older than the outage's writes, which the cache would then keep.
// Two faults at once, and a paused replica: this file has its own cluster and its own Redis.
describe('the flush that ends a Redis outage while the primary is down', () => {
  const READ = 'SELECT v FROM t WHERE id = $1';
  let cluster: LocalCluster;
  let redis: SpawnedRedis;
  let reader: TestInstance;
  let writer: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    await sql(cluster.primary.url, 'CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL); INSERT INTO t VALUES (1, 0), (2, 0)');
    await waitForReplay(cluster.primary.url, [cluster.readReplica.url]);
    redis = await spawnRedis();
    const options: Partial<DbOptimizerOptions> = {
      enableCache: true,
      redisUrl: redis.url,
      cacheNamespace: uniqueSchema('unpositioned_flush'),
      primaryUrl: cluster.primary.url,
      readReplicaUrls: [cluster.readReplica.url],
      primaryPool: { min: 1, max: 4 },
      readReplicaPool: { min: 1, max: 4 },
      // The test drives lag rounds itself; the paused replica must stay in use.
      replicaLag: { checkIntervalMs: 600_000, maxMs: 600_000 },
      // Coming back takes several Redis calls (and a primary position that times out): with the 100 ms default, a
      // loaded machine failed them often enough that the reader was not back within the wait (1 run in 4 beside
      // other test files, before and after the fifteenth session's changes).
      cacheRedisTimeoutMs: FLEET_TEST_REDIS_TIMEOUT_MS,
    };
    reader = await startInstance(options);
    writer = await startInstance(options);
  });
  let writerClosed = false;

  afterAll(async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()').catch(() => undefined);
    await reader?.close();
    if (!writerClosed) await writer?.close();
    await redis?.stop();
    await cluster?.stop();
  });

  const healthy = (instance: TestInstance) => instance.get(ResultCacheService).redisHealthy;
  const readRow = (id: number, options = {}) => reader.db.executeOptimizedQuery<{ v: number }>(READ, [id], options);

  it('loads nothing from a lagging replica until the primary answers, then serves the outage\'s write', async () => {
    await waitFor(() => healthy(reader) && healthy(writer), { what: 'both instances on Redis' });
    expect((await readRow(1)).rows).toEqual([{ v: 0 }]);

    // Redis dies with its data; another instance writes meanwhile, which this one cannot hear of, and
    // stops before Redis is back (a deploy, a crash), so its write's bump and position never arrive.
    await redis.stop();
    await waitFor(() => !healthy(reader) && !healthy(writer), { timeoutMs: 15_000, what: 'both instances see Redis down' });
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_pause()');
    await writer.db.executeOptimizedQuery('UPDATE t SET v = 1 WHERE id = 1');
    await writer.close();
    writerClosed = true;
    // The primary goes down before Redis is back: the flush cannot read its position.
    await cluster.primary.stop();
    redis = await spawnRedis(redis.port);
    const flushes = reader.get(ResultCacheService).stats().flushes;
    await waitFor(() => healthy(reader) && reader.get(ResultCacheService).stats().flushes > flushes, {
      timeoutMs: 15_000,
      what: 'the reader back on Redis, after its flush',
    });

    // The miss must not load row 1 from the paused replica, which still has v = 0.
    await expect(readRow(1)).rejects.toThrow(StaleReadRefusedError);
    // Reads that do not go through the cache keep the replica.
    expect((await readRow(2, { useCache: false })).metadata.poolUsed).toBe('read_replica');

    await cluster.primary.start();
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()');
    const seen: number[] = [];
    await waitFor(
      async () => {
        await reader.get(ReplicaLagMonitor).checkNow();
        const read = await readRow(1).catch(() => undefined);
        if (read !== undefined) seen.push(read.rows[0].v);
        return read !== undefined;
      },
      { timeoutMs: 30_000, what: 'row 1 readable through the cache once the primary is back' },
    );
    expect(seen).toEqual([1]);
    expect((await readRow(1)).rows).toEqual([{ v: 1 }]);
  });
});
