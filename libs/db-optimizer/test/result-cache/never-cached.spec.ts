import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import { levelOf, replicatedSchema } from './support/cache-fixture';

describe('reads that are never cached', () => {
  const schema = uniqueSchema('rc_never');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, 'CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items VALUES (1, 10), (2, 20)');
  const app = fixture.bootInstance();
  const stats = () => app.get(ResultCacheService).stats();

  it.each([
    ['SELECT now()', 'SELECT now() AS t', []],
    ['SELECT random()', 'SELECT random() AS r', []],
    ['clock_timestamp() in a table read', `SELECT v, clock_timestamp() AS t FROM ${'%T%'} WHERE id = $1`, [1]],
    ['a FOR UPDATE read', `SELECT v FROM ${'%T%'} WHERE id = $1 FOR UPDATE`, [1]],
  ])('does not cache %s', async (_name, text, params) => {
    const sql = text.replace('%T%', T);
    const loadsBefore = stats().loads;
    const first = await app.db.executeOptimizedQuery(sql, params);
    const second = await app.db.executeOptimizedQuery(sql, params);
    expect([levelOf(first), levelOf(second)]).toEqual([false, false]);
    expect(stats().loads).toBe(loadsBefore);
  });

  it('does not cache reads inside a transaction, nor serve them from the cache', async () => {
    const read = `SELECT v FROM ${T} WHERE id = $1`;
    await app.db.executeOptimizedQuery(read, [2]);
    expect(levelOf(await app.db.executeOptimizedQuery(read, [2]))).toBe('memory');
    const loadsBefore = stats().loads;
    const { result } = await app.db.executeTransactionOptimized(async (tx) => {
      await tx.query(`UPDATE ${T} SET v = 21 WHERE id = $1`, [2]);
      const inside = await tx.query<{ v: number }>(read, [2]);
      const other = await tx.query<{ v: number }>(read, [1]);
      return [inside.rows[0].v, other.rows[0].v];
    });
    // The transaction saw its own uncommitted write, not the cached row, and cached nothing.
    expect(result).toEqual([21, 10]);
    expect(stats().loads).toBe(loadsBefore);
    const after = await app.db.executeOptimizedQuery<{ v: number }>(read, [1]);
    expect(levelOf(after)).toBe(false);
  });

  it('runs a read with useCache: false against the database', async () => {
    const read = `SELECT v FROM ${T} WHERE id = $1`;
    await app.db.executeOptimizedQuery(read, [1]);
    expect(levelOf(await app.db.executeOptimizedQuery(read, [1], { useCache: false }))).toBe(false);
    expect(levelOf(await app.db.executeOptimizedQuery(read, [1]))).toBe('memory');
  });

  it('tells parameters of different types apart', async () => {
    const read = `SELECT $1::text AS t`;
    const asNumber = await app.db.executeOptimizedQuery<{ t: string }>(read, [1]);
    const asText = await app.db.executeOptimizedQuery<{ t: string }>(read, ['1']);
    expect(levelOf(asText)).toBe(false);
    expect([asNumber.rows[0].t, asText.rows[0].t]).toEqual(['1', '1']);
    expect(levelOf(await app.db.executeOptimizedQuery(read, ['1']))).toBe('memory');
  });
});
