import { ReadMultiplexer, ReplicaHealthService } from '@db-optimizer/core';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { LocalCluster, waitFor } from '@db-optimizer/cluster';
import { serverOf, sql, startInstance, TestInstance } from './support/test-module';

// Also with reads sharing connections: a dying replica must cost no read either way.
describe.each([0, 8])('a replica stopped during a stream of reads (multiplexReads %i)', (multiplexReads) => {
  let cluster: LocalCluster;
  let instance: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    await sql(cluster.primary.url, 'CREATE TABLE items (id int PRIMARY KEY)');
    await sql(cluster.primary.url, 'INSERT INTO items SELECT generate_series(1, 100)');
    await waitFor(async () => (await sql<{ n: number }>(cluster.readReplica.url, 'SELECT count(*)::int AS n FROM items').catch(() => [{ n: 0 }]))[0].n === 100, {
      what: 'replication',
    });
    instance = await startInstance({
      primaryUrl: cluster.primary.url,
      readReplicaUrls: [cluster.readReplica.url],
      replicaBanMs: 200,
      replicaBanMaxMs: 400,
      acquireTimeoutMs: 2000,
      primaryPool: { min: 1, max: 4 },
      readReplicaPool: { min: 2, max: 4 },
      multiplexReads,
    });
  });

  afterAll(async () => {
    await instance?.close();
    await cluster?.stop();
  });

  it('fails no read while it is down, and gets reads again once restarted', async () => {
    const replica = serverOf(cluster.readReplica.url);
    const servers = new Set<string>();
    const failures: string[] = [];
    let stop = false;
    const reader = async (): Promise<void> => {
      for (let i = 0; !stop; i++) {
        try {
          const { metadata, rows } = await instance.db.executeOptimizedQuery('SELECT id FROM items WHERE id = $1', [(i % 100) + 1]);
          if (rows.length !== 1) failures.push(`row missing for id ${(i % 100) + 1}`);
          servers.add(metadata.server);
        } catch (error) {
          failures.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
      }
    };
    const readers = Array.from({ length: 4 }, reader);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cluster.readReplica.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const state = instance.get(ReplicaHealthService).stateOf(instance.get(PoolManagerService).readReplicas[0])!;
    expect(state.ban).toBeDefined();
    expect(state.ban!.reason.length).toBeGreaterThan(0);
    await cluster.readReplica.start();
    await waitFor(() => state.ban === undefined, { what: 'the replica to pass its health check' });
    stop = true;
    await Promise.all(readers);
    expect(failures).toEqual([]);
    expect(servers.has(serverOf(cluster.primary.url))).toBe(true);
    // The reads really shared connections when asked to.
    expect(instance.get(ReadMultiplexer).stats().sharedReads > 0).toBe(multiplexReads > 1);
    const after = await instance.db.executeOptimizedQuery('SELECT id FROM items WHERE id = $1', [1]);
    expect(after.metadata.server).toBe(replica);
  });
});
