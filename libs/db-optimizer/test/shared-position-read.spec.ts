import { ConsistencyTracker } from '../src/lib/routing/consistency-tracker';
import { parseLsn } from '../src/lib/core/lsn';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { SharedPositionRead } from '../src/lib/routing/shared-position-read';
import { sql, startInstance, TestInstance } from './support/test-module';

/** A token or position as a number; a malformed one fails the test. */
const lsnValue = (text: string): bigint => {
  const lsn = parseLsn(text);
  if (lsn === undefined) throw new Error(`not a WAL position: ${text}`);
  return lsn;
};

describe('the WAL position read after a commit', () => {
  const env = testEnv();
  const schema = uniqueSchema('shared_position');
  let instance: TestInstance;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.counters (id int PRIMARY KEY, n int NOT NULL); INSERT INTO ${schema}.counters SELECT g, 0 FROM generate_series(1, 16) g`);
    instance = await startInstance({ primaryUrl: env.primaryUrl, readReplicaUrls: [env.readReplicaUrl], primaryPool: { min: 16, max: 16 } });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('is shared by writes that commit together, and each token is at or past the position before its write', async () => {
    const tracker = instance.get(ConsistencyTracker);
    const reads = tracker.positionReads;
    const before = reads.stats;
    const pipelinedBefore = tracker.pipelinedPositions;
    const [{ lsn: startLsn }] = await sql<{ lsn: string }>(env.primaryUrl, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => instance.db.executeOptimizedQuery(`UPDATE ${schema}.counters SET n = n + 1 WHERE id = $1`, [i + 1])),
    );
    const tokens = results.map((result) => result.metadata.consistencyToken as string);
    expect(tokens.every((token) => lsnValue(token) > lsnValue(startLsn))).toBe(true);
    const after = reads.stats;
    // The first writes, while few are in flight, read their position in their own round trip; the rest share.
    const pipelined = tracker.pipelinedPositions - pipelinedBefore;
    expect(pipelined).toBeLessThanOrEqual(2);
    expect(after.reads - before.reads + (after.shared - before.shared) + pipelined).toBe(16);
    // 16 commits on 16 connections at once: some arrive in the same turn of the event loop.
    expect(after.shared - before.shared).toBeGreaterThan(0);
    // Each token covers its own write: a replica that has replayed it shows the row.
    await instance.db.waitForReplicas(tokens.reduce((a, b) => (lsnValue(a) > lsnValue(b) ? a : b)));
    expect((await sql<{ n: number }>(env.readReplicaUrl, `SELECT sum(n)::int AS n FROM ${schema}.counters`))[0].n).toBe(16);
  });

  it('does not let a commit seen after the read went out share it', async () => {
    const pool = instance.get(PoolManagerService).primary;
    const reads = new SharedPositionRead();
    const first = await pool.acquire();
    const second = await pool.acquire();
    try {
      const early = reads.after(first);
      // The read is sent at setImmediate; a commit that returns after that opens the next read.
      await new Promise((resolve) => setImmediate(resolve));
      const late = reads.after(second);
      const [earlyLsn, lateLsn] = await Promise.all([early, late]);
      expect(reads.stats).toEqual({ reads: 2, shared: 0 });
      expect(lsnValue(lateLsn)).toBeGreaterThanOrEqual(lsnValue(earlyLsn));
    } finally {
      pool.release(first);
      pool.release(second);
    }
  });
});
