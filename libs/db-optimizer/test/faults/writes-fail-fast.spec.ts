import { performance } from 'node:perf_hooks';
import { DatabaseUnavailableError } from '@db-optimizer/core';
import { LocalCluster, waitFor } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance } from '../support/test-module';

// Far above the bound below: a write that waited for a connection could not pass for a fast failure.
const ACQUIRE_TIMEOUT_MS = 10_000;
// A functional bound (the call did not wait for acquireTimeoutMs), not a speed claim.
const FAST_MS = 2000;

describe('writes while the primary is down', () => {
  let cluster: LocalCluster;
  let instance: TestInstance;

  beforeAll(async () => {
    cluster = await LocalCluster.start();
    await sql(cluster.primary.url, 'CREATE TABLE counters (id int PRIMARY KEY, n int)');
    await sql(cluster.primary.url, 'INSERT INTO counters VALUES (1, 0)');
    instance = await startInstance({
      primaryUrl: cluster.primary.url,
      acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
      primaryPool: { min: 1, max: 4 },
      connectionBreaker: { failureThreshold: 3, probeBackoffMs: 100, probeBackoffMaxMs: 400 },
    });
  });

  afterAll(async () => {
    await instance?.close();
    await cluster?.stop();
  });

  const bump = () => instance.db.executeOptimizedQuery<{ n: number }>('UPDATE counters SET n = n + 1 WHERE id = $1 RETURNING n', [1]);
  const primaryStats = () => instance.db.poolStats().find((stats) => stats.name === 'primary')!;

  it('fail at once with DatabaseUnavailableError saying since when, and resume by themselves when it is back', async () => {
    await bump();
    await cluster.primary.stop();
    // The first failures trip the breaker; they may carry the driver's connection error.
    await waitFor(() => primaryStats().circuit !== 'closed' || bump().then(() => false, () => false), { what: 'the breaker to open' });

    const outcomes: Array<{ error: unknown; ms: number }> = [];
    for (let i = 0; i < 5; i++) {
      const startedAt = performance.now();
      const error = await bump().then(() => undefined, (caught: unknown) => caught);
      outcomes.push({ error, ms: performance.now() - startedAt });
    }
    for (const { error, ms } of outcomes) {
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toMatch(/The primary "primary" \(127\.0\.0\.1:\d+\) is unreachable since \d{4}-\d\d-\d\dT/);
      expect(ms).toBeLessThan(FAST_MS);
    }
    expect(primaryStats().unreachableSinceMs).toEqual(expect.any(Number));

    await cluster.primary.start();
    const after = await waitFor(() => bump().catch(() => undefined), { what: 'writes to resume', timeoutMs: 20_000 });
    expect(after.rows[0].n).toBeGreaterThan(1);
    expect(primaryStats().circuit).toBe('closed');
  });
});
