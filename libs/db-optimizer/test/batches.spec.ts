import { BatchQueryError } from '@db-optimizer/core';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance, waitForReplay } from './support/test-module';

describe('#executeBatchOptimized', () => {
  const env = testEnv();
  const schema = uniqueSchema('batch');
  let instance: TestInstance;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.log (id serial PRIMARY KEY, label text NOT NULL UNIQUE)`);
    await waitForReplay(env.primaryUrl, [env.readReplicaUrl]);
    instance = await startInstance({
      primaryUrl: env.primaryUrl,
      readReplicaUrls: [env.readReplicaUrl],
      primaryPool: { min: 1, max: 8 },
      readReplicaPool: { min: 1, max: 8 },
    });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('returns results in input order', async () => {
    const results = await instance.db.executeBatchOptimized([['SELECT 1 AS n'], ['SELECT $1::int AS n', [2]], ['SELECT 3 AS n']]);
    expect(results.map((r) => r.rows[0])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('runs consecutive reads at the same time', async () => {
    // Each read sleeps, then counts the batch's reads active on the server: run in parallel, they see each other.
    const read = `SELECT pg_sleep(0.3), (SELECT count(*)::int FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%parallel_batch_marker%' AND pid <> pg_backend_pid()) AS others /* parallel_batch_marker */`;
    const results = await instance.db.executeBatchOptimized(Array.from({ length: 4 }, () => [read] as const));
    expect(Math.max(...results.map((r) => (r.rows[0] as { others: number }).others))).toBeGreaterThanOrEqual(1);
  });

  it('runs writes one after another in the given order, and later reads see them', async () => {
    const labels = ['w1', 'w2', 'w3', 'w4'];
    const results = await instance.db.executeBatchOptimized([
      ...labels.map((label) => [`INSERT INTO ${schema}.log (label) VALUES ($1)`, [label]] as const),
      [`SELECT label FROM ${schema}.log WHERE label LIKE 'w%' ORDER BY id`],
    ]);
    expect(results[4].rows.map((r) => (r as { label: string }).label)).toEqual(labels);
  });

  it('names the index of the statement that failed', async () => {
    const failure = instance.db.executeBatchOptimized([
      ['SELECT 1'],
      [`INSERT INTO ${schema}.log (label) VALUES ($1)`, ['x1']],
      ['SELECT * FROM missing_table_in_batch'],
    ]);
    await expect(failure).rejects.toBeInstanceOf(BatchQueryError);
    await expect(failure).rejects.toMatchObject({ index: 2, code: '42P01' });
  });

  it('with atomic: true applies nothing when one statement fails', async () => {
    const failure = instance.db.executeBatchOptimized(
      [
        [`INSERT INTO ${schema}.log (label) VALUES ($1)`, ['a1']],
        [`INSERT INTO ${schema}.log (label) VALUES ($1)`, ['a2']],
        [`INSERT INTO ${schema}.log (label) VALUES ($1)`, ['a1']],
      ],
      { atomic: true },
    );
    await expect(failure).rejects.toMatchObject({ index: 2, code: '23505' });
    const rows = await sql(env.primaryUrl, `SELECT label FROM ${schema}.log WHERE label IN ('a1', 'a2')`);
    expect(rows).toEqual([]);
  });

  it('with atomic: true commits everything on the primary', async () => {
    const results = await instance.db.executeBatchOptimized(
      [[`INSERT INTO ${schema}.log (label) VALUES ($1)`, ['b1']], [`SELECT count(*)::int AS n FROM ${schema}.log WHERE label = 'b1'`]],
      { atomic: true },
    );
    expect(results[1].rows).toEqual([{ n: 1 }]);
    expect(results[1].metadata.poolUsed).toBe('primary');
  });
});
