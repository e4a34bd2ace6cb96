import type { PoolClient } from 'pg';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import type { ManagedPool } from '../src/lib/pool/managed-pool';
import { testEnv } from '@db-optimizer/cluster';
import { startInstance, TestInstance } from './support/test-module';

/**
 * Callers of a full pool wait in the module's own line (`CheckoutQueue`), not pg-pool's:
 * one timer for the whole line instead of one per caller, and a line that closes with the pool.
 * Whatever frees a client or a slot serves the first in line at once.
 */
describe('ManagedPool checkout line', () => {
  const env = testEnv();
  let instance: TestInstance | undefined;

  async function fullPool(max: number, acquireTimeoutMs = 5000): Promise<{ pool: ManagedPool; held: PoolClient[] }> {
    instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max }, acquireTimeoutMs, autoExplainSlowQueries: false });
    const pool = instance.get(PoolManagerService).primary;
    const held = await Promise.all(Array.from({ length: max }, () => pool.acquire()));
    return { pool, held };
  }

  const pidOf = async (client: PoolClient): Promise<number> => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

  afterEach(async () => {
    await instance?.close();
    instance = undefined;
  });

  it('makes no timer per waiting caller: 200 callers over a full pool share one', async () => {
    const { pool, held } = await fullPool(1);
    const timers = jest.spyOn(global, 'setTimeout');
    try {
      const waiting = Array.from({ length: 200 }, () => pool.acquire());
      expect(pool.waitingCount).toBe(200);
      expect(timers.mock.calls.length).toBeLessThanOrEqual(1);
      // Each one served in turn, as the client goes round the line.
      pool.release(held[0]);
      for (const turn of waiting) pool.release(await turn);
    } finally {
      timers.mockRestore();
    }
    expect([pool.waitingCount, pool.busyCount, pool.totalCount]).toEqual([0, 0, 1]);
  });

  it('fails callers in line as soon as the pool closes, saying so, instead of at their timeout', async () => {
    const { pool, held } = await fullPool(1, 60_000);
    const waiting = pool.acquire().catch((error: unknown) => error);
    const ended = pool.end();
    const error = await waiting;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Pool "primary" has been shut down/);
    expect(pool.waitingCount).toBe(0);
    pool.release(held[0]);
    await ended;
  });

  it('opens a connection for the first in line when a released client is closed instead of kept', async () => {
    const { pool, held } = await fullPool(2);
    const closedPid = await pidOf(held[0]);
    const first = pool.acquire();
    const second = pool.acquire();
    // Session state the next user must not inherit: closed, and its slot goes to the line.
    pool.release(held[0], undefined, true);
    const served = await first;
    expect(await pidOf(served)).not.toBe(closedPid);
    expect(pool.waitingCount).toBe(1);
    pool.release(served);
    pool.release(await second);
    pool.release(held[1]);
    expect([pool.waitingCount, pool.busyCount, pool.totalCount]).toEqual([0, 0, 2]);
  });

  it('serves the line from new connections when the limit grows', async () => {
    const { pool, held } = await fullPool(3);
    pool.release(held.pop()!);
    pool.release(held.pop()!);
    pool.setLimit(1);
    pool.trimIdle();
    const waiting = [pool.acquire(), pool.acquire()];
    expect(pool.waitingCount).toBe(2);
    pool.setLimit(3);
    const clients = await Promise.all(waiting);
    expect(new Set([held[0], ...clients]).size).toBe(3);
    expect(pool.waitingCount).toBe(0);
    for (const client of [...held, ...clients]) pool.release(client);
  });
});
