import { DbOptimizerOptions, ReplicaLagMonitor, ResultCacheService, runWithRequestContext, StaleReadRefusedError } from '@db-optimizer/core';
import { LocalCluster, testEnv, uniqueSchema, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance, waitForReplay } from '../support/test-module';

// Issue #10, item 10: a write whose WAL position cannot be read after COMMIT (here: the
// module's role may not call pg_current_wal_insert_lsn) sends reads to the primary until the
// lag monitor has read a primary position after it and a replica has replayed that far.
// Only the reads that must see it, though: its session's and cached reads of what it wrote
// (chaos found every read refused while the primary was down). Pausing replay and stopping
// the primary would disturb other test files, so this file has its own cluster.
describe('a write without a WAL position', () => {
  let cluster: LocalCluster;
  let instance: TestInstance;
  /** Another instance, sharing Redis with `instance`, with a role that can read positions. */
  let other: TestInstance;
  /** Options every instance of this file shares (Redis and its namespace, pools, lag rounds by hand). */
  let shared: Partial<DbOptimizerOptions>;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    const { primary, readReplica } = cluster;
    await sql(
      primary.url,
      `CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
       INSERT INTO t VALUES (1, 0), (2, 0), (3, 0);
       CREATE ROLE app_role LOGIN;
       GRANT ALL ON t TO app_role;
       REVOKE EXECUTE ON FUNCTION pg_current_wal_insert_lsn() FROM PUBLIC;`,
    );
    await waitForReplay(primary.url, [readReplica.url]);
    const asApp = (url: string) => {
      const parsed = new URL(url);
      parsed.username = 'app_role';
      return parsed.toString();
    };
    shared = {
      enableCache: true,
      redisUrl: testEnv().redisUrl,
      cacheNamespace: uniqueSchema('unpositioned'),
      primaryPool: { min: 1, max: 4 },
      readReplicaPool: { min: 1, max: 4 },
      // The test drives lag rounds itself; a paused replica must stay in use.
      replicaLag: { checkIntervalMs: 600_000, maxMs: 600_000 },
    };
    instance = await startInstance({ ...shared, primaryUrl: asApp(primary.url), readReplicaUrls: [asApp(readReplica.url)] });
    other = await startInstance({ ...shared, primaryUrl: primary.url, readReplicaUrls: [readReplica.url] });
    // Fill the cache from the replica before the write.
    await instance.db.executeOptimizedQuery('SELECT v FROM t WHERE id = $1', [1]);
  });

  afterAll(async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()').catch(() => undefined);
    await instance?.close();
    await other?.close();
    await cluster?.stop();
  });

  it('reads from the primary until a replica has replayed past the write', async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_pause()');
    const write = await instance.db.executeOptimizedQuery('UPDATE t SET v = v + 1 WHERE id = 1');
    expect(write.metadata.consistencyToken).toBeUndefined();

    // Another caller, no session key, no token: the cache miss must not load the old row from the paused replica.
    const read = await instance.db.executeOptimizedQuery<{ v: number }>('SELECT v FROM t WHERE id = $1', [1]);
    expect(read.rows).toEqual([{ v: 1 }]);
    expect(read.metadata.poolUsed).toBe('primary');
    // The lag monitor reads the primary's position, but the paused replica has not reached it.
    await instance.get(ReplicaLagMonitor).checkNow();
    const stillPaused = await instance.db.executeOptimizedQuery<{ v: number }>('SELECT v FROM t WHERE id = $1 AND v >= 0', [1]);
    expect(stillPaused.rows).toEqual([{ v: 1 }]);
    expect(stillPaused.metadata.poolUsed).toBe('primary');

    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()');
    await waitFor(
      async () => {
        await instance.get(ReplicaLagMonitor).checkNow();
        const again = await instance.db.executeOptimizedQuery<{ v: number }>('SELECT v FROM t WHERE id = $1', [1], { useCache: false });
        return again.metadata.poolUsed === 'read_replica' && again.rows[0].v === 1;
      },
      { what: 'reads back on the replica once it has replayed the write' },
    );
  });

  it('makes another instance load what the write changed from the primary too', async () => {
    const read = 'SELECT v FROM t WHERE id = $1 AND v >= -3';
    expect((await other.db.executeOptimizedQuery(read, [3])).metadata.poolUsed).toBe('read_replica');
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_pause()');
    const heard = other.get(ResultCacheService).stats().received;
    const write = await instance.db.executeOptimizedQuery('UPDATE t SET v = v + 1 WHERE id = 3');
    expect(write.metadata.consistencyToken).toBeUndefined();
    await waitFor(async () => other.get(ResultCacheService).stats().received > heard, { what: "the other instance hears of the write's bump" });
    // Its bump carries no position: on the code before, this miss loaded the old row from the paused replica and cached it.
    const after = await other.db.executeOptimizedQuery<{ v: number }>(read, [3]);
    expect(after.rows).toEqual([{ v: 1 }]);
    expect(after.metadata.poolUsed).toBe('primary');
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()');
    // The row itself, not the insert position: on an idle primary that can stay ahead of all WAL sent (a page header).
    await waitFor(async () => (await sql<{ v: number }>(cluster.readReplica.url, 'SELECT v FROM t WHERE id = 3'))[0].v === 1, { what: 'the replica replays the write' });
    await other.get(ReplicaLagMonitor).checkNow();
    await instance.get(ReplicaLagMonitor).checkNow();
    // Covered on both: reads of row 3 are back on the replica.
    expect((await other.db.executeOptimizedQuery(`${read} AND v < 10`, [3])).metadata.poolUsed).toBe('read_replica');
  });

  it('makes an instance that starts after the write, and reads the counters from Redis, load it from the primary too', async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_pause()');
    const write = await instance.db.executeOptimizedQuery('UPDATE t SET v = v + 1 WHERE id = 3');
    expect(write.metadata.consistencyToken).toBeUndefined();
    // It never hears the write's message: it learns of the write from the counters it reads at start.
    const late = await startInstance({ ...shared, primaryUrl: cluster.primary.url, readReplicaUrls: [cluster.readReplica.url] });
    try {
      const read = await late.db.executeOptimizedQuery<{ v: number }>('SELECT v FROM t WHERE id = $1 AND v >= -4', [3]);
      expect(read.rows).toEqual([{ v: 2 }]);
      expect(read.metadata.poolUsed).toBe('primary');
    } finally {
      await late.close();
      await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()');
      await waitFor(async () => (await sql<{ v: number }>(cluster.readReplica.url, 'SELECT v FROM t WHERE id = 3'))[0].v === 2, { what: 'the replica replays the write' });
      await instance.get(ReplicaLagMonitor).checkNow();
    }
  });

  it('sends the rest of a request to the primary after its write without a position, and only that request', async () => {
    const { db } = instance;
    const read = () => db.executeOptimizedQuery('SELECT v FROM t WHERE id = $1', [2], { useCache: false });
    // A request with a token (the interceptor's, from a header) but no session key.
    const afterWrite = await runWithRequestContext({ consistencyToken: '0/1' }, async () => {
      const write = await db.executeOptimizedQuery('UPDATE t SET v = v + 0 WHERE id = 2');
      expect(write.metadata.consistencyToken).toBeUndefined();
      return (await read()).metadata.poolUsed;
    });
    expect(afterWrite).toBe('primary');
    const elsewhere = await runWithRequestContext({ consistencyToken: '0/1' }, async () => (await read()).metadata.poolUsed);
    expect(elsewhere).toBe('read_replica');
    // The write's row version carries the mark: take it off for the next test by covering it.
    await instance.get(ReplicaLagMonitor).checkNow();
  });

  it("leaves other sessions' reads and cached reads of other rows on the replica, even with the primary down", async () => {
    const { db } = instance;
    const cachedRow2 = 'SELECT v FROM t WHERE id = $1 AND v < 1000';
    await db.executeOptimizedQuery(cachedRow2, [2]);
    const write = await db.executeOptimizedQuery('UPDATE t SET v = v + 1 WHERE id = 1', [], { sessionKey: 'writer' });
    expect(write.metadata.consistencyToken).toBeUndefined();

    let misses = 0;
    const served = async (text: string, id: number, options = {}) => (await db.executeOptimizedQuery<{ v: number }>(text, [id], options)).metadata;
    const check = async () => {
      // Another session's uncached read, a hit on a row the write did not touch, and a miss on such a row.
      expect((await served('SELECT v FROM t WHERE id = $1', 1, { sessionKey: 'reader', useCache: false })).poolUsed).toBe('read_replica');
      expect((await served(cachedRow2, 2)).cached).toBe('memory');
      expect((await served(`SELECT v FROM t WHERE id = $1 AND v < ${1001 + misses++}`, 2)).poolUsed).toBe('read_replica');
    };
    await check();
    // The reads that must see the write: its session's, and a cached read of its row that misses.
    expect((await served('SELECT v FROM t WHERE id = $1', 1, { sessionKey: 'writer', useCache: false })).poolUsed).toBe('primary');
    expect((await served('SELECT v FROM t WHERE id = $1 AND v > -1', 1)).poolUsed).toBe('primary');

    await cluster.primary.stop();
    await check();
    await expect(db.executeOptimizedQuery('SELECT v FROM t WHERE id = $1', [1], { sessionKey: 'writer' })).rejects.toThrow(StaleReadRefusedError);
    await expect(db.executeOptimizedQuery('SELECT v FROM t WHERE id = $1 AND v > -2', [1])).rejects.toThrow(/has no known WAL position/);
  });
});
