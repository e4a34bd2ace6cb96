import { testEnv, waitFor } from '@db-optimizer/cluster';
import { sql } from '../support/test-module';
import { ResizeInstance, startResizeInstance } from './support/resize-test-module';

describe('pool resize: shrinking never closes a busy client', () => {
  const env = testEnv();
  let instance: ResizeInstance;
  let maxConnections: number;

  const backends = async (pids: number[]): Promise<Array<{ pid: number; state: string }>> =>
    sql(env.primaryUrl, 'SELECT pid, state FROM pg_stat_activity WHERE pid = ANY($1::int[]) ORDER BY pid', [pids]);

  beforeAll(async () => {
    maxConnections = Number((await sql<{ max_connections: string }>(env.primaryUrl, 'SHOW max_connections'))[0].max_connections);
    // Runs only when the test calls runOnce(), and the budget (1) is below the 3 queries the test keeps busy.
    instance = await startResizeInstance({
      primaryUrl: env.primaryUrl,
      primaryPool: { min: 1, max: 5 },
      poolResizeIntervalMs: 0,
      reservedConnections: maxConnections - 1,
      applicationName: `resize-busy-${process.pid}`,
    });
  });

  afterAll(() => instance?.close());

  it('lets queries running above a lowered limit finish, and closes their clients only once released', async () => {
    const pool = instance.pools.primary;
    const pids: number[] = [];
    const queries = [1, 2, 3].map(() =>
      pool.withClient(async (client) => {
        pids.push((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
        return (await client.query<{ done: boolean }>('SELECT true AS done FROM pg_sleep(1.5)')).rows[0];
      }),
    );
    await waitFor(() => pids.length === 3, { what: 'three busy clients' });

    const [decision] = await instance.job.runOnce();
    expect(decision).toMatchObject({ action: 'shrink', previousLimit: 5, newLimit: 1, budgetCapped: true });
    expect(pool.limit).toBe(1);
    // The three busy clients stay open: only the idle one used to read max_connections was closed.
    expect(pool.busyCount).toBe(3);
    expect(pool.totalCount).toBe(3);
    expect((await backends(pids)).map((b) => b.state)).toEqual(['active', 'active', 'active']);

    await expect(Promise.all(queries)).resolves.toEqual([{ done: true }, { done: true }, { done: true }]);
    // Released above the limit, two of them were closed on the way back; one stays as the pool's only client.
    expect(pool.totalCount).toBe(1);
    expect(pool.stats().destroyedOnRelease).toBeGreaterThanOrEqual(2);
    await waitFor(async () => (await backends(pids)).length === 1, { what: 'the two surplus backends to exit' });
  });
});
