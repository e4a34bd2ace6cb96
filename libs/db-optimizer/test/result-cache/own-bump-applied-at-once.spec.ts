import Redis from 'ioredis';
import { testEnv } from '@db-optimizer/cluster';
import { ChangeFeed } from '../../src/lib/result-cache/coherence/change-feed';
import { RedisLink } from '../../src/lib/result-cache/coherence/redis-link';
import { RedisVersions, versionKeys } from '../../src/lib/result-cache/coherence/redis-versions';
import { VersionCoordinator } from '../../src/lib/result-cache/coherence/version-coordinator';
import { lateRedisAnswerMs } from '../../src/lib/result-cache/result-cache.constants';
import { VersionMap } from '../../src/lib/result-cache/coherence/version-map';
import { ResultCacheCounters } from '../../src/lib/result-cache/result-cache-counters';

/**
 * A writer applies its own version bump as soon as Redis answers the script, with the
 * latest WAL position Redis holds for those counters; it does not wait for its message
 * to come back on the channel (here nothing ever subscribes, so it never does).
 */
describe('a version bump through Redis', () => {
  const prefix = `dbo-own-bump-${process.pid}-${Date.now()}`;
  const client = new Redis(testEnv().redisUrl);
  const keys = versionKeys(prefix, 0);
  const down: string[] = [];
  const link = { healthy: true, markDown: (reason: string) => down.push(reason) } as unknown as RedisLink;

  afterAll(async () => {
    await client.del(keys.clock, keys.versions, keys.incarnation);
    client.disconnect();
  });

  it('answers with the later of its own position and the one Redis already held for the field', async () => {
    const versions = new RedisVersions(client, keys, 'writer-a');
    const first = await versions.bump({ flushAll: false, tables: [{ table: 'public.t', rowKeys: ['1'] }], lsn: 0x2_00n }, 0, Date.now());
    const second = await versions.bump({ flushAll: false, tables: [{ table: 'public.t', rowKeys: ['2'] }], lsn: 0x1_00n }, 0, Date.now());
    expect(second.value).toBeGreaterThan(first.value);
    // Ordered after a bump with a later position: a load at this version must wait for that one too.
    expect([first.lsn, second.lsn]).toEqual([0x2_00n, 0x2_00n]);
  });

  it('is applied here before its message is heard, and an echo that never comes takes the link down afterwards', async () => {
    const map = new VersionMap(100);
    const coordinator = new VersionCoordinator(map, new ResultCacheCounters());
    const feed = new ChangeFeed((message) => map.apply(message.change));
    coordinator.attach({ versions: new RedisVersions(client, keys, 'writer-b'), feed, link, timeoutMs: 50 });
    const before = map.capture([{ table: 'public.t', rowKeys: ['3'] }]);

    await coordinator.commit({ flushAll: false, tables: [{ table: 'public.t', rowKeys: ['3'] }], lsn: 0x1_50n });

    const after = map.capture([{ table: 'public.t', rowKeys: ['3'] }]);
    expect(after.signature).not.toBe(before.signature);
    // The position Redis held (0/200, from the first test's bump) beats this write's own 0/150.
    expect(after.minLsn).toBe(0x2_00n);
    // Still up well past one call's timeout (50 ms): the echo gets lateRedisAnswerMs (2 s here) before the channel counts as broken.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(down).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, lateRedisAnswerMs(50)));
    expect(down).toHaveLength(1);
    expect(down[0]).toContain('was not heard back on the change channel');
  });
});
