import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance } from './support/test-module';

// A SELECT that calls a VOLATILE function may write: it must count as a write
// everywhere, not only in executeOptimizedQuery.
describe('writes made through a volatile function', () => {
  const env = testEnv();
  const schema = uniqueSchema('volatile_writes');
  let instance: TestInstance;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.stock (id int PRIMARY KEY, qty int NOT NULL)`);
    await sql(env.primaryUrl, `INSERT INTO ${schema}.stock VALUES (1, 0)`);
    await sql(
      env.primaryUrl,
      `CREATE FUNCTION ${schema}.bump(k int) RETURNS int VOLATILE LANGUAGE plpgsql AS $$
         BEGIN UPDATE ${schema}.stock SET qty = qty + 1 WHERE id = k; RETURN k; END $$`,
    );
    await waitFor(async () => (await sql<{ n: number }>(env.readReplicaUrl, `SELECT count(*)::int AS n FROM ${schema}.stock`).catch(() => [{ n: 0 }]))[0].n === 1, {
      what: 'replication',
    });
    instance = await startInstance({ primaryUrl: env.primaryUrl, readReplicaUrls: [env.readReplicaUrl], enableCache: true });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  const read = () => instance.db.executeOptimizedQuery<{ qty: number }>(`SELECT qty FROM ${schema}.stock WHERE id = $1`, [1], { sessionKey: 'clerk' });

  it('inside a transaction: invalidates the cache at commit and returns a token', async () => {
    const before = (await read()).rows[0].qty;
    expect((await read()).metadata.cached).toBe('memory');
    const { metadata } = await instance.db.executeTransactionOptimized([[`SELECT ${schema}.bump($1)`, [1]]], { sessionKey: 'clerk' });
    expect(metadata.consistencyToken).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    const after = await read();
    expect(after.metadata.cached).toBe(false);
    expect(after.rows[0].qty).toBe(before + 1);
  });

  it('in a batch: runs alone, and the read after it sees its write', async () => {
    const before = (await sql<{ qty: number }>(env.primaryUrl, `SELECT qty FROM ${schema}.stock WHERE id = 1`))[0].qty;
    const results = await instance.db.executeBatchOptimized([
      [`SELECT ${schema}.bump($1)`, [1]],
      [`SELECT qty FROM ${schema}.stock WHERE id = $1`, [1]],
    ]);
    expect(results[1].rows).toEqual([{ qty: before + 1 }]);
  });
});
