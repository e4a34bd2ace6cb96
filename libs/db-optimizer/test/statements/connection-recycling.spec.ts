import type { PoolClient } from 'pg';
import { StatementCacheService } from '@db-optimizer/core';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { PoolManagerService } from '../../src/lib/pool/pool-manager.service';
import { startInstance, TestInstance } from '../support/test-module';

// Internal on purpose: the pool manager is the only way to see which connections pg closed.
describe('maxUsesPerConnection (DB_POOL_MAX_QUERIES): connections recycled with their statements', () => {
  const env = testEnv();
  const MAX_USES = 5;
  let instance: TestInstance;
  const removed: PoolClient[] = [];

  beforeAll(async () => {
    instance = await startInstance({
      primaryUrl: env.primaryUrl,
      // One connection, none opened ahead: every call below uses the same connection until pg recycles it.
      primaryPool: { min: 0, max: 1 },
      maxUsesPerConnection: MAX_USES,
      applicationName: `recycling-${process.pid}`,
    });
    instance.get(PoolManagerService).primary.addRemoveListener((client) => removed.push(client));
  });

  afterAll(() => instance?.close());

  it('serves at most maxUses calls per backend, then a new one; the closed ones leave no statements behind', async () => {
    const pids: number[] = [];
    let preparedCalls = 0;
    for (let i = 0; i < 12; i++) {
      const { rows, metadata } = await instance.db.executeOptimizedQuery<{ pid: number }>(
        'SELECT pg_backend_pid() AS pid, $1::int AS i',
        [i],
        { forcePrimary: true, useCache: false },
      );
      pids.push(rows[0].pid);
      if (metadata.preparedStatement) preparedCalls++;
    }
    const callsPerPid = [...new Set(pids)].map((pid) => pids.filter((p) => p === pid).length);
    expect(callsPerPid.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...callsPerPid)).toBeLessThanOrEqual(MAX_USES);

    const statements = instance.get(StatementCacheService);
    // Every new connection prepared the statement again: pg's records went with the old one.
    expect(statements.stats().preparations).toBeGreaterThanOrEqual(3);
    expect(preparedCalls).toBeGreaterThan(0);
    await waitFor(() => removed.length >= 2 || undefined, { what: 'pg-pool to close the spent connections' });
    expect(removed.map((client) => statements.preparedCount(client))).toEqual(removed.map(() => 0));
  });
});
