import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { OWN_WRITE_L2_SKIP_MS } from '../../src/lib/result-cache/result-cache.constants';
import { levelOf, replicatedSchema } from './support/cache-fixture';

/**
 * Right after an instance's own write made a key new, its miss on that key goes to the
 * database without a Redis GET (nothing can be stored under the new key yet but by another
 * instance); it still stores what it loaded in Redis, where another instance finds it. Past
 * `OWN_WRITE_L2_SKIP_MS`, or for a key another instance made new, the miss asks Redis again.
 */
describe('a miss right after this instance wrote the row', () => {
  const schema = uniqueSchema('rc_own_skip');
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, 3) g;`);
  const writer = fixture.bootInstance();
  const other = fixture.bootInstance();
  const read = (app: typeof writer, id: number) => app.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${schema}.items WHERE id = $1`, [id]);
  const write = (app: typeof writer, id: number) => app.db.executeOptimizedQuery(`UPDATE ${schema}.items SET v = v + 1 WHERE id = $1`, [id]);
  const redisOf = (app: typeof writer) => app.get(ResultCacheService).stats().redisLevel;

  it('loads from the database without asking Redis, and stores the rows there for the others', async () => {
    await write(writer, 1);
    const before = redisOf(writer);

    const mine = await read(writer, 1);

    expect([levelOf(mine), mine.rows]).toEqual([false, [{ v: 1 }]]);
    const after = redisOf(writer);
    expect([after.hits + after.misses - (before.hits + before.misses), after.skippedAfterOwnWrite - before.skippedAfterOwnWrite]).toEqual([0, 1]);

    // Stores into Redis are batched: wait until the writer's has landed.
    await writer.get(ResultCacheService).storesSent();
    // Once the other instance has heard the bump (on the channel), it finds the writer's entry in Redis.
    // Nothing was cached for the row before the write, so a read before that loads from the database.
    const theirs = await waitFor(
      async () => {
        const result = await read(other, 1);
        return levelOf(result) === 'redis' && result;
      },
      { what: "the other instance's Redis hit" },
    );
    expect(theirs.rows).toEqual([{ v: 1 }]);
    expect(redisOf(other).skippedAfterOwnWrite).toBe(0);
  });

  it('asks Redis again once the window has passed', async () => {
    await write(writer, 2);
    await new Promise((resolve) => setTimeout(resolve, OWN_WRITE_L2_SKIP_MS + 50));
    const before = redisOf(writer);

    const mine = await read(writer, 2);

    expect([levelOf(mine), mine.rows]).toEqual([false, [{ v: 1 }]]);
    const after = redisOf(writer);
    expect([after.misses - before.misses, after.skippedAfterOwnWrite - before.skippedAfterOwnWrite]).toEqual([1, 0]);
  });

  it('asks Redis for a key another instance made new', async () => {
    // Cached here before the other instance's write: a read sees the new value only once this instance heard the bump.
    expect((await read(writer, 3)).rows).toEqual([{ v: 0 }]);
    await write(other, 3);
    let lookedUp = -1;
    let skipped = -1;
    await waitFor(
      async () => {
        const before = redisOf(writer);
        const { rows } = await read(writer, 3);
        const after = redisOf(writer);
        lookedUp = after.hits + after.misses - (before.hits + before.misses);
        skipped = after.skippedAfterOwnWrite - before.skippedAfterOwnWrite;
        return rows[0].v === 1;
      },
      { what: 'the bump heard by the writer' },
    );

    expect([lookedUp, skipped]).toEqual([1, 0]);
  });
});
