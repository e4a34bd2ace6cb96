import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { backendPid, pgPoolOf } from './support/pool-probes';
import { startInstance } from './support/test-module';

/**
 * A warm checkout takes an idle client without going through pg-pool's `connect()` (no
 * promise hop, no timer per checkout), and must leave the pool exactly as pg-pool's own
 * hand-over would. (Clients the pool keeps between checkouts: `kept-clients.spec.ts`.)
 */
describe('ManagedPool warm checkout', () => {
  const env = testEnv();

  it("takes a client from pg-pool's idle list without connect(), and its idle timer no longer closes it in use", async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 0, max: 2 }, idleTimeoutMs: 1000 });
    try {
      const pool = instance.get(PoolManagerService).primary;
      const pg = pgPoolOf(pool);
      const first = await pool.acquire();
      const pid = await backendPid(first);
      pool.release(first);
      // Kept by the pool first; unused, it goes back to pg-pool's idle list after a sweep or two, with pg-pool's idle timer.
      await waitFor(() => pg.idleCount === 1 || undefined, { what: 'the client back in pg-pool', timeoutMs: 5000 });
      const connect = jest.spyOn(pg, 'connect');

      const again = await pool.acquire();
      expect(again).toBe(first);
      expect(connect).not.toHaveBeenCalled();
      expect([pg.totalCount, pg.idleCount, pg.waitingCount, pool.busyCount]).toEqual([1, 0, 0, 1]);
      // Held past the idle timeout it had while idle: that timer must not close a client in use.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await backendPid(again)).toBe(pid);
      pool.release(again);
      expect(() => pool.release(again)).toThrow(/released twice/);
      expect([pool.stats().total, pool.stats().idle, pool.busyCount]).toEqual([1, 1, 0]);
    } finally {
      await instance.close();
    }
  });

  it('tells its listeners which checkouts the hot path took: acquireIdle() yes, acquire() and withClient() no', async () => {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 2 } });
    try {
      const pool = instance.get(PoolManagerService).primary;
      let heard: [number, boolean] | undefined;
      const stop = pool.addAcquisitionListener((_, durationMs, hotPath) => (heard = [durationMs, hotPath]));
      // Each idle checkout books itself synchronously, so what is heard right after the call is this
      // checkout's, whatever the module's own jobs check out in between.
      const heardFrom = <T>(checkout: () => T): [T, [number, boolean] | undefined] => {
        heard = undefined;
        const result = checkout();
        return [result, heard];
      };
      const [warm, byAcquire] = heardFrom(() => pool.acquire());
      pool.release(await warm);
      const [idle, byIdle] = heardFrom(() => pool.acquireIdle());
      pool.release(idle!);
      const [job, byJob] = heardFrom(() => pool.withClient((client) => client.query('SELECT 1')));
      await job;
      stop();
      // Jobs and transactions check out through acquire(): the metrics time those into their own slot.
      expect([byAcquire, byIdle, byJob]).toEqual([
        [0, false],
        [0, true],
        [0, false],
      ]);
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
