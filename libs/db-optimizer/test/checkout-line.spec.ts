import type { PoolClient } from 'pg';
import { PoolExhaustedError } from '@db-optimizer/core';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import type { ManagedPool } from '../src/lib/pool/managed-pool';
import type { PgPoolConfig } from '../src/lib/options/db-optimizer-options.interface';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { startInstance, TestInstance } from './support/test-module';

/**
 * Callers of a full pool wait in the module's own line (`CheckoutQueue`), not pg-pool's:
 * one timer for the whole line instead of one per caller, and a line that closes with the pool.
 * Whatever frees a client or a slot (a release, a closed client, a raised limit, a connection
 * that failed to open) serves the first in line at once.
 */
describe('ManagedPool checkout line', () => {
  const env = testEnv();
  let instance: TestInstance | undefined;

  async function fullPool(max: number, acquireTimeoutMs = 5000, poolConfig?: PgPoolConfig): Promise<{ pool: ManagedPool; held: PoolClient[] }> {
    instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max }, acquireTimeoutMs, autoExplainSlowQueries: false, poolConfig });
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
    // Far longer than the test takes: pg-pool's queue failed them only at this timeout, as exhausted.
    const { pool, held } = await fullPool(1, 20_000);
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
    expect(served).not.toBe(held[0]);
    expect(await pidOf(served)).not.toBe(closedPid);
    expect([pool.waitingCount, pool.totalCount]).toEqual([1, 2]);
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
    expect(pool.totalCount).toBe(1);
    pool.setLimit(3);
    const clients = await Promise.all(waiting);
    expect(new Set([held[0], ...clients]).size).toBe(3);
    expect([pool.waitingCount, pool.totalCount, pool.busyCount]).toEqual([0, 3, 3]);
    for (const client of [...held, ...clients]) pool.release(client);
  });

  it('gives the slot of a connection that failed to open to the next in line', async () => {
    let refuseNext = false;
    const onConnect = async (): Promise<void> => {
      if (!refuseNext) return;
      refuseNext = false;
      throw new Error('refused by the test');
    };
    const { pool, held } = await fullPool(2, 20_000, { onConnect });
    const first = pool.acquire().catch((error: unknown) => error);
    const second = pool.acquire();
    refuseNext = true;
    pool.release(held[0], undefined, true);
    expect(await first).toMatchObject({ name: 'DatabaseUnavailableError' });
    // Served while the other client is still held: the failed connection's slot went to it.
    const served = await second;
    expect([pool.waitingCount, pool.totalCount, pool.busyCount]).toEqual([0, 2, 2]);
    pool.release(served);
    pool.release(held[1]);
  });

  it('fails the rest of the line at once when failed connections for it open the breaker', async () => {
    let refuse = false;
    const onConnect = async (): Promise<void> => {
      if (refuse) throw Object.assign(new Error('connect ECONNREFUSED (the test)'), { code: 'ECONNREFUSED' });
    };
    const { pool, held } = await fullPool(1, 20_000, { onConnect });
    const line = Array.from({ length: 5 }, () => pool.acquire().catch((error: unknown) => (error as Error).message));
    refuse = true;
    pool.release(held[0], undefined, true);
    const messages = await Promise.all(line);
    // One connection tried per caller until the third failure in a row (the default threshold) opened the breaker.
    expect(messages.slice(0, 3)).toEqual(Array(3).fill(expect.stringMatching(/^Could not connect to pool "primary"/)));
    expect(messages.slice(3)).toEqual(Array(2).fill(expect.stringMatching(/is unreachable since/)));
    expect([pool.circuit, pool.waitingCount, pool.totalCount]).toEqual(['open', 0, 0]);
  });

  it("keeps a caller's timeout while a connection opens for it, and gives the late connection to the pool", async () => {
    let slowNext = false;
    const onConnect = async (): Promise<void> => {
      if (!slowNext) return;
      slowNext = false;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    };
    const { pool, held } = await fullPool(1, 500, { onConnect });
    const waiting = pool.acquire().catch((error: unknown) => error);
    slowNext = true;
    // Its slot freed at once: a connection opens for the caller, slower than what is left of its 500 ms.
    pool.release(held[0], undefined, true);
    const error = await waiting;
    expect(error).toBeInstanceOf(PoolExhaustedError);
    // The connection that came too late is kept for the next caller, not leaked or left checked out.
    await waitFor(() => pool.idleCount === 1, { what: 'the late connection to go idle' });
    expect([pool.totalCount, pool.busyCount, pool.waitingCount]).toEqual([1, 0, 0]);
    pool.release(await pool.acquire());
  });
});
