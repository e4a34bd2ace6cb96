import { PoolResizer, ResizablePool, ResizeLogger } from './pool-resizer';
import { PoolSizingPolicy } from './pool-sizing-policy';
import { MaxConnectionsReader, ServerBudgets } from './server-budgets';

/** A pool's counters and limit, without connections. */
class FakePool {
  busyCount = 0;
  idleCount = 0;
  waitingCount = 0;
  totalCount = 0;
  acquisitions = 0;
  ended = false;
  trimmed = 0;
  limit: number;

  constructor(
    readonly name: string,
    readonly min: number,
    readonly max: number,
    readonly server = 'db:5432',
  ) {
    this.limit = max;
  }

  setLimit(limit: number): number {
    this.limit = Math.max(Math.max(this.min, 1), Math.min(this.max, Math.round(limit)));
    return this.limit;
  }

  trimIdle(): void {
    this.trimmed++;
    this.totalCount = Math.max(this.busyCount, Math.min(this.totalCount, this.limit));
  }

  /** Never called: the budget reader is faked. */
  readonly withClient = jest.fn(async () => undefined);
}

function setup(pools: FakePool[], maxConnections: number | Error = 100, reservedConnections = 10) {
  const logger: ResizeLogger = { log: jest.fn(), warn: jest.fn(), debug: jest.fn() };
  const read: MaxConnectionsReader = async () => {
    if (maxConnections instanceof Error) throw maxConnections;
    return maxConnections;
  };
  const resizer = new PoolResizer({
    pools: () => pools as unknown as ResizablePool[],
    policy: new PoolSizingPolicy(),
    budgets: new ServerBudgets({ reservedConnections, instances: 1, read }),
    logger,
  });
  return { resizer, logger };
}

describe('PoolResizer', () => {
  describe('#runOnce', () => {
    it('grows a pool whose callers waited, logs why and counts it', async () => {
      const pool = new FakePool('primary', 1, 20);
      pool.setLimit(4);
      const { resizer, logger } = setup([pool]);
      Object.assign(pool, { busyCount: 4, totalCount: 4, waitingCount: 6 });
      const [decision] = await resizer.runOnce();
      expect(decision).toMatchObject({ pool: 'primary', action: 'grow', previousLimit: 4, newLimit: 10, budgetCapped: false });
      expect(pool.limit).toBe(10);
      expect(logger.log).toHaveBeenCalledWith('Pool "primary" grow 4 -> 10: 6 caller(s) waited for a connection');
      expect(resizer.stats()).toMatchObject({ runs: 1, grows: 1, shrinks: 0, holds: 0, budgetCapped: 0 });
    });

    it('sees waiting that the sampler caught between runs', async () => {
      const pool = new FakePool('primary', 1, 20);
      pool.setLimit(2);
      const { resizer } = setup([pool]);
      await resizer.runOnce();
      Object.assign(pool, { busyCount: 2, waitingCount: 3 });
      resizer.sample();
      Object.assign(pool, { busyCount: 0, waitingCount: 0 });
      expect((await resizer.runOnce())[0]).toMatchObject({ action: 'grow', load: { peakBusy: 2, peakWaiting: 3 } });
    });

    it('shrinks after sustained low use and trims idle clients above the new limit', async () => {
      const pool = new FakePool('primary', 2, 20);
      Object.assign(pool, { totalCount: 20 });
      const { resizer, logger } = setup([pool]);
      const actions = [];
      for (let i = 0; i < 3; i++) actions.push((await resizer.runOnce())[0].action);
      expect(actions).toEqual(['hold', 'hold', 'shrink']);
      expect(pool.limit).toBe(18);
      expect(pool.trimmed).toBe(1);
      expect(pool.totalCount).toBe(18);
      expect(logger.debug).toHaveBeenCalledWith(expect.stringMatching(/^Pool "primary" hold at 20: low use/));
      expect(resizer.stats()).toMatchObject({ holds: 2, shrinks: 1 });
    });

    it('keeps the pools of one server within its budget, serving waiting pools first', async () => {
      const primary = new FakePool('primary', 1, 10);
      const replica = new FakePool('read_replica[0]', 1, 10);
      const { resizer } = setup([primary, replica], 16, 10);
      await resizer.runOnce();
      expect(primary.limit + replica.limit).toBe(6);
      Object.assign(replica, { busyCount: replica.limit, waitingCount: 5 });
      const decisions = await resizer.runOnce();
      expect(primary.limit + replica.limit).toBeLessThanOrEqual(6);
      expect(decisions.find((d) => d.pool === 'read_replica[0]')).toMatchObject({ budgetCapped: true });
      expect(decisions.find((d) => d.pool === 'read_replica[0]')?.reason).toMatch(/capped to \d by the connection budget of db:5432 \(6 for this instance/);
      expect(resizer.stats().budgetCapped).toBeGreaterThan(0);
    });

    it('sizes pools of different servers against their own budgets', async () => {
      const a = new FakePool('primary', 1, 10, 'a:5432');
      const b = new FakePool('analytics', 1, 10, 'b:5432');
      const { resizer } = setup([a, b], 15, 10);
      await resizer.runOnce();
      expect([a.limit, b.limit]).toEqual([5, 5]);
    });

    it('does not hold back one server\'s decisions while another server\'s budget is still being read', async () => {
      const healthy = new FakePool('primary', 1, 20, 'a:5432');
      const unreachable = new FakePool('read_replica[0]', 1, 20, 'b:5432');
      healthy.setLimit(2);
      let answer: (value: number) => void = () => undefined;
      const read: MaxConnectionsReader = (pool) =>
        pool.server === 'a:5432' ? Promise.resolve(100) : new Promise<number>((resolve) => (answer = resolve));
      const resizer = new PoolResizer({
        pools: () => [healthy, unreachable] as unknown as ResizablePool[],
        policy: new PoolSizingPolicy(),
        budgets: new ServerBudgets({ reservedConnections: 10, instances: 1, read }),
        logger: { log: jest.fn(), warn: jest.fn(), debug: jest.fn() },
      });
      Object.assign(healthy, { busyCount: 2, waitingCount: 2 });
      const run = resizer.runOnce();
      await new Promise((resolve) => setImmediate(resolve));
      expect(healthy.limit).toBe(4);
      answer(100);
      expect((await run).map((d) => d.pool)).toEqual(['primary', 'read_replica[0]']);
    });

    it('holds growth while the budget is unknown, and says why', async () => {
      const pool = new FakePool('primary', 1, 20);
      pool.setLimit(3);
      const { resizer } = setup([pool], new Error('connect ECONNREFUSED'));
      Object.assign(pool, { busyCount: 3, waitingCount: 2 });
      const [decision] = await resizer.runOnce();
      expect(decision).toMatchObject({ action: 'hold', newLimit: 3, proposedLimit: 5, budgetCapped: true });
      expect(decision.reason).toMatch(/budget of db:5432 is unknown until max_connections can be read/);
    });

    it('warns once when the pools\' minimums alone exceed the budget', async () => {
      const pool = new FakePool('primary', 8, 20);
      const { resizer, logger } = setup([pool], 15, 10);
      await resizer.runOnce();
      await resizer.runOnce();
      expect(pool.limit).toBe(8);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/need at least 8 connections .* budget is 5: floor\(\(max_connections 15 - reservedConnections 10\) \/ instances 1\)/));
    });

    it('skips ended pools', async () => {
      const pool = new FakePool('primary', 1, 20);
      pool.ended = true;
      expect(await setup([pool]).resizer.runOnce()).toEqual([]);
    });

    it('shares one run between concurrent calls', async () => {
      const { resizer } = setup([new FakePool('primary', 1, 5)]);
      const [first, second] = [resizer.runOnce(), resizer.runOnce()];
      expect(second).toBe(first);
      await first;
      expect(resizer.stats().runs).toBe(1);
    });
  });

  describe('#stats', () => {
    it('keeps the latest decision per pool and the budgets read', async () => {
      const { resizer } = setup([new FakePool('primary', 1, 5)]);
      await resizer.runOnce();
      await resizer.runOnce();
      const stats = resizer.stats();
      expect(stats.lastDecisions).toHaveLength(1);
      expect(stats.lastDecisions[0]).toMatchObject({ pool: 'primary', server: 'db:5432' });
      expect(stats.budgets).toEqual([{ server: 'db:5432', maxConnections: 100, reservedConnections: 10, instances: 1, budget: 90 }]);
    });
  });
});
