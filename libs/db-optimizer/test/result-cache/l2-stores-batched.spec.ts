import type { Socket } from 'node:net';
import { testEnv } from '@db-optimizer/cluster';
import type Redis from 'ioredis';
import { cachedEntry } from '../../src/lib/result-cache/cached-entry';
import { RedisL2 } from '../../src/lib/result-cache/redis-l2';
import { createRedisConnection } from '../../src/lib/result-cache/redis-connection';
import type { RedisConnection } from '../../src/lib/result-cache/redis-connection';
import { ResultCacheCounters } from '../../src/lib/result-cache/result-cache-counters';

const STORES = 20;

/**
 * Stores into Redis are fire-and-forget; a burst of them (loads finishing together) goes out
 * in one socket write instead of one write each, and every entry lands.
 */
describe('L2 stores', () => {
  let connection: RedisConnection;
  const down: string[] = [];
  const link = { healthy: true, suspect: (reason: string) => down.push(reason), markDown: (reason: string) => down.push(reason) };

  beforeAll(async () => {
    connection = await createRedisConnection(testEnv().redisUrl, 500, () => undefined);
    await connection.client.connect();
  });
  afterAll(() => connection.client.disconnect());

  /** Socket writes the client makes while `work` runs and until its stores have been answered (`drain`). */
  async function socketWrites(l2: RedisL2, work: () => void): Promise<number> {
    const socket = (connection.client as Redis).stream as Socket & { _write: (...args: unknown[]) => void; _writev?: (...args: unknown[]) => void };
    let writes = 0;
    const write = socket._write;
    const writev = socket._writev;
    socket._write = function (...args: unknown[]) {
      writes++;
      return write.apply(this, args);
    };
    if (writev) {
      socket._writev = function (...args: unknown[]) {
        writes++;
        return writev.apply(this, args);
      };
    }
    try {
      work();
      await l2.drain();
    } finally {
      socket._write = write;
      socket._writev = writev;
    }
    return writes;
  }

  /** The entries' Redis keys (their names hash the cache key). */
  const keysOf = (prefix: string): Promise<string[]> => connection.client.keys(`*${prefix}:*`);

  it('go out together in one socket write when the socket can be corked, and all land', async () => {
    const prefix = `dbo-l2-batch-${process.pid}-${Date.now()}`;
    const l2 = new RedisL2(connection.cache, prefix, 500, new ResultCacheCounters(), link, () => (connection.client as Redis).stream);
    const now = Date.now();
    const writes = await socketWrites(l2, () => {
      for (let i = 0; i < STORES; i++) l2.set(`k${i}`, cachedEntry(`payload ${i}`, now, now + 60_000));
    });

    // One write for the whole batch (20 without corking, next test).
    expect(writes).toBe(1);
    expect(await keysOf(prefix)).toHaveLength(STORES);
    expect((await l2.get('k7'))?.payload).toBe('payload 7');
    expect(down).toEqual([]);
    await connection.client.del(...(await keysOf(prefix)));
  });

  it('without a socket to cork (a cluster) still sends every store', async () => {
    const prefix = `dbo-l2-nocork-${process.pid}-${Date.now()}`;
    const l2 = new RedisL2(connection.cache, prefix, 500, new ResultCacheCounters(), link);
    const now = Date.now();
    const writes = await socketWrites(l2, () => {
      for (let i = 0; i < STORES; i++) l2.set(`k${i}`, cachedEntry(`payload ${i}`, now, now + 60_000));
    });

    expect(writes).toBe(STORES);
    expect(await keysOf(prefix)).toHaveLength(STORES);
    expect((await l2.get('k19'))?.payload).toBe('payload 19');
    await connection.client.del(...(await keysOf(prefix)));
  });

  it('sends nothing that was still waiting when the link stops', async () => {
    const prefix = `dbo-l2-discard-${process.pid}-${Date.now()}`;
    const l2 = new RedisL2(connection.cache, prefix, 500, new ResultCacheCounters(), link);
    const now = Date.now();
    l2.set('k0', cachedEntry('payload', now, now + 60_000));
    l2.discardPending();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await keysOf(prefix)).toEqual([]);
  });

  it('drops a batch when Redis went down before it was sent', async () => {
    const prefix = `dbo-l2-down-${process.pid}-${Date.now()}`;
    const downLink = { ...link, healthy: true };
    const l2 = new RedisL2(connection.cache, prefix, 500, new ResultCacheCounters(), downLink);
    const now = Date.now();
    l2.set('k0', cachedEntry('payload', now, now + 60_000));
    downLink.healthy = false;
    await l2.drain();
    expect(await keysOf(prefix)).toEqual([]);
  });
});
