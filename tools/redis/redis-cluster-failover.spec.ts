import { Cluster } from 'ioredis';
import { waitFor } from '../testing/wait-for';
import { askRedis } from './ask-redis';
import { startRedisCluster, RedisClusterHandle } from './redis-cluster';

describe('RedisClusterHandle#killMaster', () => {
  // The key and the channel share the hash tag, so they live on the master that is killed.
  const key = '{fleet:survivor}:value';
  const channel = '{fleet:survivor}:events';
  let redis: RedisClusterHandle;
  let client: Cluster;
  let subscriber: Cluster;
  const messages: string[] = [];

  beforeAll(async () => {
    redis = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
    client = new Cluster(redis.startupNodes, { retryDelayOnFailover: 200 });
    subscriber = new Cluster(redis.startupNodes, { shardedSubscribers: true });
    // The sharded subscriber reports each failed reconnect to the dead master as an 'error'.
    subscriber.on('error', () => undefined);
    subscriber.on('smessage', (_: string, message: string) => messages.push(message));
    await subscriber.ssubscribe(channel);
  });

  afterAll(async () => {
    subscriber?.disconnect();
    await client?.quit();
    await redis?.stop();
  });

  it('starts three masters, each with one replica', () => {
    const roles = redis.nodes.map((node) => node.role);
    expect(roles.filter((role) => role === 'master')).toHaveLength(3);
    expect(roles.filter((role) => role === 'replica')).toHaveLength(3);
  });

  it('promotes the replica, and a key written before the kill is still readable', async () => {
    await client.set(key, 'written before the kill');
    await redis.waitForReplication();
    const owner = await redis.masterIndexForKey(key);

    const { killed, promoted } = await redis.killMaster(owner);

    expect(killed).toMatchObject({ index: owner, running: false });
    expect(promoted).toMatchObject({ role: 'master', running: true });
    expect(await redis.masterIndexForKey(key)).toBe(promoted.index);
    expect(await client.get(key)).toBe('written before the kill');
    await client.set(key, 'written after the failover');
    expect(await askRedis(promoted.port, 'GET', key)).toBe('written after the failover');
  });

  it('moves a sharded subscription made before the kill to the promoted master', async () => {
    // ioredis re-subscribes on its own after its next slot refresh; publish until the new owner has a receiver.
    await waitFor(async () => Number(await client.spublish(channel, 'after the failover')) > 0, { what: `a subscriber on ${channel}` });
    await waitFor(() => messages.includes('after the failover'), { what: 'the smessage' });
    expect(messages).toContain('after the failover');
  });

  it('brings a killed master back as a replica of the node that replaced it', async () => {
    const down = redis.nodes.find((node) => !node.running);
    expect(down).toBeDefined();
    const back = await redis.restartNode(down!.index);
    expect(back).toMatchObject({ role: 'replica', running: true });
    const role = (await askRedis(back.port, 'ROLE')) as [string];
    expect(role[0]).toBe('slave');
  });
});
