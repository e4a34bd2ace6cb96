import { existsSync } from 'node:fs';
import { Cluster } from 'ioredis';
import { startRedisCluster, RedisClusterHandle } from './redis-cluster';
import { processIsGone } from './redis-server-process';

describe('startRedisCluster', () => {
  let redis: RedisClusterHandle;
  let client: Cluster;

  beforeAll(async () => {
    redis = await startRedisCluster({ masters: 3 });
    client = new Cluster(redis.startupNodes);
  });

  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });

  it('starts three masters that each serve a share of the slots', () => {
    expect(redis.nodes.map((node) => node.role)).toEqual(['master', 'master', 'master']);
    expect(redis.pids()).toHaveLength(3);
  });

  it('sets and gets keys that land on every master', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `fleet:key:${i}`);
    for (const key of keys) await client.set(key, `value of ${key}`);
    const owners = new Set(await Promise.all(keys.map((key) => redis.masterIndexForKey(key))));
    expect(owners).toEqual(new Set([0, 1, 2]));
    expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys.map((key) => `value of ${key}`));
  });

  it('refuses to kill a master when no replica could take over', async () => {
    await expect(redis.killMaster(0)).rejects.toThrow('start the cluster with replicasPerMaster: 1');
  });

  it('leaves no process and no folder after stop()', async () => {
    const separate = await startRedisCluster({ masters: 3 });
    const pids = separate.pids();
    await separate.stop();
    expect(pids).toHaveLength(3);
    expect(pids.filter((pid) => !processIsGone(pid))).toEqual([]);
    expect(existsSync(separate.folder)).toBe(false);
  });
});

describe('startRedisCluster options', () => {
  it('names the option that is wrong', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow('startRedisCluster needs masters >= 3 (got 2)');
  });
});
