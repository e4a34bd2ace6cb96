import { testEnv } from '@db-optimizer/cluster';
import { load, peakDuring, ResizeInstance, sleep, startResizeInstance } from './support/resize-test-module';

describe('pool resize: growing under load, shrinking when idle', () => {
  const env = testEnv();
  let instance: ResizeInstance;

  beforeAll(async () => {
    instance = await startResizeInstance({
      primaryUrl: env.primaryUrl,
      primaryPool: { min: 1, max: 12 },
      acquireTimeoutMs: 20_000,
      applicationName: `resize-grow-${process.pid}`,
    });
    // The run made at start (it applies the budget) must be over before the tests set limits.
    await instance.job.runOnce();
  });

  afterAll(() => instance?.close());

  describe('#runOnce', () => {
    it('grows a pool whose callers wait, and the pool then opens more connections', async () => {
      const pool = instance.pools.primary;
      pool.setLimit(2);
      const work = load(pool, 12, 1_500);
      await sleep(300);
      const [decision] = await instance.job.runOnce();
      expect(decision).toMatchObject({ pool: 'primary', action: 'grow', previousLimit: 2, budgetCapped: false });
      expect(decision.newLimit).toBeGreaterThanOrEqual(3);
      expect(decision.reason).toMatch(/caller\(s\) waited for a connection/);
      expect(decision.load.peakWaiting).toBeGreaterThan(0);
      expect(pool.limit).toBe(decision.newLimit);
      const peakTotal = await peakDuring(() => pool.totalCount, work);
      expect(peakTotal).toBeGreaterThan(2);
      expect(peakTotal).toBeLessThanOrEqual(decision.newLimit);
      expect(instance.job.stats().grows).toBeGreaterThanOrEqual(1);
    });

    it('serves callers queued before the raise with new connections, not only later arrivals', async () => {
      const pool = instance.pools.primary;
      await instance.job.runOnce();
      pool.setLimit(2);
      pool.trimIdle();
      // One query per caller, all queued at once: no later arrival could open a client for them.
      const queued = Array.from({ length: 10 }, () => pool.withClient((client) => client.query('SELECT pg_sleep(0.3)')));
      await sleep(100);
      const [decision] = await instance.job.runOnce();
      expect(decision).toMatchObject({ action: 'grow', previousLimit: 2, newLimit: 10 });
      const peakTotal = await peakDuring(() => pool.totalCount, Promise.all(queued));
      expect(peakTotal).toBeGreaterThan(2);
      expect(peakTotal).toBeLessThanOrEqual(10);
    });

    it('shrinks only after three consecutive low-use intervals, closing idle clients above the new limit', async () => {
      const pool = instance.pools.primary;
      // Closes the interval that still holds the load of the previous test.
      await instance.job.runOnce();
      const before = pool.limit;
      const actions: string[] = [];
      for (let i = 0; i < 3; i++) actions.push((await instance.job.runOnce())[0].action);
      expect(actions).toEqual(['hold', 'hold', 'shrink']);
      const last = instance.job.stats().lastDecisions.find((d) => d.pool === 'primary');
      expect(last?.reason).toBe(`low use (peak 0 of ${before} busy) for 3 consecutive intervals`);
      expect(pool.limit).toBeLessThan(before);
      expect(pool.totalCount).toBeLessThanOrEqual(pool.limit);
      expect(instance.job.stats().shrinks).toBe(1);
    });

    it('keeps shrinking slowly down to the pool\'s min, never below', async () => {
      const pool = instance.pools.primary;
      const limits: number[] = [];
      for (let i = 0; i < 60 && pool.limit > pool.min; i++) {
        await instance.job.runOnce();
        limits.push(pool.limit);
      }
      expect(pool.limit).toBe(1);
      // One step per three runs, one connection at a time at these sizes.
      for (let i = 1; i < limits.length; i++) expect(limits[i - 1] - limits[i]).toBeLessThanOrEqual(1);
      const [atMin] = await instance.job.runOnce();
      expect(atMin).toMatchObject({ action: 'hold', newLimit: 1 });
      await instance.job.runOnce();
      const [stillAtMin] = await instance.job.runOnce();
      expect(stillAtMin.reason).toMatch(/already at its min/);
      await expect(pool.withClient((client) => client.query('SELECT 1 AS ok'))).resolves.toMatchObject({ rows: [{ ok: 1 }] });
    });

    it('grows back within one run when load returns, up to the pool\'s max', async () => {
      const pool = instance.pools.primary;
      const work = load(pool, 30, 1_000);
      await sleep(300);
      const [decision] = await instance.job.runOnce();
      await work;
      expect(decision.action).toBe('grow');
      expect(decision.newLimit).toBeLessThanOrEqual(12);
      const [again] = await instance.job.runOnce();
      expect(again.newLimit).toBeLessThanOrEqual(12);
    });
  });
});
