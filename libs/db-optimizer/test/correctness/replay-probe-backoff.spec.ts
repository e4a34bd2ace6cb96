import { ReplicaHealthService } from '@db-optimizer/core';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance } from '../support/test-module';

// Issue #10, item 8: when the replica cannot be asked how far it has replayed (its pool is
// exhausted), read-your-writes reads go to the primary, and the probe backs off instead of
// making every read wait acquireTimeoutMs again.
describe('replay probes that fail', () => {
  const env = testEnv();
  const schema = uniqueSchema('probe_backoff');
  let instance: TestInstance;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id int PRIMARY KEY, v int NOT NULL); INSERT INTO ${schema}.t VALUES (1, 0);`);
    instance = await startInstance({
      primaryUrl: env.primaryUrl,
      readReplicaUrls: [env.readReplicaUrl],
      readReplicaPool: { min: 1, max: 1 },
      acquireTimeoutMs: 200,
      // No lag round during the test: only the probe can tell the replica has replayed.
      replicaLag: { checkIntervalMs: 600_000, maxMs: 600_000 },
    });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('backs off after a failed probe and serves the reads from the primary meanwhile', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // A read-only transaction holds the replica's only connection.
    const holder = instance.db.executeTransactionOptimized(async () => held, { readOnly: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      await instance.db.executeOptimizedQuery(`UPDATE ${schema}.t SET v = v + 1 WHERE id = 1`, [], { sessionKey: 'writer' });
      const expected = (await sql<{ v: number }>(env.primaryUrl, `SELECT v FROM ${schema}.t WHERE id = 1`))[0].v;
      for (let read = 0; read < 5; read++) {
        const { rows, metadata } = await instance.db.executeOptimizedQuery<{ v: number }>(`SELECT v FROM ${schema}.t WHERE id = $1`, [1], { sessionKey: 'writer' });
        expect(rows).toEqual([{ v: expected }]);
        expect(metadata.poolUsed).toBe('primary');
      }
      const [replica] = instance.get(ReplicaHealthService).replicas;
      // One probe waited for the pool and failed; the reads after it did not probe again.
      expect(replica.replayProbeFailures).toBe(1);
      expect(replica.replayProbeRetryAt).toBeGreaterThan(0);
    } finally {
      release();
      await holder;
    }
  });
});
