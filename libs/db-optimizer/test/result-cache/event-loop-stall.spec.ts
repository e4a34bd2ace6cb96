import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { cacheOptions, levelOf, replicatedSchema } from './support/cache-fixture';

/** Keeps this thread busy, as a burst of CPU work in the app would. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

/**
 * A busy process is not a Redis outage. After an event-loop stall longer than
 * `cacheRedisTimeoutMs`, timers run before the socket is read: a timeout judged there
 * (ioredis' own `commandTimeout` was) calls Redis late while its answer sits unread, took
 * the link down and, when it came back, flushed every instance's memory.
 */
describe('an event-loop stall while a Redis call is in flight', () => {
  const schema = uniqueSchema('rc_stall');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, 'CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, g FROM generate_series(1, 10) g');
  const options = () => cacheOptions({ cacheRedisTimeoutMs: 100 });
  const loader = fixture.bootInstance(options);
  const reader = fixture.bootInstance(options);
  const read = (instance: typeof reader, id: number) => instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${T} WHERE id = $1`, [id]);

  it('serves the Redis answer that arrived during the stall and keeps the link up', async () => {
    const cache = reader.get(ResultCacheService);
    // The reader knows the statement (classification, catalog facts): its next read goes to Redis without other I/O first.
    await read(reader, 1);
    for (let id = 2; id <= 6; id++) expect(levelOf(await read(loader, id))).toBe(false);
    // L2 stores are not awaited by the loader (and go out in batches): wait until they landed.
    await loader.get(ResultCacheService).storesSent();
    await waitFor(async () => levelOf(await read(reader, 2)) === 'redis' || undefined, { what: 'the loader\'s entries in Redis' });
    const before = cache.stats();

    for (let id = 3; id <= 6; id++) {
      const pending = read(reader, id);
      // Microtasks run first, so by now the GET has been written to the socket; then the thread is busy.
      setImmediate(() => stall(300));
      expect(levelOf(await pending)).toBe('redis');
    }

    const after = cache.stats();
    expect(after.redis).toBe('up');
    expect([after.outages - before.outages, after.flushes - before.flushes, after.redisLevel.errors - before.redisLevel.errors]).toEqual([0, 0, 0]);
  });
});
