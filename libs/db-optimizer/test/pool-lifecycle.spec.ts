import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance } from './support/test-module';

describe('PoolManagerService lifecycle', () => {
  const env = testEnv();

  it('ends every pool exactly once at shutdown and refuses use afterwards', async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, readReplicaUrls: [env.readReplicaUrl], primaryPool: { min: 1, max: 2 } });
    const pools = instance.get(PoolManagerService);
    // The pg pools underneath: ending one twice would reject, so each must be ended once.
    const pgEnds = pools.pools.map((pool) => jest.spyOn((pool as unknown as { pool: { end(): Promise<void> } }).pool, 'end'));
    await instance.close();
    expect(pools.pools.every((pool) => pool.ended)).toBe(true);
    await expect(Promise.all(pools.pools.map((pool) => pool.end()))).resolves.toBeDefined();
    for (const end of pgEnds) expect(end).toHaveBeenCalledTimes(1);
    await expect(pools.primary.acquire()).rejects.toThrow(/Pool "primary" has been shut down/);
  });

  it('guards against releasing a client twice', async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 2 } });
    const pool = instance.get(PoolManagerService).primary;
    const client = await pool.acquire();
    pool.release(client);
    expect(() => pool.release(client)).toThrow(/released twice/);
    await instance.close();
  });

  it('survives the server killing a checked-out connection, and the pool recovers', async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 2 } });
    const pool = instance.get(PoolManagerService).primary;
    const client = await pool.acquire();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    // Without a listener on the checked-out client this 'error' event would crash the process.
    await sql(env.primaryUrl, 'SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    pool.release(client, new Error('Connection terminated'));
    const answer = await waitFor(() => instance.db.executeOptimizedQuery('SELECT 1 AS ok', [], { forcePrimary: true }).catch(() => undefined), {
      what: 'the pool to recover',
    });
    expect(answer.rows).toEqual([{ ok: 1 }]);
    // Nothing leaked: background checks (lag, role) may hold a client for a moment, never for good.
    await waitFor(() => pool.busyCount === 0 || undefined, { what: 'every client back in the pool' });
    await instance.close();
  });

  it('closes a client that would come back inside a transaction instead of reusing it', async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 2 } });
    const pool = instance.get(PoolManagerService).primary;
    const client = await pool.acquire();
    await client.query('BEGIN');
    const destroyedBefore = pool.stats().destroyedOnRelease;
    pool.release(client);
    expect(pool.stats().destroyedOnRelease).toBe(destroyedBefore + 1);
    const { rows } = await instance.db.executeOptimizedQuery<{ status: string }>("SELECT current_setting('transaction_isolation') AS status", [], {
      forcePrimary: true,
    });
    expect(rows).toHaveLength(1);
    await instance.close();
  });
});
