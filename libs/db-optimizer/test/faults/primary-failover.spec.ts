import { ReplicaHealthService } from '@db-optimizer/core';
import { PoolManagerService } from '../../src/lib/pool/pool-manager.service';
import { LocalCluster, waitFor } from '@db-optimizer/cluster';
import { serverOf, sql, startInstance, TestInstance, waitForReplay } from '../support/test-module';

describe('a standby promoted after the primary is gone', () => {
  let cluster: LocalCluster;
  let instance: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    await sql(cluster.primary.url, 'CREATE TABLE events (id serial PRIMARY KEY, label text)');
    await waitForReplay(cluster.primary.url, [cluster.readReplica.url, cluster.analyticsReplica.url]);
    instance = await startInstance({
      // Candidates in order; standby 1 is also a replica until it is promoted.
      primaryUrls: [cluster.primary.url, cluster.readReplica.url],
      readReplicaUrls: [cluster.readReplica.url, cluster.analyticsReplica.url],
      replicaLag: { checkIntervalMs: 100, consecutiveChecks: 2 },
      replicaBanMs: 100,
      replicaBanMaxMs: 400,
      acquireTimeoutMs: 2000,
      connectionBreaker: { probeBackoffMs: 100, probeBackoffMaxMs: 400 },
      primaryPool: { min: 1, max: 4 },
      readReplicaPool: { min: 1, max: 4 },
    });
  });

  afterAll(async () => {
    await instance?.close();
    await cluster?.stop();
  });

  const insert = (label: string) =>
    instance.db.executeOptimizedQuery<{ id: number }>('INSERT INTO events (label) VALUES ($1) RETURNING id', [label], { sessionKey: 'writer' });

  it('writes to the candidate not in recovery, follows the promotion without a restart, and uses the replica that follows it', async () => {
    expect((await insert('before')).metadata.server).toBe(serverOf(cluster.primary.url));

    await cluster.primary.stop();
    await cluster.readReplica.promote();
    const after = await waitFor(() => insert('after').catch(() => undefined), { what: 'writes on the new primary', timeoutMs: 20_000 });
    expect(after.metadata.server).toBe(serverOf(cluster.readReplica.url));

    // The promoted standby gets no reads as a replica any more.
    const pools = instance.get(PoolManagerService);
    const health = instance.get(ReplicaHealthService);
    await waitFor(() => health.stateOf(pools.readReplicas[0])!.ban?.reason === 'promoted: not in recovery', { what: 'the role check' });

    // Standby 2 is pointed at the new primary (as a failover tool would) and serves reads again, with the new write.
    cluster.analyticsReplica.configure({
      primary_conninfo: `host=127.0.0.1 port=${cluster.readReplica.port} user=postgres application_name=${cluster.analyticsReplica.name}`,
    });
    await cluster.analyticsReplica.restart();
    const read = await waitFor(
      async () => {
        const result = await instance.db.executeOptimizedQuery<{ label: string }>('SELECT label FROM events WHERE id = $1', [after.rows[0].id], {
          sessionKey: 'writer',
        });
        return result.metadata.server === serverOf(cluster.analyticsReplica.url) ? result : undefined;
      },
      { what: 'a read served by the standby that follows the new primary', timeoutMs: 20_000 },
    );
    expect(read.rows).toEqual([{ label: 'after' }]);
  });
});
