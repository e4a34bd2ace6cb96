import type { PoolClient } from 'pg';
import type { DbOptimizerOptions } from '@db-optimizer/core';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import type { ManagedPool } from '../src/lib/pool/managed-pool';
import { backendPid, pgPoolOf } from './support/pool-probes';
import { sql, startInstance, type TestInstance } from './support/test-module';

/**
 * A released client is kept by the pool for the next checkout (`KeptClients`), and goes back
 * to pg-pool once unused for a sweep. pg-pool's idle timeout, `maxUses`, `maxLifetimeSeconds`
 * and idle errors must work as they did when every client went back to pg-pool at once.
 */
describe('ManagedPool kept clients', () => {
  const env = testEnv();

  /** Runs `work` on an instance of the module on the test primary, and closes the instance whatever happens. */
  async function withInstance(
    options: Omit<DbOptimizerOptions, 'primaryUrl'>,
    work: (pools: PoolManagerService, instance: TestInstance) => Promise<void>,
  ): Promise<void> {
    const instance = await startInstance({ primaryUrl: env.primaryUrl, ...options });
    try {
      await work(instance.get(PoolManagerService), instance);
    } finally {
      await instance.close();
    }
  }

  /** Ends the client's backend from another connection, and waits until pg reports it on the client. */
  async function killBackend(client: PoolClient, pid: number): Promise<void> {
    const failed = new Promise((resolve) => client.once('error', resolve));
    await sql(env.primaryUrl, 'SELECT pg_terminate_backend($1)', [pid]);
    await failed;
  }

  /** The pool holds nothing of the dead connection, and its next checkout is a new, working one. */
  async function expectDeadConnectionGone(pool: ManagedPool, pid: number): Promise<void> {
    expect([pool.totalCount, pool.idleCount]).toEqual([0, 0]);
    const next = await pool.acquire();
    const nextPid = await backendPid(next);
    pool.release(next);
    expect(nextPid).not.toBe(pid);
  }

  it("keeps a released client for the next checkout: no trip through pg-pool's idle list per query", async () => {
    await withInstance({ primaryPool: { min: 1, max: 2 } }, async ({ primary: pool }, instance) => {
      const pg = pgPoolOf(pool);
      await instance.db.executeOptimizedQuery('SELECT 1', [], { forcePrimary: true });
      let trips = 0;
      const count = (): void => void trips++;
      pg.on('acquire', count);
      pg.on('release', count);
      for (let i = 0; i < 50; i++) await instance.db.executeOptimizedQuery('SELECT $1::int AS n', [i], { forcePrimary: true });
      // The lag monitor and the primary watch may check a connection out meanwhile: a few, never one per query.
      expect(trips).toBeLessThan(10);
      expect(pool.stats().acquisitions).toBeGreaterThanOrEqual(51);
    });
  });

  it("gives a client nobody uses back to pg-pool, whose idle timeout closes it; the pool's counts say idle meanwhile", async () => {
    await withInstance({ primaryPool: { min: 0, max: 2 }, idleTimeoutMs: 100 }, async ({ primary: pool }) => {
      const pg = pgPoolOf(pool);
      const clients = [await pool.acquire(), await pool.acquire()];
      for (const client of clients) pool.release(client);
      expect([pool.idleCount, pool.busyCount, pool.stats().idle]).toEqual([2, 0, 2]);
      await waitFor(() => pg.totalCount === 0 || undefined, { what: 'the idle connections to close', timeoutMs: 5000 });
      expect([pool.idleCount, pool.busyCount]).toEqual([0, 0]);
    });
  });

  it('closes a kept client whose connection the server ended, and serves the next caller on a new one', async () => {
    await withInstance({ primaryPool: { min: 0, max: 1 } }, async ({ primary: pool }) => {
      const client = await pool.acquire();
      const pid = await backendPid(client);
      pool.release(client);
      expect(pool.idleCount).toBe(1);
      await killBackend(client, pid);
      // Closed as the error came, as pg-pool closes an idle client: not left for the next caller or a sweep.
      await expectDeadConnectionGone(pool, pid);
    });
  });

  it('closes a client whose connection failed while checked out, though its caller released it without an error', async () => {
    await withInstance({ primaryPool: { min: 0, max: 1 } }, async ({ primary: pool }) => {
      const client = await pool.acquire();
      const pid = await backendPid(client);
      await killBackend(client, pid);
      // As after a commit whose WAL-position read failed: the caller has its answer and swallows the error.
      pool.release(client);
      await expectDeadConnectionGone(pool, pid);
    });
  });

  it('sends a client released to the wrong pool back to its own, never keeping it for the other server', async () => {
    await withInstance({ readReplicaUrls: [env.readReplicaUrl], primaryPool: { min: 0, max: 2 }, readReplicaPool: { min: 0, max: 2 } }, async (pools) => {
      const replica = pools.readReplicas[0];
      const fromPrimary = await pools.primary.acquire();
      const primaryIdle = pools.primary.idleCount;
      const replicaIdle = replica.idleCount;
      replica.release(fromPrimary);
      expect([pools.primary.idleCount, replica.idleCount]).toEqual([primaryIdle + 1, replicaIdle]);
      const fromReplica = await replica.acquire();
      expect((await fromReplica.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0].standby).toBe(true);
      replica.release(fromReplica);
    });
  });

  it('closes a connection after maxUsesPerConnection checkouts, kept or not', async () => {
    await withInstance({ primaryPool: { min: 0, max: 1 }, maxUsesPerConnection: 3 }, async ({ primary: pool }) => {
      const pids: number[] = [];
      for (let i = 0; i < 9; i++) {
        const client = await pool.acquire();
        pids.push(await backendPid(client));
        pool.release(client);
      }
      // The module's own checks (start-up, the primary watch) may have used a connection too: never more than 3 each.
      const uses = new Map<number, number>();
      for (const pid of pids) uses.set(pid, (uses.get(pid) ?? 0) + 1);
      expect(Math.max(...uses.values())).toBeLessThanOrEqual(3);
      expect(uses.size).toBeGreaterThanOrEqual(3);
      // Worn out is not "destroyed on release" (above the limit, in a transaction, holding session state).
      expect(pool.stats().destroyedOnRelease).toBe(0);
    });
  });

  it("never hands out a kept connection past pg's maxLifetimeSeconds", async () => {
    await withInstance({ primaryPool: { min: 0, max: 1 }, idleTimeoutMs: 60_000, poolConfig: { maxLifetimeSeconds: 1 } }, async ({ primary: pool }) => {
      const first = await pool.acquire();
      const pid = await backendPid(first);
      pool.release(first);
      // Kept meanwhile (a sweep hands it back after one to two seconds unused); either way it is past its lifetime.
      await new Promise((resolve) => setTimeout(resolve, 1300));
      const next = await pool.acquire();
      const nextPid = await backendPid(next);
      pool.release(next);
      expect(nextPid).not.toBe(pid);
    });
  });

  it("closes a connection past pg's maxLifetimeSeconds even when it never stops being used", async () => {
    await withInstance({ primaryPool: { min: 0, max: 1 }, poolConfig: { maxLifetimeSeconds: 1 } }, async ({ primary: pool }) => {
      const first = await pool.acquire();
      const pid = await backendPid(first);
      pool.release(first);
      // Busy all along: a kept client that never went back to pg-pool would never be closed.
      const other = await waitFor(
        async () => {
          const client = await pool.acquire();
          try {
            const current = await backendPid(client);
            return current !== pid ? current : undefined;
          } finally {
            pool.release(client);
          }
        },
        { what: 'a new connection after the old one expired', timeoutMs: 5000, intervalMs: 0 },
      );
      expect(other).not.toBe(pid);
    });
  });

  it("closes a connection that outlived pg's maxLifetimeSeconds while checked out when it comes back, instead of keeping it", async () => {
    await withInstance({ primaryPool: { min: 0, max: 1 }, poolConfig: { maxLifetimeSeconds: 1 } }, async ({ primary: pool }) => {
      const client = await pool.acquire();
      await new Promise((resolve) => setTimeout(resolve, 1300));
      pool.release(client);
      expect([pool.totalCount, pool.idleCount]).toEqual([0, 0]);
    });
  });
});
