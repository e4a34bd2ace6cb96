import { existsSync } from 'node:fs';
import Redis from 'ioredis';
import { waitFor } from '../testing/wait-for';
import { askRedis } from './ask-redis';
import { processIsGone } from './redis-server-process';
import { RedisSentinelHandle, startRedisSentinel } from './redis-sentinel';

describe('startRedisSentinel', () => {
  let fleet: RedisSentinelHandle;
  const clients: Redis[] = [];
  const closed = new WeakSet<Redis>();

  beforeAll(async () => {
    fleet = await startRedisSentinel({ sentinels: 3 });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) {
      closed.add(client);
      client.disconnect();
    }
  });

  afterAll(async () => {
    await fleet?.stop();
  });

  /** A sentinel client; while the master is down it reports connection errors, which are expected here. */
  function sentinelClient(failoverDetector: boolean): Redis {
    const client = new Redis({ sentinels: fleet.sentinels, name: fleet.name, failoverDetector });
    client.on('error', () => undefined);
    // ioredis 5 ends a failoverDetector client for good when +switch-master arrives while its
    // reconnect waits for a sentinel's answer (the master was killed: it is reconnecting during
    // the election). The library connects such a client again (reconnectWhenEndedUnasked,
    // proven by libs/db-optimizer/test/fleet/sentinel-switch-while-reconnecting.spec.ts); so does this test.
    client.on('end', () => {
      if (!closed.has(client)) client.connect().catch(() => undefined);
    });
    clients.push(client);
    return client;
  }

  it('starts three sentinels that agree on the master', async () => {
    expect(fleet.sentinels).toHaveLength(3);
    expect(fleet.pids()).toHaveLength(5);
    const master = await fleet.master();
    expect((await askRedis(master.port, 'ROLE')) as [string]).toContain('master');
  });

  it('keeps sentinel clients working after failover(): old keys survive, new writes land on the new master', async () => {
    // Both ways ioredis notices a failover: its reconnect asks a sentinel again, and
    // failoverDetector also drops the connection as soon as a sentinel announces +switch-master.
    const plain = sentinelClient(false);
    const detecting = sentinelClient(true);
    await plain.set('fleet:before', 'written before the failover');
    expect(await plain.wait(1, 5_000)).toBe(1);
    const [asked, ...others] = fleet.sentinels;
    await waitFor(async () => (await fleet.subscribedClients(others[0].port)) === 1, { what: "the detecting client's subscription" });

    // After the kill both clients reconnect and ask the first sentinel, paused here: the
    // +switch-master of the others then reaches the detector while its client waits, every
    // time (the race that made this test flaky, see sentinelClient above).
    const resume = fleet.pauseSentinel(asked.port);
    let failover: Awaited<ReturnType<RedisSentinelHandle['failover']>>;
    try {
      failover = await fleet.failover();
      expect(await fleet.master()).toEqual(failover.current);
      await waitFor(async () => (await Promise.all(others.map((s) => fleet.subscribedClients(s.port)))).every((n) => n === 0), {
        what: 'the failover detector to act on +switch-master',
      });
    } finally {
      resume();
    }
    const { previous, current } = failover;

    expect(current.port).not.toBe(previous.port);
    expect(await plain.get('fleet:before')).toBe('written before the failover');
    await plain.set('fleet:after:plain', 'plain');
    // Connected to the new master (and not between an 'end' and its reconnect, where a command fails at once).
    await waitFor(() => detecting.status === 'ready', { what: 'the detecting client on the new master' });
    await detecting.set('fleet:after:detecting', 'detecting');
    expect(await askRedis(current.port, 'MGET', 'fleet:after:plain', 'fleet:after:detecting')).toEqual(['plain', 'detecting']);
    // The resumed sentinel learns the new master from the others' hello messages.
    await waitFor(async () => ((await askRedis(asked.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', fleet.name)) as string[])[1] === String(current.port), {
      what: 'the resumed sentinel to report the new master',
    });
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
