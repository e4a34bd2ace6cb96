import { Client } from 'pg';
import { Logger } from '@nestjs/common';
import { LocalCluster } from '@db-optimizer/cluster';
import { parseLsn } from '../../src/lib/core/lsn';
import { PrimaryWatch } from '../../src/lib/routing/primary-watch.service';
import { sql, startInstance, TestInstance } from '../support/test-module';

// The primary position the lag monitor reads covers every write that committed before it: a
// write whose own position is unknown, and its session's reads, then need a replica at least
// that far. A commit made with synchronous_commit = off is in the WAL buffers, not yet written,
// until the WAL writer runs: past pg_current_wal_lsn(). Here the WAL writer is stopped (SIGSTOP)
// so that window stays open, and the background writer writes no pages (it would flush the WAL
// first). Stopping a server process would disturb other files: this one has its own cluster.
describe('the primary position after a commit with synchronous_commit = off', () => {
  let cluster: LocalCluster;
  let instance: TestInstance;
  let walWriter: number;

  beforeAll(async () => {
    cluster = await LocalCluster.start({ settings: { bgwriter_lru_maxpages: 0 } });
    await sql(
      cluster.primary.url,
      `CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL);
       INSERT INTO t VALUES (1, 0);
       CREATE ROLE watcher LOGIN;`,
    );
    [{ pid: walWriter }] = await sql<{ pid: number }>(cluster.primary.url, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'walwriter'");
    instance = await startInstance({
      primaryUrl: cluster.primary.url,
      readReplicaUrls: [cluster.readReplica.url],
      primaryPool: { min: 1, max: 2 },
      readReplicaPool: { min: 1, max: 2 },
      replicaLag: { checkIntervalMs: 600_000 },
    });
  });

  afterAll(async () => {
    if (walWriter) process.kill(walWriter, 'SIGCONT');
    await instance?.close();
    await cluster?.stop();
  });

  it('is at or past the commit, which the WAL write position is not yet', async () => {
    const client = new Client({ connectionString: cluster.primary.url });
    await client.connect();
    process.kill(walWriter, 'SIGSTOP');
    let positions: { inserted: string; written: string; checked: bigint | undefined };
    try {
      await client.query('SET synchronous_commit = off');
      await client.query('UPDATE t SET v = v + 1 WHERE id = 1');
      // Read after the commit returned, on its connection: the insert position is at or past its commit record.
      const { rows } = await client.query<{ inserted: string; written: string }>(
        'SELECT pg_current_wal_insert_lsn()::text AS inserted, pg_current_wal_lsn()::text AS written',
      );
      positions = { ...rows[0], checked: await instance.get(PrimaryWatch).check() };
    } finally {
      process.kill(walWriter, 'SIGCONT');
      await client.end();
    }
    const inserted = parseLsn(positions.inserted)!;
    // The window the test is about was open: the commit lay past the written WAL.
    expect(parseLsn(positions.written)! < inserted).toBe(true);
    expect(positions.checked! >= inserted).toBe(true);
  });

  it('still answers, with the write position, for a role that may not read the insert position, and says so once', async () => {
    await sql(cluster.primary.url, 'REVOKE EXECUTE ON FUNCTION pg_current_wal_insert_lsn() FROM PUBLIC');
    const url = new URL(cluster.primary.url);
    url.username = 'watcher';
    // Before the instance starts: its start checks the primary already.
    const warn = jest.spyOn(Logger.prototype, 'warn');
    let watcher: TestInstance | undefined;
    try {
      watcher = await startInstance({ primaryUrl: url.toString(), primaryPool: { min: 1, max: 2 } });
      const watch = watcher.get(PrimaryWatch);
      const first = await watch.check();
      const second = await watch.check();
      const [{ written }] = await sql<{ written: string }>(cluster.primary.url, 'SELECT pg_current_wal_lsn()::text AS written');

      expect(first).toBeDefined();
      expect(second).toBeDefined();
      // Read before the write position that follows it, so never past it.
      expect(second! <= parseLsn(written)!).toBe(true);
      expect(watch.unavailableSinceMs).toBeUndefined();
      expect(warn.mock.calls.filter(([message]) => String(message).includes('pg_current_wal_insert_lsn'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
      await watcher?.close();
      await sql(cluster.primary.url, 'GRANT EXECUTE ON FUNCTION pg_current_wal_insert_lsn() TO PUBLIC');
    }
  });
});
