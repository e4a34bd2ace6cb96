import { PoolExhaustedError } from '@db-optimizer/core';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { expectPoolSettled } from './support/pool-probes';
import { startInstance, TestInstance } from './support/test-module';

describe('pool exhaustion', () => {
  const env = testEnv();
  let instance: TestInstance;

  beforeAll(async () => {
    // No background explain of the slow sleeps: this test counts every client of the pool.
    instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 2 }, acquireTimeoutMs: 300, autoExplainSlowQueries: false });
  });

  afterAll(() => instance?.close());

  it('throws PoolExhaustedError naming the pool, its size and the wait, then every client is back', async () => {
    const sleepers = [1, 2].map(() => instance.db.executeOptimizedQuery('SELECT pg_sleep(1.5)', [], { forcePrimary: true }));
    // Both connections busy before the third call (a fixed wait was too short on a loaded machine).
    await waitFor(async () => instance.get(PoolManagerService).primary.busyCount === 2, { what: 'both sleepers hold a connection' });
    const error = await instance.db.executeOptimizedQuery('SELECT 1', [], { forcePrimary: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolExhaustedError);
    expect(error).toMatchObject({ pool: 'primary', poolSize: 2 });
    expect((error as PoolExhaustedError).waitedMs).toBeGreaterThanOrEqual(250);
    expect((error as Error).message).toMatch(/Pool "primary" is exhausted: all 2 connections stayed busy for \d+ ms/);
    await Promise.all(sleepers);
    const pool = instance.get(PoolManagerService).primary;
    await expectPoolSettled(pool);
    expect(pool.idleCount).toBe(pool.totalCount);
    await expect(instance.db.executeOptimizedQuery('SELECT 1 AS ok', [], { forcePrimary: true })).resolves.toMatchObject({ rows: [{ ok: 1 }] });
  });
});
