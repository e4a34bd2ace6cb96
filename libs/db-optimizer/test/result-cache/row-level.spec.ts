import { ResultCacheService } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import { levelOf, replicatedSchema } from './support/cache-fixture';

describe('row-level invalidation', () => {
  const schema = uniqueSchema('rc_rows');
  const T = `${schema}.items`;
  const fixture = replicatedSchema(schema, 'CREATE TABLE items (id int PRIMARY KEY, v text, grp int); INSERT INTO items SELECT g, $$v$$ || g, g % 3 FROM generate_series(1, 20) g');
  const app = fixture.bootInstance();

  const byId = (id: number) => app.db.executeOptimizedQuery<{ v: string }>(`SELECT v FROM ${T} WHERE id = $1`, [id]);
  const count = () => app.db.executeOptimizedQuery<{ n: string }>(`SELECT count(*) AS n FROM ${T} WHERE v LIKE 'v%'`);

  async function warm(): Promise<void> {
    for (let pass = 0; pass < 2; pass++) await Promise.all([byId(5), byId(6), count()]);
    expect(levelOf(await byId(5))).toBe('memory');
    expect(levelOf(await byId(6))).toBe('memory');
    expect(levelOf(await count())).toBe('memory');
  }

  it('drops the written row and whole-table reads, and keeps the other rows', async () => {
    await warm();
    await app.db.executeOptimizedQuery(`UPDATE ${T} SET v = 'x5' WHERE id = $1`, [5]);
    const six = await byId(6);
    expect(levelOf(six)).toBe('memory');
    const five = await byId(5);
    expect(levelOf(five)).toBe(false);
    expect(five.rows).toEqual([{ v: 'x5' }]);
    const counted = await count();
    expect(levelOf(counted)).toBe(false);
    expect(counted.rows).toEqual([{ n: '19' }]);
    expect(app.get(ResultCacheService).stats().redis).toBe('up');
  });

  it('drops every entry of the table for an UPDATE that changes the key', async () => {
    await warm();
    await app.db.executeOptimizedQuery(`UPDATE ${T} SET id = 50 WHERE id = $1`, [7]);
    expect(levelOf(await byId(6))).toBe(false);
    expect(levelOf(await byId(5))).toBe(false);
  });

  it('drops every entry of the table for an UPDATE by another column', async () => {
    await warm();
    await app.db.executeOptimizedQuery(`UPDATE ${T} SET v = v || '!' WHERE grp = $1`, [2]);
    const five = await byId(5);
    expect(levelOf(five)).toBe(false);
    expect(five.rows).toEqual([{ v: 'x5!' }]);
    expect(levelOf(await byId(6))).toBe(false);
  });

  it('drops a cached empty answer when the row is inserted', async () => {
    const missing = () => app.db.executeOptimizedQuery<{ v: string }>(`SELECT v FROM ${T} WHERE id = $1`, [99]);
    await missing();
    expect(levelOf(await missing())).toBe('memory');
    await app.db.executeOptimizedQuery(`INSERT INTO ${T} (id, v, grp) VALUES ($1, $2, 0)`, [99, 'new']);
    const found = await missing();
    expect(levelOf(found)).toBe(false);
    expect(found.rows).toEqual([{ v: 'new' }]);
  });
});
