import { ResultCacheService } from '@db-optimizer/core';
import { spawnRedis, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import type { RedisHandle } from '@db-optimizer/cluster';
import Redis from 'ioredis';
import type { TestInstance } from '../support/test-module';
import { cacheOptions, levelOf, replicatedSchema } from './support/cache-fixture';

const ROWS = 8;

// Cuts only the reader's subscription, so it misses the writer's messages while the
// writer stays healthy: the reader must catch up from the counters in Redis.
describe('an instance that missed messages', () => {
  const schema = uniqueSchema('rc_missed');
  const T = `${schema}.items`;
  let redis: RedisHandle;
  let admin: Redis;
  let readerSubscriber: string;

  const subscriberIds = async (): Promise<string[]> =>
    ((await admin.client('LIST', 'TYPE', 'PUBSUB')) as string)
      .split('\n')
      .filter((line) => line.includes('sub=1'))
      .map((line) => /(?:^| )id=(\d+)/.exec(line)?.[1] as string);

  // Set-up runs in the order written: the schema, this file's Redis, the reader, its subscription's id, the writer.
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, ${ROWS}) g;
      CREATE TABLE others (id int PRIMARY KEY); INSERT INTO others VALUES (1)`);
  beforeAll(async () => {
    redis = await spawnRedis();
    admin = new Redis(redis.url);
    admin.on('error', () => undefined);
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });
  const reader = fixture.bootInstance(() => cacheOptions({ redisUrl: redis.url }));
  beforeAll(async () => {
    // Only the reader has subscribed so far.
    [readerSubscriber] = await subscriberIds();
  });
  const writer = fixture.bootInstance(() => cacheOptions({ redisUrl: redis.url }));

  const readRow = (instance: TestInstance, id: number) =>
    instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${T} WHERE id = $1`, [id]);

  it('catches up from the counters in Redis, keeping the entries nothing changed', async () => {
    const cache = reader.get(ResultCacheService);
    const other = () => reader.db.executeOptimizedQuery(`SELECT id FROM ${schema}.others WHERE id = $1`, [1]);
    for (let id = 1; id <= ROWS; id++) for (let pass = 0; pass < 2; pass++) await readRow(reader, id);
    await other();
    const before = cache.stats();

    const writerSubscribers = (await subscriberIds()).filter((id) => id !== readerSubscriber);
    await admin.client('KILL', 'ID', readerSubscriber);
    // The reader's client reconnects by itself at once: keep killing its new subscriptions while the writes
    // run, so the messages are missed however fast it comes back (on a busy machine it would otherwise be
    // back before the first write, and nothing would be missed).
    let killing = true;
    const killer = (async () => {
      while (killing) {
        for (const id of await subscriberIds()) if (!writerSubscribers.includes(id)) await admin.client('KILL', 'ID', id).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    // While the reader's subscription is gone: writes to some rows, and to the whole table's other readers.
    try {
      await writer.db.executeOptimizedQuery(`UPDATE ${T} SET v = 1 WHERE id = $1`, [1]);
      await writer.db.executeOptimizedQuery(`UPDATE ${T} SET v = 2 WHERE id = $1`, [2]);
    } finally {
      killing = false;
      await killer;
    }
    // The reader noticed its link went down, and came back in line (resynced from the counters) since.
    await waitFor(() => cache.stats().outages > before.outages && cache.redisHealthy && writer.get(ResultCacheService).redisHealthy, {
      what: 'both back in line',
    });

    expect((await readRow(reader, 1)).rows).toEqual([{ v: 1 }]);
    expect((await readRow(reader, 2)).rows).toEqual([{ v: 2 }]);
    for (let id = 3; id <= ROWS; id++) expect((await readRow(reader, id)).rows).toEqual([{ v: 0 }]);
    const after = cache.stats();
    // The messages really were missed (at least one), the link went down, and nothing was flushed.
    expect(after.received - before.received).toBeLessThan(2);
    expect(after.outages).toBeGreaterThan(before.outages);
    expect(after.flushes).toBe(before.flushes);
    // A table nobody wrote kept its entries through the resync.
    expect(levelOf(await other())).toBe('memory');
  });
});
