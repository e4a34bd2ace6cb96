import { LocalCluster, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance } from './support/test-module';

describe('the primary restarted under the module', () => {
  let cluster: LocalCluster;
  let instance: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    await sql(cluster.primary.url, 'CREATE TABLE counters (id int PRIMARY KEY, n int)');
    await sql(cluster.primary.url, 'INSERT INTO counters VALUES (1, 0)');
    instance = await startInstance({ primaryUrl: cluster.primary.url, acquireTimeoutMs: 1000, primaryPool: { min: 2, max: 4 } });
  });

  afterAll(async () => {
    await instance?.close();
    await cluster?.stop();
  });

  it('does not crash, fails clearly while it is down, and works after', async () => {
    const bump = () => instance.db.executeOptimizedQuery('UPDATE counters SET n = n + 1 WHERE id = $1 RETURNING n', [1]);
    await bump();
    await cluster.primary.stop();
    // Idle connections just died: their errors must not reach the process as an unhandled 'error'.
    await expect(bump()).rejects.toThrow(/Could not connect to pool "primary"|Connection terminated|terminating connection|ECONNREFUSED/);
    await cluster.primary.start();
    const after = await waitFor(() => bump(), { what: 'the primary to accept writes again' });
    expect(after.rows[0]).toMatchObject({ n: expect.any(Number) });
    const [{ n }] = await sql<{ n: number }>(cluster.primary.url, 'SELECT n FROM counters WHERE id = 1');
    expect(n).toBe(after.rows[0].n);
  });
});
