import { ReplicaLagMonitor } from '@db-optimizer/core';
import { LocalCluster, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance, waitForReplay } from '../support/test-module';

// Issue #10, item 10: a write whose WAL position cannot be read after COMMIT (here: the
// module's role may not call pg_current_wal_insert_lsn) sends reads to the primary until the
// lag monitor has read a primary position after it and a replica has replayed that far.
// Pausing replay would disturb other test files, so this file has its own cluster.
describe('a write without a WAL position', () => {
  let cluster: LocalCluster;
  let instance: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    const { primary, readReplica } = cluster;
    await sql(
      primary.url,
      `CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
       INSERT INTO t VALUES (1, 0);
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
    instance = await startInstance({
      primaryUrl: asApp(primary.url),
      readReplicaUrls: [asApp(readReplica.url)],
      enableCache: true,
      primaryPool: { min: 1, max: 4 },
      readReplicaPool: { min: 1, max: 4 },
      // The test drives lag rounds itself; a paused replica must stay in use.
      replicaLag: { checkIntervalMs: 600_000, maxMs: 600_000 },
    });
    // Fill the cache from the replica before the write.
    await instance.db.executeOptimizedQuery('SELECT v FROM t WHERE id = $1', [1]);
  });

  afterAll(async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()').catch(() => undefined);
    await instance?.close();
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
});
