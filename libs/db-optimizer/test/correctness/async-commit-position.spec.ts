import { Client } from 'pg';
import { Logger } from '@nestjs/common';
import { LocalCluster } from '@db-optimizer/cluster';
import { parseLsn } from '../../src/lib/core/lsn';
import { INSERT_POSITION_RETRY_MS, type PrimaryPosition } from '../../src/lib/routing/primary-position';
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
  let walWriter = 0;
  // A stopped WAL writer would hang the cluster's shutdown if this process ended before continuing it.
  const resumeWalWriter = (): void => {
    try {
      if (walWriter) process.kill(walWriter, 'SIGCONT');
    } catch {
      // Already gone.
    }
  };

  beforeAll(async () => {
    process.once('exit', resumeWalWriter);
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
    resumeWalWriter();
    process.removeListener('exit', resumeWalWriter);
    try {
      await instance?.close();
    } finally {
      await cluster?.stop();
    }
  });

  /** With the WAL writer stopped: an asynchronous commit, the positions right after it on its connection, then `check`. */
  async function afterAsyncCommit(check: () => Promise<PrimaryPosition | undefined>): Promise<{ inserted: bigint; written: bigint; position: PrimaryPosition }> {
    const client = new Client({ connectionString: cluster.primary.url });
    await client.connect();
    process.kill(walWriter, 'SIGSTOP');
    try {
      await client.query('SET synchronous_commit = off');
      await client.query('UPDATE t SET v = v + 1 WHERE id = 1');
      // On the committing connection, after COMMIT returned: the insert position is at or past its commit record.
      const { rows } = await client.query<{ inserted: string; written: string }>(
        'SELECT pg_current_wal_insert_lsn()::text AS inserted, pg_current_wal_lsn()::text AS written',
      );
      const position = await check();
      return { inserted: parseLsn(rows[0].inserted)!, written: parseLsn(rows[0].written)!, position: position! };
    } finally {
      resumeWalWriter();
      await client.end();
    }
  }

  it('covers the commit, which the written position does not yet', async () => {
    const { inserted, written, position } = await afterAsyncCommit(() => instance.get(PrimaryWatch).check());

    // The window the test is about was open: the commit lay past the written WAL.
    expect(written < inserted).toBe(true);
    expect(position.covering >= inserted).toBe(true);
    // Replicas' lag is measured against what can have been sent, not against WAL still in the buffers.
    expect(position.shipped < inserted).toBe(true);
  });

  it('answers with the written position for a role that may not read the insert position, says so once, and asks again after a minute', async () => {
    await sql(cluster.primary.url, 'REVOKE EXECUTE ON FUNCTION pg_current_wal_insert_lsn() FROM PUBLIC');
    const url = new URL(cluster.primary.url);
    url.username = 'watcher';
    // Before the instance starts: its start checks the primary already.
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const warnings = () => warn.mock.calls.filter(([message]) => String(message).includes('pg_current_wal_insert_lsn')).length;
    let watcher: TestInstance | undefined;
    try {
      watcher = await startInstance({ primaryUrl: url.toString(), primaryPool: { min: 1, max: 2 } });
      const watch = watcher.get(PrimaryWatch);
      const refused = await afterAsyncCommit(() => watch.check());

      // The written position, as the warning says: not the primary taken for unreachable.
      expect(refused.position.covering).toBe(refused.written);
      expect(watch.unavailableSinceMs).toBeUndefined();
      expect(warnings()).toBe(1);

      // A minute on, it is asked again: refused again, nothing said again.
      const now = Date.now();
      const clock = jest.spyOn(Date, 'now').mockImplementation(() => now + INSERT_POSITION_RETRY_MS + 1000);
      try {
        expect(await watch.check()).toBeDefined();
        expect(warnings()).toBe(1);
        await sql(cluster.primary.url, 'GRANT EXECUTE ON FUNCTION pg_current_wal_insert_lsn() TO PUBLIC');
        clock.mockImplementation(() => now + 2 * (INSERT_POSITION_RETRY_MS + 1000));
        // Granted, a minute later: the insert position again (past what was flushed, with the WAL writer stopped).
        const granted = await afterAsyncCommit(() => watch.check());
        expect(granted.position.covering >= granted.inserted).toBe(true);
        expect(granted.position.shipped < granted.position.covering).toBe(true);
      } finally {
        clock.mockRestore();
      }
    } finally {
      warn.mockRestore();
      await watcher?.close();
      await sql(cluster.primary.url, 'GRANT EXECUTE ON FUNCTION pg_current_wal_insert_lsn() TO PUBLIC');
    }
  });
});
