import { ResultCacheService } from '@db-optimizer/core';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { sql } from '../support/test-module';
import { cacheOptions, replicatedSchema } from './support/cache-fixture';

// The query calls a function that counts its executions with a sequence: declared
// IMMUTABLE (so the read is cacheable) but advancing `executions` each time it runs.
// Only the primary can advance a sequence, so this instance has no replicas.
describe('concurrent misses on one key', () => {
  const schema = uniqueSchema('rc_flight');
  const fixture = replicatedSchema(
    schema,
    `CREATE SEQUENCE executions;
       CREATE TABLE items (id int PRIMARY KEY, v int); INSERT INTO items VALUES (1, 7);
       CREATE FUNCTION counted(x int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$
       BEGIN PERFORM nextval('${schema}.executions'); PERFORM pg_sleep(0.2); RETURN x; END $$;`,
  );
  const app = fixture.bootInstance(() =>
    cacheOptions({ readReplicaUrls: [], analyticsReplicaUrl: undefined, primaryPool: { min: 1, max: 40 } }),
  );

  const executions = async (): Promise<number> =>
    Number((await sql<{ n: string }>(testEnv().primaryUrl, `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM ${schema}.executions`))[0].n);

  it('runs one database query, and every caller gets the rows', async () => {
    const cache = app.get(ResultCacheService);
    const before = { executions: await executions(), loads: cache.stats().loads, coalesced: cache.stats().coalesced };
    const results = await Promise.all(
      Array.from({ length: 30 }, () => app.db.executeOptimizedQuery<{ v: number }>(`SELECT ${schema}.counted(v) AS v FROM ${schema}.items WHERE id = $1`, [1])),
    );
    expect(results.map((result) => result.rows)).toEqual(Array(30).fill([{ v: 7 }]));
    expect(results.filter((result) => result.metadata.cached === false)).toHaveLength(1);
    expect(cache.stats().loads - before.loads).toBe(1);
    expect(cache.stats().coalesced - before.coalesced).toBe(29);
    expect((await executions()) - before.executions).toBe(1);
  });

  it('counts executions truly (control: uncached calls each run)', async () => {
    const before = await executions();
    await Promise.all(
      Array.from({ length: 3 }, () =>
        app.db.executeOptimizedQuery(`SELECT ${schema}.counted(v) AS v FROM ${schema}.items WHERE id = $1`, [1], { useCache: false }),
      ),
    );
    expect((await executions()) - before).toBe(3);
  });

  it('gives each caller its own copy of the rows', async () => {
    const read = () => app.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${schema}.items WHERE id = $1`, [1]);
    const [a, b] = await Promise.all([read(), read()]);
    a.rows[0].v = 999;
    expect(b.rows[0].v).toBe(7);
    // Memory hits: the first decodes the entry once, later ones copy the decoded rows.
    const firstHit = await read();
    firstHit.rows[0].v = 998;
    const secondHit = await read();
    secondHit.rows[0].v = 997;
    expect([firstHit.metadata.cached, secondHit.metadata.cached]).toEqual(['memory', 'memory']);
    expect((await read()).rows[0].v).toBe(7);
  });
});
