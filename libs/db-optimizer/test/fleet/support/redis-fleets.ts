import type { DbOptimizerOptions } from '@db-optimizer/core';
import { cacheOptions } from '../../result-cache/support/cache-fixture';
import { startRedisCluster, startRedisSentinel } from '@db-optimizer/cluster';
import type { RedisClusterHandle, RedisSentinelHandle } from '@db-optimizer/cluster';

/** A Redis deployment a test file starts in `beforeAll` and stops in `afterAll`, and the module options pointing at it. */
export interface TestRedisFleet<H> {
  handle(): H;
  options(): Pick<DbOptimizerOptions, 'redisCluster' | 'redisSentinel'>;
}

/**
 * Redis calls may take this long in these tests: the machine running them is shared and
 * often loaded, and a call over the default 100 ms is an outage (served from the
 * database, bounded by replica lag), which would blur what each test is about.
 */
export const FLEET_TEST_REDIS_TIMEOUT_MS = 1000;

/** `cacheOptions()` pointed at `fleet` instead of the shared standalone Redis. */
export function fleetCacheOptions(fleet: TestRedisFleet<unknown>, extra: Partial<DbOptimizerOptions> = {}): DbOptimizerOptions {
  return cacheOptions({ redisUrl: undefined, cacheRedisTimeoutMs: FLEET_TEST_REDIS_TIMEOUT_MS, ...fleet.options(), ...extra });
}

/**
 * A 3-master Redis Cluster with a replica per master (so a master can be killed), started
 * before the instances this file boots after calling it.
 */
export function clusterForFile(): TestRedisFleet<RedisClusterHandle> {
  let handle: RedisClusterHandle | undefined;
  beforeAll(async () => {
    handle = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
  }, 60_000);
  afterAll(async () => {
    await handle?.stop();
  });
  const current = (): RedisClusterHandle => {
    if (!handle) throw new Error('The Redis Cluster starts in beforeAll: use it inside a test or a later hook.');
    return handle;
  };
  return {
    handle: current,
    options: () => ({ redisCluster: { nodes: current().startupNodes } }),
  };
}

/** A master, its replica and 3 sentinels, started before the instances this file boots after calling it. */
export function sentinelForFile(): TestRedisFleet<RedisSentinelHandle> {
  let handle: RedisSentinelHandle | undefined;
  beforeAll(async () => {
    handle = await startRedisSentinel({ sentinels: 3 });
  }, 60_000);
  afterAll(async () => {
    await handle?.stop();
  });
  const current = (): RedisSentinelHandle => {
    if (!handle) throw new Error('The Sentinel group starts in beforeAll: use it inside a test or a later hook.');
    return handle;
  };
  return {
    handle: current,
    options: () => ({ redisSentinel: { sentinels: current().sentinels, name: current().name } }),
  };
}
