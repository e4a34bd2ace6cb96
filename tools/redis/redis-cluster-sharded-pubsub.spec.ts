import { Cluster } from 'ioredis';
import { waitFor } from '../testing/wait-for';
import { startRedisCluster, RedisClusterHandle } from './redis-cluster';

// ioredis 5 only routes SSUBSCRIBE to the shard that owns the channel, and only
// re-emits `smessage` from the Cluster, when `shardedSubscribers: true`
// (cluster/index.js, ClusterSubscriberGroup.js). See RESEARCH.md.
describe('sharded pub/sub on the cluster', () => {
  let redis: RedisClusterHandle;
  let subscriber: Cluster;
  let publisher: Cluster;

  beforeAll(async () => {
    redis = await startRedisCluster({ masters: 3 });
    subscriber = new Cluster(redis.startupNodes, { shardedSubscribers: true });
    publisher = new Cluster(redis.startupNodes);
  });

  afterAll(async () => {
    subscriber?.disconnect();
    await publisher?.quit();
    await redis?.stop();
  });

  it('delivers an SPUBLISH to an SSUBSCRIBE on channels of every shard', async () => {
    const channels = ['fleet:a', 'fleet:b', 'fleet:c', 'fleet:d', 'fleet:e', 'fleet:f'];
    const owners = new Set(await Promise.all(channels.map((channel) => redis.masterIndexForKey(channel))));
    expect(owners.size).toBe(3);
    const received: [string, string][] = [];
    subscriber.on('smessage', (channel: string, message: string) => received.push([channel, message]));
    // One call per channel: a single SSUBSCRIBE may only name channels of one slot.
    for (const channel of channels) await subscriber.ssubscribe(channel);

    // A message sent before the subscription reached its shard is lost (pub/sub keeps nothing),
    // so publish until the shard reports a receiver.
    for (const channel of channels) {
      await waitFor(async () => Number(await publisher.spublish(channel, `hello ${channel}`)) > 0, { what: `a subscriber on ${channel}` });
    }
    await waitFor(() => channels.every((channel) => received.some(([c]) => c === channel)), { what: 'every smessage' });
    expect(received.filter(([channel, message]) => message !== `hello ${channel}`)).toEqual([]);
  });

  it('rejects SSUBSCRIBE to channels of different slots in one call', async () => {
    await expect(subscriber.ssubscribe('fleet:a', 'fleet:b')).rejects.toThrow('All channels must hash to the same slot');
  });
});
