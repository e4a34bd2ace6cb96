import type { PoolClient } from 'pg';
import type { DbOptimizerOptions } from '@db-optimizer/core';
import { testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { ReadMultiplexer } from '../src/lib/execution/read-multiplexer';
import { StatementCacheService } from '../src/lib/statements/statement-cache.service';
import { expectPoolSettled, pgPoolOf } from './support/pool-probes';
import { watchSocketWrites } from './support/socket-writes';
import type { ManagedPool } from '../src/lib/pool/managed-pool';
import { sql, startInstance, TestInstance, waitForReplay } from './support/test-module';

type WireClient = PoolClient & { pipeline: boolean };


/** Every connection of the pool idle (in pg-pool's idle list or kept by the pool), in pg's ordinary mode: nothing left in pipeline mode. */
async function expectAllBack(pool: ManagedPool): Promise<void> {
  await expectPoolSettled(pool);
  const clients = (pgPoolOf(pool) as unknown as { _clients: WireClient[] })._clients;
  expect(clients.length).toBeGreaterThan(0);
  for (const client of clients) expect(client.pipeline).toBe(false);
}

describe('multiplexReads: plain reads share connections in pipeline mode', () => {
  const env = testEnv();
  let instance: TestInstance;
  let replica: ManagedPool;
  /** Socket writes to the replica, over every connection of its pool. */
  let socketWrites: ReturnType<typeof watchSocketWrites>;

  /**
   * An instance reading from the replica through a pool of `connections`, with `multiplexReads: 8`.
   * These tests are about sharing itself, slow reads included: any statement that has run once
   * counts as short (`sharedReadMaxMs`). Which statements share is `shared-read-gate.spec.ts`.
   */
  const startMultiplexed = (connections: number, options: Partial<DbOptimizerOptions>): Promise<TestInstance> =>
    startInstance({
      primaryUrl: env.primaryUrl,
      readReplicaUrls: [env.readReplicaUrl],
      readReplicaPool: { min: connections, max: connections },
      multiplexReads: 8,
      sharedReadMaxMs: 600_000,
      ...options,
    });

  beforeAll(async () => {
    instance = await startMultiplexed(16, {
      // Its EXPLAINs of slow first runs, and the lag monitor's checks, would use the replica's connections too.
      autoExplainSlowQueries: false,
      replicaLag: { checkIntervalMs: 600_000, maxMs: 600_000 },
    });
    replica = instance.get(PoolManagerService).readReplicas[0];
    // Watch every connection the replica pool holds (min = max: it opens no others).
    const clients = await Promise.all(Array.from({ length: 16 }, () => replica.acquire()));
    socketWrites = watchSocketWrites(clients);
    for (const client of clients) replica.release(client);
  });

  afterAll(async () => {
    await instance?.close();
  });

  /** A read on the replica that runs alone (nothing else in flight) until the test releases it. */
  function holdLoneRead(): { running: Promise<void>; release: () => Promise<void> } {
    let started!: () => void;
    let finish!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const done = instance.get(ReadMultiplexer).run(replica, async () => {
      started();
      await gate;
    });
    return {
      running,
      release: async () => {
        finish();
        await done;
      },
    };
  }

  const readPid = (n: number) => instance.db.executeOptimizedQuery<{ n: number; pid: number }>('SELECT $1::int AS n, pg_backend_pid() AS pid', [n]);

  it('sends the first of 16 reads of one turn alone, the other 15 on 2 connections in one socket write each, and answers each with its own rows', async () => {
    // Rounds first, so the text is prepared on every connection these reads take (prepared from its second use on one).
    await Promise.all(Array.from({ length: 16 }, (_, n) => readPid(n)));
    await Promise.all(Array.from({ length: 16 }, (_, n) => readPid(n)));
    socketWrites.reset();

    const before = instance.get(ReadMultiplexer).stats();
    const results = await Promise.all(Array.from({ length: 16 }, (_, n) => readPid(n)));

    expect(results.map(({ rows }) => rows[0].n)).toEqual(Array.from({ length: 16 }, (_, n) => n));
    const after = instance.get(ReadMultiplexer).stats();
    expect({ sharedReads: after.sharedReads - before.sharedReads, checkouts: after.checkouts - before.checkouts, socketWrites: after.socketWrites - before.socketWrites }).toEqual({
      sharedReads: 15,
      checkouts: 2,
      socketWrites: 2,
    });
    // The same counts on the module's Prometheus registry.
    const scraped = await instance.db.metricsRegistry.getSingleMetricAsString('db_optimizer_shared_reads_total');
    expect(scraped).toContain(`db_optimizer_shared_reads_total{event="read"} ${after.sharedReads}`);
    expect(scraped).toContain(`db_optimizer_shared_reads_total{event="socket_write"} ${after.socketWrites}`);
    // The first found nothing to share with: its own connection and socket write. Then 8 and 7 together.
    const pids = results.map(({ rows }) => rows[0].pid);
    expect(new Set(pids.slice(1)).size).toBe(2);
    expect(pids.slice(1)).not.toContain(pids[0]);
    expect(socketWrites.count).toBe(3);
    expect(results.every(({ metadata }) => metadata.poolUsed === 'read_replica' && metadata.preparedStatement)).toBe(true);
    await expectAllBack(replica);
  });

  it('runs a read that finds nothing in flight alone, in one socket write, without pipeline mode', async () => {
    await readPid(1);
    socketWrites.reset();
    const before = instance.get(ReadMultiplexer).stats();

    for (let n = 0; n < 5; n++) await readPid(n);

    const after = instance.get(ReadMultiplexer).stats();
    expect(after).toEqual(before);
    expect(socketWrites.count).toBe(5);
    await expectAllBack(replica);
  });

  it('shares connections for the routing pool (rows as arrays) too', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => instance.db.pool.query('SELECT $1::int AS n, pg_backend_pid() AS pid', [n])));

    // The first alone, the other seven on one connection.
    expect(results.map((result) => result.rows[0].n)).toEqual(Array.from({ length: 8 }, (_, n) => n));
    expect(new Set(results.slice(1).map((result) => result.rows[0].pid)).size).toBe(1);
    await expectAllBack(replica);
  });

  it('fails only the read that failed; the others on its connection answer', async () => {
    const divide = (by: number) => instance.db.executeOptimizedQuery<{ q: number }>('SELECT 60 / $1::int AS q', [by]);

    const settled = await Promise.allSettled([divide(1), divide(2), divide(0), divide(3), divide(4)]);

    expect(settled[2]).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
    expect(settled.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => (outcome as PromiseFulfilledResult<{ rows: Array<{ q: number }> }>).value.rows[0].q)).toEqual([
      60, 30, 20, 15,
    ]);
    await expectAllBack(replica);
  });

  it('keeps a connection of its own for a read with a timeout, a write and a text of several statements', async () => {
    const shared = Array.from({ length: 8 }, (_, n) => readPid(n));
    const timed = instance.db.executeOptimizedQuery<{ pid: number }>('SELECT pg_backend_pid() AS pid, $1::int AS n', [1], { timeoutMs: 5000 });
    const several = instance.db.executeOptimizedQuery<{ pid: number }>('SELECT 1; SELECT pg_backend_pid() AS pid', [], { forcePrimary: false });

    // The first of the eight found nothing in flight and ran alone; the other seven shared.
    const sharedPids = (await Promise.all(shared)).map(({ rows }) => rows[0].pid).slice(1);
    expect(new Set(sharedPids).size).toBe(1);
    expect(sharedPids).not.toContain((await timed).rows[0].pid);
    expect(sharedPids).not.toContain((await several).rows[0].pid);
    await expectAllBack(replica);
  });

  it('retries every read of a connection killed under them, elsewhere, and closes it', async () => {
    const slow = (n: number) =>
      instance.db.executeOptimizedQuery<{ n: number; total: string }>('SELECT $1::int AS n, count(*) AS total FROM generate_series(1, 2000000) s', [n]);
    // Run once first: a statement shares only once it has run on the instance.
    await slow(0);
    // A read the test holds runs alone, so the next three share one connection.
    const lone = holdLoneRead();
    await lone.running;
    const reads = [slow(1), slow(2), slow(3)];
    // The three share one backend on the replica: terminate it while they run.
    const [{ pid }] = await waitFor(
      async () => {
        const found = await sql<{ pid: number }>(env.readReplicaUrl, "SELECT pid FROM pg_stat_activity WHERE query LIKE '%generate_series(1, 2000000)%' AND pid <> pg_backend_pid() AND state = 'active'");
        return found.length > 0 ? found : undefined;
      },
      { what: 'the shared reads running on the replica' },
    );
    // One connection carries the three, another the held read: the pool has two checked out, not four.
    expect(replica.busyCount).toBe(2);
    await sql(env.readReplicaUrl, 'SELECT pg_terminate_backend($1)', [pid]);

    const results = await Promise.all(reads);
    await lone.release();

    expect(results.map(({ rows }) => rows[0])).toEqual([1, 2, 3].map((n) => ({ n, total: '2000000' })));
    await expectAllBack(replica);
    expect(replica.totalCount).toBeLessThanOrEqual(16);
  });

  it("runs reads unshared on connections with pg's query_timeout", async () => {
    const timed = await startMultiplexed(4, { poolConfig: { query_timeout: 5000 } });
    try {
      const read = (n: number) => timed.db.executeOptimizedQuery<{ n: number; pid: number }>('SELECT $1::int AS n, pg_backend_pid() AS pid', [n]);
      // Run once first, so that sharing is what the pool's clients refuse, not the statement's first run.
      await read(0);
      const results = await Promise.all(Array.from({ length: 4 }, (_, n) => read(n)));

      expect(results.map(({ rows }) => rows[0].n)).toEqual([0, 1, 2, 3]);
      expect(new Set(results.map(({ rows }) => rows[0].pid)).size).toBe(4);
      await expectAllBack(timed.get(PoolManagerService).readReplicas[0]);
    } finally {
      await timed.close();
    }
  });

  it('recovers once per statement when DDL invalidates it under several shared reads: every read answers', async () => {
    const schema = uniqueSchema('mux_ddl');
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.items (id int PRIMARY KEY, a int NOT NULL); INSERT INTO ${schema}.items SELECT g, g FROM generate_series(1, 8) g`);
    try {
      const read = (id: number) => instance.db.executeOptimizedQuery<{ id: number }>(`SELECT * FROM ${schema}.items WHERE id = $1`, [id]);
      const ids = Array.from({ length: 8 }, (_, n) => n + 1);
      await waitForReplay(env.primaryUrl, [env.readReplicaUrl]);
      await Promise.all(ids.map(read));
      await Promise.all(ids.map(read));
      // Each round changes the result type under the prepared statement (0A000 for every read in flight).
      for (let round = 0; round < 10; round++) {
        await sql(env.primaryUrl, round % 2 === 0 ? `ALTER TABLE ${schema}.items ADD COLUMN b int` : `ALTER TABLE ${schema}.items DROP COLUMN b`);
        await waitForReplay(env.primaryUrl, [env.readReplicaUrl]);

        const results = await Promise.all(ids.map(read));

        expect(results.map(({ rows }) => rows[0].id)).toEqual(ids);
        expect(Object.keys(results[0].rows[0]).includes('b')).toBe(round % 2 === 0);
      }
      await expectAllBack(replica);
    } finally {
      await sql(env.primaryUrl, `DROP SCHEMA ${schema} CASCADE`);
    }
  });

  it('fails only the read whose parameter pg cannot encode, and keeps the connection', async () => {
    const text = 'SELECT $1::text AS v, pg_backend_pid() AS pid';
    const read = (value: unknown) => instance.db.executeOptimizedQuery<{ v: string; pid: number }>(text, [value]);
    const unencodable = {
      toPostgres: () => {
        throw new Error('cannot encode this value');
      },
    };
    await Promise.all(['a', 'b'].map(read));

    const settled = await Promise.allSettled([read('x'), read(unencodable), read('y'), read('z')]);

    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { message: 'cannot encode this value' } });
    expect(settled.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => (outcome as PromiseFulfilledResult<{ rows: Array<{ v: string }> }>).value.rows[0].v)).toEqual([
      'x', 'y', 'z',
    ]);
    // While a read the test holds runs alone, the next reads take shared connections even one at a time.
    const lone = holdLoneRead();
    await lone.running;
    const multiplexer = instance.get(ReadMultiplexer);
    const { rows: before } = await read('before');
    const { connections, destroyed, sharedReads } = { connections: replica.totalCount, destroyed: replica.stats().destroyedOnRelease, sharedReads: multiplexer.stats().sharedReads };
    // Alone on its shared connection, the failed read settles before pg's answers to its Close and Sync: the connection waits for them and goes back.
    await expect(read(unencodable)).rejects.toThrow('cannot encode this value');
    expect(multiplexer.stats().sharedReads - sharedReads).toBe(1);
    await waitFor(() => replica.busyCount === 1, { what: 'the shared connection back in the pool' });
    expect(replica.totalCount).toBe(connections);
    expect(replica.stats().destroyedOnRelease).toBe(destroyed);
    expect((await read('after')).rows[0].pid).toBe(before[0].pid);
    await lone.release();
    await expectAllBack(replica);
  });

  it('hands a checkout back after its share of reads, so a pool under steady load still sees releases', async () => {
    const multiplexer = new ReadMultiplexer(8, 3);
    const statements = instance.get(StatementCacheService);
    const acquisitions = replica.acquisitions;

    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) => multiplexer.run(replica, (client) => statements.execute(client, 'SELECT $1::int AS n, pg_backend_pid() AS pid', [n]))),
    );

    const pids = results.map(({ result }) => (result.rows[0] as { pid: number }).pid);
    expect(results.map(({ result }) => (result.rows[0] as { n: number }).n)).toEqual(Array.from({ length: 8 }, (_, n) => n));
    // The first alone, then 3 + 3 + 1 shared reads: three shared checkouts, four in all.
    expect(new Set(pids).size).toBe(4);
    expect(multiplexer.stats()).toEqual({ sharedReads: 7, checkouts: 3, socketWrites: 3, keptApart: 0 });
    expect(replica.acquisitions - acquisitions).toBe(4);
    await expectAllBack(replica);
  });

  it('fails the reads waiting for a checkout together when it fails', async () => {
    const small = await startMultiplexed(1, { acquireTimeoutMs: 200, autoExplainSlowQueries: false });
    const pool = small.get(PoolManagerService).readReplicas[0];
    // Run once first: a statement shares only once it has run on the instance.
    await small.db.executeOptimizedQuery('SELECT $1::int AS n', [0]);
    const held = await pool.acquire();
    try {
      const settled = await Promise.allSettled(Array.from({ length: 4 }, (_, n) => small.db.executeOptimizedQuery('SELECT $1::int AS n', [n])));

      expect(settled.every((outcome) => outcome.status === 'rejected')).toBe(true);
      const reasons = settled.map((outcome) => (outcome as PromiseRejectedResult).reason as Error);
      expect(reasons.map((reason) => reason.name)).toEqual(Array.from({ length: 4 }, () => 'PoolExhaustedError'));
      // The first waited for a connection of its own. One checkout was tried for the other three, and its failure is theirs.
      expect(new Set(reasons.slice(1)).size).toBe(1);
      expect(reasons.slice(1)).not.toContain(reasons[0]);
    } finally {
      pool.release(held);
      await small.close();
    }
  });
});
