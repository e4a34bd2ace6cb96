import { Logger } from '@nestjs/common';
import { testEnv, waitFor } from '@db-optimizer/cluster';
import { POOL_RESIZE_JOB_NAME } from '@db-optimizer/core';
import { POOL_LOAD_SAMPLER_NAME } from '../../src/lib/jobs/pool-resize.constants';
import { startResizeInstance } from './support/resize-test-module';

describe('pool resize: scheduling', () => {
  const env = testEnv();

  it('registers the job in SchedulerRegistry as db-optimizer:pool-resize, runs it on its interval, and removes it on close', async () => {
    const instance = await startResizeInstance({ primaryUrl: env.primaryUrl, poolResizeIntervalMs: 100 });
    const registry = instance.registry!;
    try {
      expect(POOL_RESIZE_JOB_NAME).toBe('db-optimizer:pool-resize');
      expect(registry.getInterval(POOL_RESIZE_JOB_NAME)).toBeDefined();
      expect(registry.getInterval(POOL_LOAD_SAMPLER_NAME)).toBeDefined();
      await waitFor(() => instance.job.stats().runs >= 3, { what: 'three timed runs' });
    } finally {
      await instance.close();
    }
    expect(registry.doesExist('interval', POOL_RESIZE_JOB_NAME)).toBe(false);
    expect(registry.doesExist('interval', POOL_LOAD_SAMPLER_NAME)).toBe(false);
  });

  it('can be paused through the registry', async () => {
    const instance = await startResizeInstance({ primaryUrl: env.primaryUrl, poolResizeIntervalMs: 100 });
    try {
      await waitFor(() => instance.job.stats().runs >= 1, { what: 'the first run' });
      instance.registry!.deleteInterval(POOL_RESIZE_JOB_NAME);
      const runs = instance.job.stats().runs;
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(instance.job.stats().runs).toBe(runs);
    } finally {
      await instance.close();
    }
  });

  it('still runs without ScheduleModule, on private timers, and says to import ScheduleModule.forRoot()', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const instance = await startResizeInstance({ primaryUrl: env.primaryUrl, poolResizeIntervalMs: 100 }, { scheduleModule: false });
    try {
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Import ScheduleModule.forRoot() from @nestjs/schedule'));
      await waitFor(() => instance.job.stats().runs >= 3, { what: 'three timed runs on private timers' });
    } finally {
      warn.mockRestore();
      await instance.close();
    }
  });

  it('registers nothing when poolResizeIntervalMs is 0', async () => {
    const instance = await startResizeInstance({ primaryUrl: env.primaryUrl, poolResizeIntervalMs: 0 });
    try {
      expect(instance.registry!.getIntervals()).toEqual([]);
    } finally {
      await instance.close();
    }
  });
});
