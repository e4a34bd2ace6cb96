import { ReplicaLagMonitor } from '@db-optimizer/core';
import { LocalCluster, waitFor } from '@db-optimizer/cluster';
import { serverOf, sql, startInstance, TestInstance, waitForReplay } from './support/test-module';

// Pausing replay would disturb other test files, so this file has its own cluster.
describe('read-your-writes with replay paused on the standby', () => {
  let cluster: LocalCluster;
  let writer: TestInstance;
  let other: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    const { primary, readReplica, analyticsReplica } = cluster;
    await sql(primary.url, 'CREATE TABLE notes (id int PRIMARY KEY, body text)');
    await waitForReplay(primary.url, [readReplica.url]);
    const options = {
      primaryUrl: primary.url,
      readReplicaUrls: [readReplica.url],
      analyticsReplicaUrl: analyticsReplica.url,
      // Long interval: the test drives lag checks itself, and a paused replica must stay in use.
      replicaLag: { checkIntervalMs: 600_000, maxMs: 600_000 },
      primaryPool: { min: 1, max: 4 },
      readReplicaPool: { min: 1, max: 4 },
      analyticsPool: { min: 1, max: 2 },
    };
    writer = await startInstance(options);
    other = await startInstance(options);
    await sql(readReplica.url, 'SELECT pg_wal_replay_pause()');
  });

  afterAll(async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()').catch(() => undefined);
    await writer?.close();
    await other?.close();
    await cluster?.stop();
  });

  it('serves the writer, a token holder and other sessions correctly', async () => {
    const primary = serverOf(cluster.primary.url);
    const replica = serverOf(cluster.readReplica.url);
    const write = await writer.db.executeOptimizedQuery('INSERT INTO notes VALUES ($1, $2)', [1, 'mine'], { sessionKey: 'alice' });
    const token = write.metadata.consistencyToken;
    expect(token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    await writer.get(ReplicaLagMonitor).checkNow();
    await other.get(ReplicaLagMonitor).checkNow();

    // The writer's next read sees its row (the paused standby cannot serve it).
    const own = await writer.db.executeOptimizedQuery('SELECT body FROM notes WHERE id = $1', [1], { sessionKey: 'alice' });
    expect(own.rows).toEqual([{ body: 'mine' }]);
    expect(own.metadata.server).toBe(primary);

    // Another instance with the token sees it too.
    const viaToken = await other.db.executeOptimizedQuery('SELECT body FROM notes WHERE id = $1', [1], { consistencyToken: token });
    expect(viaToken.rows).toEqual([{ body: 'mine' }]);

    // Other sessions keep reading from the standby (which has not replayed the row).
    const stranger = await writer.db.executeOptimizedQuery('SELECT body FROM notes WHERE id = $1', [1], { sessionKey: 'bob' });
    expect(stranger.metadata.server).toBe(replica);
    expect(stranger.rows).toEqual([]);
  });

  it('goes back to the standby for the writer once it has replayed the write', async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()');
    const replica = serverOf(cluster.readReplica.url);
    const served = await waitFor(async () => {
      await writer.get(ReplicaLagMonitor).checkNow();
      const read = await writer.db.executeOptimizedQuery('SELECT body FROM notes WHERE id = $1', [1], { sessionKey: 'alice' });
      return read.metadata.server === replica ? read : undefined;
    }, { what: 'the writer reading from the caught-up standby' });
    expect(served.rows).toEqual([{ body: 'mine' }]);
  });
});
