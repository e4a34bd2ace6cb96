import { existsSync } from 'node:fs';
import Redis from 'ioredis';
import { askRedis } from './ask-redis';
import { processIsGone } from './redis-server-process';
import { RedisSentinelHandle, startRedisSentinel } from './redis-sentinel';

describe('startRedisSentinel', () => {
  let fleet: RedisSentinelHandle;
  const clients: Redis[] = [];

  beforeAll(async () => {
    fleet = await startRedisSentinel({ sentinels: 3 });
  });

  afterEach(() => {
    clients.splice(0).forEach((client) => client.disconnect());
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  /** A sentinel client; while the master is down it reports connection errors, which are expected here. */
  function sentinelClient(failoverDetector: boolean): Redis {
    const client = new Redis({ sentinels: fleet.sentinels, name: fleet.name, failoverDetector });
    client.on('error', () => undefined);
    clients.push(client);
    return client;
  }

  it('starts three sentinels that agree on the master', async () => {
    expect(fleet.sentinels).toHaveLength(3);
    expect(fleet.pids()).toHaveLength(5);
    const master = await fleet.master();
    expect((await askRedis(master.port, 'ROLE')) as [string]).toContain('master');
  });

  it('keeps a sentinel client working after failover(): old keys survive, new writes land on the new master', async () => {
    // Both ways ioredis notices a failover: its reconnect asks a sentinel again, and
    // failoverDetector also drops the connection as soon as a sentinel announces +switch-master.
    const plain = sentinelClient(false);
    const detecting = sentinelClient(true);
    await plain.set('fleet:before', 'written before the failover');
    expect(await plain.wait(1, 5_000)).toBe(1);

    const { previous, current } = await fleet.failover();

    expect(current.port).not.toBe(previous.port);
    expect(await fleet.master()).toEqual(current);
    expect(await plain.get('fleet:before')).toBe('written before the failover');
    await plain.set('fleet:after:plain', 'plain');
    await detecting.set('fleet:after:detecting', 'detecting');
    expect(await askRedis(current.port, 'MGET', 'fleet:after:plain', 'fleet:after:detecting')).toEqual(['plain', 'detecting']);
  });

  it('refuses a second failover once no replica is left', async () => {
    await expect(fleet.failover()).rejects.toThrow('no running replica is left to promote');
  });

  it('leaves no process and no folder after stop()', async () => {
    const pids = fleet.pids();
    await fleet.stop();
    expect(pids.length).toBeGreaterThan(0);
    expect(pids.filter((pid) => !processIsGone(pid))).toEqual([]);
    expect(existsSync(fleet.folder)).toBe(false);
  });
});
