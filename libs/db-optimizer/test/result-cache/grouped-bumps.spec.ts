import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { replicatedSchema } from './support/cache-fixture';

const ROWS = 40;

/**
 * Writes committing together share a Redis version bump (group commit). Sharing must lose
 * nothing: every writer reads its own write at once, and another instance sees every write.
 */
describe('concurrent writes on one instance', () => {
  const schema = uniqueSchema('rc_grouped');
  const fixture = replicatedSchema(schema, `CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL); INSERT INTO items SELECT g, 0 FROM generate_series(1, ${ROWS}) g;`);
  const writer = fixture.bootInstance();
  const other = fixture.bootInstance();
  const read = (app: typeof writer, id: number) => app.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${schema}.items WHERE id = $1`, [id]);
  const ids = Array.from({ length: ROWS }, (_, i) => i + 1);

  it('share bumps, and each writer reads its own write while another instance sees them all', async () => {
    // Cached everywhere first, so a missed bump would show as an old value.
    await Promise.all(ids.flatMap((id) => [read(writer, id), read(other, id)]));
    const { bumps: before, outages: outagesBefore } = writer.get(ResultCacheService).stats();

    const seenByWriters = await Promise.all(
      ids.map(async (id) => {
        await writer.db.executeOptimizedQuery(`UPDATE ${schema}.items SET v = v + 1 WHERE id = $1`, [id]);
        return (await read(writer, id)).rows[0].v;
      }),
    );

    expect(seenByWriters).toEqual(ids.map(() => 1));
    const { bumps: after, outages } = writer.get(ResultCacheService).stats();
    // Through Redis, not applied locally after a failed bump.
    expect(outages).toBe(outagesBefore);
    const sent = after.sent - before.sent;
    const joined = after.joined - before.joined;
    // Every write went to Redis, alone or with others, and some went together.
    expect(sent + joined).toBe(ROWS);
    expect(joined).toBeGreaterThan(0);
    await waitFor(async () => (await Promise.all(ids.map((id) => read(other, id)))).every((result) => result.rows[0].v === 1), {
      what: "every write seen by the other instance's cache",
    });
  });
});
