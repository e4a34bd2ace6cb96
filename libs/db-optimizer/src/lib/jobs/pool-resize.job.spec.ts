import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { resolveOptions } from '../options/resolve-options';
import { POOL_RESIZE_JOB_NAME } from '../core/db-optimizer.constants';
import type { PoolManagerService } from '../pool/pool-manager.service';
import { POOL_LOAD_SAMPLER_NAME } from './pool-resize.constants';
import { PoolResizeJob } from './pool-resize.job';

/** One pool that answers SHOW max_connections without a server. */
function fakePools() {
  const pool = {
    name: 'primary',
    server: 'db:5432',
    min: 1,
    max: 10,
    limit: 10,
    ended: false,
    busyCount: 0,
    idleCount: 0,
    waitingCount: 0,
    totalCount: 0,
    acquisitions: 0,
    setLimit: jest.fn((limit: number): number => (pool.limit = limit)),
    trimIdle: jest.fn(),
    withClient: jest.fn(async (work: (client: unknown) => Promise<unknown>): Promise<unknown> =>
      work({ query: async () => ({ rows: [{ max_connections: '100' }] }) }),
    ),
  };
  return { pool, manager: { pools: [pool] } as unknown as PoolManagerService };
}

const options = (poolResizeIntervalMs: number) => resolveOptions({ primaryUrl: 'postgres://db:5432/app', poolResizeIntervalMs });

describe('PoolResizeJob', () => {
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  describe('#onModuleInit', () => {
    it('registers the job and its sampler under their documented names', () => {
      const registry = new SchedulerRegistry();
      const job = new PoolResizeJob(options(10_000), fakePools().manager, registry);
      job.onModuleInit();
      expect(registry.getIntervals().sort()).toEqual([POOL_LOAD_SAMPLER_NAME, POOL_RESIZE_JOB_NAME].sort());
      expect(POOL_RESIZE_JOB_NAME).toBe('db-optimizer:pool-resize');
      expect(registry.getInterval(POOL_RESIZE_JOB_NAME).hasRef()).toBe(false);
      return job.onModuleDestroy();
    });

    it('runs at once (pools start at their max) and then every interval', async () => {
      const job = new PoolResizeJob(options(10_000), fakePools().manager, new SchedulerRegistry());
      job.onModuleInit();
      await jest.advanceTimersByTimeAsync(0);
      expect(job.stats().runs).toBe(1);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(job.stats().runs).toBe(2);
      await jest.advanceTimersByTimeAsync(20_000);
      expect(job.stats().runs).toBe(4);
      await job.onModuleDestroy();
    });

    it('feeds waiting seen between runs by the sampler into the next decision', async () => {
      const { pool, manager } = fakePools();
      pool.limit = 2;
      const job = new PoolResizeJob(options(10_000), manager, new SchedulerRegistry());
      job.onModuleInit();
      await jest.advanceTimersByTimeAsync(1_000);
      Object.assign(pool, { busyCount: 2, waitingCount: 4 });
      await jest.advanceTimersByTimeAsync(100);
      Object.assign(pool, { busyCount: 0, waitingCount: 0 });
      await jest.advanceTimersByTimeAsync(8_900);
      expect(job.stats().lastDecisions[0]).toMatchObject({ action: 'grow', previousLimit: 2, newLimit: 6 });
      await job.onModuleDestroy();
    });

    it('does nothing when poolResizeIntervalMs is 0', () => {
      const registry = new SchedulerRegistry();
      new PoolResizeJob(options(0), fakePools().manager, registry).onModuleInit();
      expect(registry.getIntervals()).toEqual([]);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('runs on private timers and says how to fix it when the app has no ScheduleModule', async () => {
      const job = new PoolResizeJob(options(10_000), fakePools().manager);
      job.onModuleInit();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Import ScheduleModule.forRoot() from @nestjs/schedule'));
      await jest.advanceTimersByTimeAsync(10_000);
      expect(job.stats().runs).toBe(2);
      await job.onModuleDestroy();
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('#onModuleDestroy', () => {
    it('removes its intervals and stops running', async () => {
      const registry = new SchedulerRegistry();
      const job = new PoolResizeJob(options(10_000), fakePools().manager, registry);
      job.onModuleInit();
      await job.onModuleDestroy();
      expect(registry.getIntervals()).toEqual([]);
      const runs = job.stats().runs;
      await jest.advanceTimersByTimeAsync(60_000);
      expect(job.stats().runs).toBe(runs);
    });

    it('leaves alone an interval the app registered in its place', async () => {
      const registry = new SchedulerRegistry();
      const job = new PoolResizeJob(options(10_000), fakePools().manager, registry);
      job.onModuleInit();
      registry.deleteInterval(POOL_RESIZE_JOB_NAME);
      const replacement = setInterval(() => undefined, 1000);
      registry.addInterval(POOL_RESIZE_JOB_NAME, replacement);
      await job.onModuleDestroy();
      expect(registry.getInterval(POOL_RESIZE_JOB_NAME)).toBe(replacement);
      registry.deleteInterval(POOL_RESIZE_JOB_NAME);
    });
  });
});
