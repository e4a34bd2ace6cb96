import { ReplicaHealthService } from '@db-optimizer/core';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { LocalCluster, waitFor } from '@db-optimizer/cluster';
import { serverOf, sql, startInstance, TestInstance } from './support/test-module';

describe('replication lag', () => {
  let cluster: LocalCluster;
  let instance: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    await sql(cluster.primary.url, 'CREATE TABLE filler (id serial PRIMARY KEY, pad text)');
    instance = await startInstance({
      primaryUrl: cluster.primary.url,
      readReplicaUrls: [cluster.readReplica.url],
      replicaLag: { maxBytes: 64 * 1024, maxMs: 600_000, checkIntervalMs: 100, consecutiveChecks: 2 },
      primaryPool: { min: 1, max: 3 },
      readReplicaPool: { min: 1, max: 3 },
    });
  });

  afterAll(async () => {
    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()').catch(() => undefined);
    await instance?.close();
    await cluster?.stop();
  });

  it('excludes a replica over the threshold and brings it back after it catches up', async () => {
    const replicaState = () => instance.get(ReplicaHealthService).stateOf(instance.get(PoolManagerService).readReplicas[0])!;
    const read = () => instance.db.executeOptimizedQuery('SELECT 1 AS one');
    expect((await read()).metadata.server).toBe(serverOf(cluster.readReplica.url));

    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_pause()');
    await sql(cluster.primary.url, "INSERT INTO filler (pad) SELECT repeat('x', 1000) FROM generate_series(1, 500)");
    await waitFor(() => replicaState().lagExcluded, { what: 'the lagging replica to be excluded' });
    expect(replicaState().lagBytes).toBeGreaterThan(64 * 1024);
    const whileLagging = await read();
    expect(whileLagging.metadata.server).toBe(serverOf(cluster.primary.url));
    expect(whileLagging.metadata.replicaFallback).toBe(true);

    await sql(cluster.readReplica.url, 'SELECT pg_wal_replay_resume()');
    await waitFor(() => !replicaState().lagExcluded, { what: 'the replica to come back' });
    expect((await read()).metadata.server).toBe(serverOf(cluster.readReplica.url));
  });
});
