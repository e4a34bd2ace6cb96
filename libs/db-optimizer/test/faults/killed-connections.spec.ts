import { PoolManagerService } from '../../src/lib/pool/pool-manager.service';
import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance } from '../support/test-module';

describe('connections killed by the server (pg_terminate_backend)', () => {
  const env = testEnv();
  const schema = uniqueSchema('kills');
  // Our connections only: other test files share this server.
  const applicationName = `kills_${process.pid}`;
  let instance: TestInstance;

  /** Waits until `count` of our statements run, then kills their connections. */
  const killActive = async (count: number): Promise<void> => {
    await waitFor(
      async () =>
        (await sql<{ n: number }>(env.primaryUrl, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`, [applicationName]))[0]
          .n >= count,
      { what: 'the statements to run' },
    );
    await sql(env.primaryUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`, [applicationName]);
  };

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.counters (id int PRIMARY KEY, n int)`);
    await sql(env.primaryUrl, `INSERT INTO ${schema}.counters VALUES (1, 0)`);
    instance = await startInstance({ primaryUrl: env.primaryUrl, applicationName, primaryPool: { min: 4, max: 8 } });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('costs no read: each killed read runs again on another connection', async () => {
    const reads = Array.from({ length: 4 }, (_, i) =>
      instance.db.executeOptimizedQuery<{ n: number }>('SELECT $1::int AS n FROM pg_sleep(0.5)', [i]),
    );
    await killActive(4);
    const results = await Promise.all(reads);
    expect(results.map(({ rows }) => rows[0].n)).toEqual([0, 1, 2, 3]);
    // Every client went back or was closed: none is left checked out.
    await waitFor(() => instance.get(PoolManagerService).primary.busyCount === 0, { what: 'clients to come back' });
  });

  it('costs a write its statement and never runs it twice', async () => {
    const write = instance.db.executeOptimizedQuery(
      `UPDATE ${schema}.counters SET n = n + 1 FROM (SELECT pg_sleep(0.5)) AS pause WHERE id = $1 RETURNING n`,
      [1],
    );
    const outcome = write.then(() => undefined, (error: unknown) => error);
    await killActive(1);
    expect(await outcome).toMatchObject({ code: '57P01' });
    const [{ n }] = await sql<{ n: number }>(env.primaryUrl, `SELECT n FROM ${schema}.counters WHERE id = 1`);
    expect(n).toBe(0);
    // The next write finds a live connection.
    const next = await instance.db.executeOptimizedQuery<{ n: number }>(`UPDATE ${schema}.counters SET n = n + 1 WHERE id = $1 RETURNING n`, [1]);
    expect(next.rows[0].n).toBe(1);
  });
});
