import { Cluster } from 'ioredis';
import { askRedis } from './ask-redis';
import { startRedisCluster, RedisClusterHandle } from './redis-cluster';

describe('RedisClusterHandle#killMaster', () => {
  let redis: RedisClusterHandle;
  let client: Cluster;

  beforeAll(async () => {
    redis = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
    client = new Cluster(redis.startupNodes, { retryDelayOnFailover: 200 });
  });

  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });

  it('starts three masters, each with one replica', () => {
    const roles = redis.nodes.map((node) => node.role);
    expect(roles.filter((role) => role === 'master')).toHaveLength(3);
    expect(roles.filter((role) => role === 'replica')).toHaveLength(3);
  });

  it('promotes the replica, and a key written before the kill is still readable', async () => {
    await client.set('fleet:survivor', 'written before the kill');
    await redis.waitForReplication();
    const owner = await redis.masterIndexForKey('fleet:survivor');

    const { killed, promoted } = await redis.killMaster(owner);

    expect(killed).toMatchObject({ index: owner, running: false });
    expect(promoted).toMatchObject({ role: 'master', running: true });
    expect(await redis.masterIndexForKey('fleet:survivor')).toBe(promoted.index);
    expect(await client.get('fleet:survivor')).toBe('written before the kill');
    await client.set('fleet:after', 'written after the failover');
    expect(await client.get('fleet:after')).toBe('written after the failover');
  });

  it('brings a killed master back as a replica of the node that replaced it', async () => {
    const down = redis.nodes.find((node) => !node.running);
    expect(down).toBeDefined();
    const back = await redis.restartNode(down!.index);
    expect(back).toMatchObject({ role: 'replica', running: true });
    const role = (await askRedis(back.port, 'ROLE')) as [string, string, number];
    expect(role[0]).toBe('slave');
  });
});
