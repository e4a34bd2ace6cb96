import type { Pool } from 'pg';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { testEnv } from '@db-optimizer/cluster';
import { startInstance } from './support/test-module';

/**
 * A warm checkout takes an idle client without going through pg-pool's `connect()` (no
 * promise hop, no timer per checkout), and must leave the pool exactly as pg-pool's own
 * hand-over would.
 */
describe('ManagedPool warm checkout', () => {
  const env = testEnv();

  it('hands over the most recently released client without pg-pool connect(), with its idle timer cleared', async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 0, max: 2 }, idleTimeoutMs: 200 });
    try {
      const pool = instance.get(PoolManagerService).primary;
      const pg = (pool as unknown as { pool: Pool }).pool;
      const first = await pool.acquire();
      const pid = (await first.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      pool.release(first);
      const connect = jest.spyOn(pg, 'connect');

      const again = await pool.acquire();
      expect(again).toBe(first);
      expect(connect).not.toHaveBeenCalled();
      expect([pg.totalCount, pg.idleCount, pg.waitingCount, pool.busyCount]).toEqual([1, 0, 0, 1]);
      // Held past the idle timeout it had while idle: that timer must not close a client in use.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await again.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid).toBe(pid);
      pool.release(again);
      expect(() => pool.release(again)).toThrow(/released twice/);
      expect([pg.totalCount, pg.idleCount]).toEqual([1, 1]);
    } finally {
      await instance.close();
    }
  });

  it("keeps a checked-out client's socket referenced under allowExitOnIdle, and leaves it alone without", async () => {
    /** Whether the client's socket keeps the process alive. */
    const holdsProcess = (client: unknown): boolean =>
      (client as { connection: { stream: { _handle: { hasRef(): boolean } } } }).connection.stream._handle.hasRef();
    for (const allowExitOnIdle of [true, false]) {
      const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 0, max: 1 }, poolConfig: { allowExitOnIdle } });
      try {
        const pool = instance.get(PoolManagerService).primary;
        const first = await pool.acquire();
        pool.release(first);
        // Idle: pg-pool lets the process exit on it only under allowExitOnIdle.
        expect(holdsProcess(first)).toBe(!allowExitOnIdle);

        const again = await pool.acquire();
        expect(again).toBe(first);
        expect(holdsProcess(again)).toBe(true);
        pool.release(again);
      } finally {
        await instance.close();
      }
    }
  });

  it('never lets a new caller overtake one already queued for a client', async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 1 } });
    try {
      const pool = instance.get(PoolManagerService).primary;
      const held = await pool.acquire();
      const order: string[] = [];
      const queued = pool.acquire().then((client) => {
        order.push('queued');
        return client;
      });
      // Let pg-pool queue it before the client comes back.
      await new Promise((resolve) => setImmediate(resolve));
      pool.release(held);
      const late = pool.acquire().then((client) => {
        order.push('late');
        return client;
      });
      pool.release(await queued);
      pool.release(await late);
      expect(order).toEqual(['queued', 'late']);
    } finally {
      await instance.close();
    }
  });

  it('hands an idle client over without a promise, and leaves every other case to acquire()', async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 1 } });
    try {
      const pool = instance.get(PoolManagerService).primary;
      const client = pool.acquireIdle();
      expect(client).toBeDefined();
      expect(client).not.toBeInstanceOf(Promise);
      expect(pool.busyCount).toBe(1);
      // None idle: nothing to hand over at once.
      expect(pool.acquireIdle()).toBeUndefined();
      const queued = pool.acquire();
      pool.release(client!);
      const next = await queued;
      expect(next).toBe(client);
      pool.release(next);
      expect(pool.acquireIdle()).toBe(client);
      pool.release(client!);
      void pool.end();
      expect(pool.acquireIdle()).toBeUndefined();
      await expect(pool.acquire()).rejects.toThrow(/has been shut down/);
    } finally {
      await instance.close();
    }
  });
});
