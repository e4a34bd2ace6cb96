import { QueryOptimizerService } from '@db-optimizer/core';
import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { serverOf, sql, startInstance, TestInstance } from './support/test-module';

describe('routing (against the real primary and standbys)', () => {
  const env = testEnv();
  const schema = uniqueSchema('routing');
  const primary = serverOf(env.primaryUrl);
  const readReplica = serverOf(env.readReplicaUrl);
  const analytics = serverOf(env.analyticsUrl);
  let instance: TestInstance;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.items (id serial PRIMARY KEY, kind text, qty int)`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.kinds (kind text PRIMARY KEY)`);
    await sql(env.primaryUrl, `CREATE SEQUENCE ${schema}.seq`);
    await sql(env.primaryUrl, `INSERT INTO ${schema}.items (kind, qty) SELECT 'k' || (g % 3), g FROM generate_series(1, 30) g`);
    await sql(env.primaryUrl, `CREATE FUNCTION ${schema}.bump() RETURNS int VOLATILE LANGUAGE sql AS 'SELECT 1'`);
    for (const url of [env.readReplicaUrl, env.analyticsUrl]) {
      await waitFor(async () => (await sql(url, `SELECT count(*)::int AS n FROM ${schema}.items`))[0].n === 30, { what: 'replication' });
    }
    instance = await startInstance({
      primaryUrl: env.primaryUrl,
      readReplicaUrls: [env.readReplicaUrl],
      analyticsReplicaUrl: env.analyticsUrl,
      primaryPool: { min: 1, max: 5 },
      readReplicaPool: { min: 1, max: 5 },
      analyticsPool: { min: 1, max: 5 },
    });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('sends a plain SELECT to the read replica', async () => {
    const { rows, metadata } = await instance.db.executeOptimizedQuery(`SELECT qty FROM ${schema}.items WHERE id = $1`, [3]);
    expect(rows).toEqual([{ qty: 3 }]);
    expect(metadata).toMatchObject({ server: readReplica, poolUsed: 'read_replica', queryType: 'READ' });
  });

  it.each([
    ['GROUP BY', `SELECT kind, sum(qty) FROM ${schema}.items GROUP BY kind`],
    ['a window function', `SELECT id, rank() OVER (PARTITION BY kind ORDER BY qty) FROM ${schema}.items`],
  ])('sends %s to the analytics replica', async (_name, text) => {
    const { metadata } = await instance.db.executeOptimizedQuery(text);
    expect(metadata).toMatchObject({ server: analytics, poolUsed: 'analytics', queryType: 'ANALYTICAL' });
  });

  it.each([
    ['INSERT', `INSERT INTO ${schema}.items (kind, qty) VALUES ($1, $2)`, ['x', 1]],
    ['UPDATE', `UPDATE ${schema}.items SET qty = qty + 1 WHERE id = $1`, [1]],
    ['DELETE', `DELETE FROM ${schema}.items WHERE id = $1`, [30]],
    ['DDL', `CREATE TABLE ${schema}.made_by_ddl (id int)`, []],
    ['SELECT nextval(...)', `SELECT nextval('${schema}.seq')`, []],
    ['SELECT ... FOR UPDATE in a subquery', `SELECT * FROM (SELECT id FROM ${schema}.items WHERE id = $1 FOR UPDATE) locked`, [2]],
    ['a data-modifying CTE', `WITH moved AS (UPDATE ${schema}.items SET qty = 0 WHERE id = $1 RETURNING id) SELECT id FROM moved`, [4]],
    ['a volatile function defined in the test', `SELECT ${schema}.bump()`, []],
  ])('sends %s to the primary', async (_name, text, params) => {
    const { metadata } = await instance.db.executeOptimizedQuery(text, params as unknown[]);
    expect(metadata.server).toBe(primary);
    expect(metadata.poolUsed).toBe('primary');
  });

  it('sends unparseable SQL to the primary, which rejects it with its SQLSTATE', async () => {
    const optimizer = instance.get(QueryOptimizerService);
    expect(optimizer.classify('SELEC oops FROM nowhere').target).toBe('primary');
    await expect(instance.db.executeOptimizedQuery('SELEC oops FROM nowhere')).rejects.toMatchObject({ code: '42601' });
  });

  it('never sends a write to a standby: every write above landed on the primary', async () => {
    const [{ n }] = await sql<{ n: number }>(env.primaryUrl, `SELECT count(*)::int AS n FROM ${schema}.items WHERE kind = 'x'`);
    expect(n).toBe(1);
    const [{ exists }] = await sql<{ exists: boolean }>(env.primaryUrl, `SELECT to_regclass('${schema}.made_by_ddl') IS NOT NULL AS exists`);
    expect(exists).toBe(true);
  });

  it('sends everything to the primary when forced', async () => {
    const { metadata } = await instance.db.executeOptimizedQuery(`SELECT qty FROM ${schema}.items WHERE id = $1`, [3], { forcePrimary: true });
    expect(metadata.server).toBe(primary);
  });
});
