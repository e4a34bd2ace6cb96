import type { Pool, PoolClient } from 'pg';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import type { ManagedPool } from '../src/lib/pool/managed-pool';
import { sql, startInstance, TestInstance } from './support/test-module';

type WireClient = PoolClient & { pipeline: boolean; connection: { stream: Record<'_writev' | '_write', (...args: unknown[]) => unknown> } };

const pgPoolOf = (pool: ManagedPool): Pool => (pool as unknown as { pool: Pool }).pool;

/** Every idle connection of the pool, in pg's ordinary mode: nothing left in pipeline mode or checked out. */
function expectAllBack(pool: ManagedPool): void {
  expect(pool.busyCount).toBe(0);
  const idle = (pgPoolOf(pool) as unknown as { _idle: Array<{ client: WireClient }> })._idle;
  expect(idle.length).toBeGreaterThan(0);
  for (const { client } of idle) expect(client.pipeline).toBe(false);
}

describe('multiplexReads: plain reads share connections in pipeline mode', () => {
  const env = testEnv();
  let instance: TestInstance;
  let replica: ManagedPool;
  /** Socket writes to the replica since the last reset, over every connection of its pool. */
  let socketWrites = 0;

  beforeAll(async () => {
    instance = await startInstance({
      primaryUrl: env.primaryUrl,
      readReplicaUrls: [env.readReplicaUrl],
      readReplicaPool: { min: 16, max: 16 },
      multiplexReads: 8,
      // Its EXPLAINs of slow first runs would write to the replica's sockets too.
      autoExplainSlowQueries: false,
    });
    replica = instance.get(PoolManagerService).readReplicas[0];
    // Watch every connection the replica pool holds (min = max: it opens no others).
    const pool = pgPoolOf(replica);
    const clients = (await Promise.all(Array.from({ length: 16 }, () => pool.connect()))) as WireClient[];
    for (const client of clients) {
      const stream = client.connection.stream;
      for (const method of ['_writev', '_write'] as const) {
        const original = stream[method].bind(stream);
        stream[method] = (...args: unknown[]) => {
          socketWrites++;
          return original(...args);
        };
      }
      client.release();
    }
  });

  afterAll(async () => {
    await instance?.close();
  });

  const readPid = (n: number) => instance.db.executeOptimizedQuery<{ n: number; pid: number }>('SELECT $1::int AS n, pg_backend_pid() AS pid', [n]);

  it('sends 16 reads of one turn on 2 connections, in one socket write each, and answers each with its own rows', async () => {
    // Twice first, so the text is prepared where it runs.
    await Promise.all(Array.from({ length: 16 }, (_, n) => readPid(n)));
    socketWrites = 0;

    const results = await Promise.all(Array.from({ length: 16 }, (_, n) => readPid(n)));

    expect(results.map(({ rows }) => rows[0].n)).toEqual(Array.from({ length: 16 }, (_, n) => n));
    expect(new Set(results.map(({ rows }) => rows[0].pid)).size).toBe(2);
    expect(socketWrites).toBe(2);
    expect(results.every(({ metadata }) => metadata.poolUsed === 'read_replica' && metadata.preparedStatement)).toBe(true);
    expectAllBack(replica);
  });

  it('shares connections for the routing pool (rows as arrays) too', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => instance.db.pool.query('SELECT $1::int AS n, pg_backend_pid() AS pid', [n])));

    expect(results.map((result) => result.rows[0])).toEqual(Array.from({ length: 8 }, (_, n) => ({ n, pid: results[0].rows[0].pid })));
    expectAllBack(replica);
  });

  it('fails only the read that failed; the others on its connection answer', async () => {
    const divide = (by: number) => instance.db.executeOptimizedQuery<{ q: number }>('SELECT 60 / $1::int AS q', [by]);

    const settled = await Promise.allSettled([divide(1), divide(2), divide(0), divide(3), divide(4)]);

    expect(settled[2]).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
    expect(settled.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => (outcome as PromiseFulfilledResult<{ rows: Array<{ q: number }> }>).value.rows[0].q)).toEqual([
      60, 30, 20, 15,
    ]);
    expectAllBack(replica);
  });

  it('keeps a connection of its own for a read with a timeout, a write and a text of several statements', async () => {
    const shared = Array.from({ length: 8 }, (_, n) => readPid(n));
    const timed = instance.db.executeOptimizedQuery<{ pid: number }>('SELECT pg_backend_pid() AS pid, $1::int AS n', [1], { timeoutMs: 5000 });
    const several = instance.db.executeOptimizedQuery<{ pid: number }>('SELECT 1; SELECT pg_backend_pid() AS pid', [], { forcePrimary: false });

    const sharedPids = new Set((await Promise.all(shared)).map(({ rows }) => rows[0].pid));
    expect(sharedPids.size).toBe(1);
    expect(sharedPids.has((await timed).rows[0].pid)).toBe(false);
    expect(sharedPids.has((await several).rows[0].pid)).toBe(false);
    expectAllBack(replica);
  });

  it('retries every read of a connection killed under them, elsewhere, and closes it', async () => {
    const slow = (n: number) =>
      instance.db.executeOptimizedQuery<{ n: number; total: string }>('SELECT $1::int AS n, count(*) AS total FROM generate_series(1, 2000000) s', [n]);
    const reads = [slow(1), slow(2), slow(3)];
    // The three share one backend on the replica: terminate it while they run.
    const [{ pid }] = await waitFor(
      async () => {
        const found = await sql<{ pid: number }>(env.readReplicaUrl, "SELECT pid FROM pg_stat_activity WHERE query LIKE '%generate_series(1, 2000000)%' AND pid <> pg_backend_pid() AND state = 'active'");
        return found.length > 0 ? found : undefined;
      },
      { what: 'the shared reads running on the replica' },
    );
    // One connection carries the three: the pool has one checked out, not three.
    expect(replica.busyCount).toBe(1);
    await sql(env.readReplicaUrl, 'SELECT pg_terminate_backend($1)', [pid]);

    const results = await Promise.all(reads);

    expect(results.map(({ rows }) => rows[0])).toEqual([1, 2, 3].map((n) => ({ n, total: '2000000' })));
    expectAllBack(replica);
    expect(replica.totalCount).toBeLessThanOrEqual(16);
  });

  it("runs reads unshared on connections with pg's query_timeout", async () => {
    const timed = await startInstance({
      primaryUrl: env.primaryUrl,
      readReplicaUrls: [env.readReplicaUrl],
      readReplicaPool: { min: 4, max: 4 },
      multiplexReads: 8,
      poolConfig: { query_timeout: 5000 },
    });
    try {
      const results = await Promise.all(Array.from({ length: 4 }, (_, n) => timed.db.executeOptimizedQuery<{ n: number; pid: number }>('SELECT $1::int AS n, pg_backend_pid() AS pid', [n])));

      expect(results.map(({ rows }) => rows[0].n)).toEqual([0, 1, 2, 3]);
      expect(new Set(results.map(({ rows }) => rows[0].pid)).size).toBe(4);
      expectAllBack(timed.get(PoolManagerService).readReplicas[0]);
    } finally {
      await timed.close();
    }
  });
});
