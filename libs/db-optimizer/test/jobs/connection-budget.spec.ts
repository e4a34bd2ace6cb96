import { testEnv } from '@db-optimizer/cluster';
import { sql } from '../support/test-module';
import { load, peakDuring, ResizeInstance, sleep, startResizeInstance } from './support/resize-test-module';

describe('pool resize: the connection budget', () => {
  const env = testEnv();
  const applicationName = `resize-budget-${process.pid}`;
  let instance: ResizeInstance;
  let maxConnections: number;

  beforeAll(async () => {
    [{ max_connections: maxConnections }] = (await sql<{ max_connections: string }>(env.primaryUrl, 'SHOW max_connections')).map(
      (row) => ({ max_connections: Number(row.max_connections) }),
    );
    // Two pools on one server (the primary also serves as the "replica"): (max_connections - reserve) / 2 instances = 3.
    instance = await startResizeInstance({
      primaryUrl: env.primaryUrl,
      readReplicaUrls: [env.primaryUrl],
      primaryPool: { min: 1, max: 10 },
      readReplicaPool: { min: 1, max: 10 },
      reservedConnections: maxConnections - 6,
      instances: 2,
      acquireTimeoutMs: 20_000,
      applicationName,
    });
    await instance.job.runOnce();
  });

  afterAll(() => instance?.close());

  const limits = () => instance.pools.pools.reduce((sum, pool) => sum + pool.limit, 0);
  const connections = () => instance.pools.pools.reduce((sum, pool) => sum + pool.totalCount, 0);

  it('reads max_connections once and splits what the reserve leaves across the instances', () => {
    expect(instance.job.stats().budgets).toEqual([
      { server: instance.pools.primary.server, maxConnections, reservedConnections: maxConnections - 6, instances: 2, budget: 3 },
    ]);
  });

  it('brings pools that start at their max down to the budget at start', () => {
    expect(limits()).toBe(3);
    expect(instance.job.stats().budgetCapped).toBeGreaterThanOrEqual(2);
  });

  it('keeps both pools together within the budget under load on both', async () => {
    const [primary, replica] = instance.pools.pools;
    const work = Promise.all([load(primary, 8, 1_500), load(replica, 8, 1_500)]);
    const peak = peakDuring(connections, work);
    let serverPeak = 0;
    for (const delayMs of [300, 400, 400]) {
      await sleep(delayMs);
      const decisions = await instance.job.runOnce();
      expect(decisions.some((d) => d.budgetCapped && d.proposedLimit > d.newLimit)).toBe(true);
      expect(limits()).toBeLessThanOrEqual(3);
      const [{ count }] = await sql<{ count: number }>(
        env.primaryUrl,
        'SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1',
        [applicationName],
      );
      serverPeak = Math.max(serverPeak, count);
    }
    await work;
    expect(await peak).toBeLessThanOrEqual(3);
    expect(serverPeak).toBeLessThanOrEqual(3);
    const capped = instance.job.stats().lastDecisions.filter((d) => d.budgetCapped);
    expect(capped[0]?.reason).toMatch(/capped to \d+ by the connection budget of .* \(3 for this instance, shared by its pools\)/);
  });
});
