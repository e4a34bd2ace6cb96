import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import type { PoolClient } from 'pg';
import { DB_OPTIMIZER_RESOLVED_OPTIONS, type DbOptimizerOptions } from '@db-optimizer/core';
import type { ManagedPool } from '../../../src/lib/pool/managed-pool';
import { PoolManagerService } from '../../../src/lib/pool/pool-manager.service';
import { resolveOptions } from '../../../src/lib/options/resolve-options';
import { PoolResizeJob } from '../../../src/lib/jobs/pool-resize.job';

/** Long enough that no timed run lands inside a test: tests call `runOnce()` themselves. */
export const MANUAL_INTERVAL_MS = 3_600_000;

/** A booted pool manager and resize job, and what the tests look at. */
export interface ResizeInstance {
  app: INestApplicationContext;
  pools: PoolManagerService;
  job: PoolResizeJob;
  /** `undefined` when booted without ScheduleModule. */
  registry: SchedulerRegistry | undefined;
  close(): Promise<void>;
}

/**
 * Boots only what auto-sizing needs (options, pools, the job), with
 * `ScheduleModule.forRoot()` as the host app would import it. The interval
 * defaults to `MANUAL_INTERVAL_MS`: the sampler runs, timed runs do not.
 */
export async function startResizeInstance(
  options: Omit<DbOptimizerOptions, 'primaryUrl'> & { primaryUrl: string },
  { scheduleModule = true } = {},
): Promise<ResizeInstance> {
  const moduleRef = await Test.createTestingModule({
    imports: scheduleModule ? [ScheduleModule.forRoot()] : [],
    providers: [
      { provide: DB_OPTIMIZER_RESOLVED_OPTIONS, useValue: resolveOptions({ poolResizeIntervalMs: MANUAL_INTERVAL_MS, ...options }) },
      PoolManagerService,
      PoolResizeJob,
    ],
  }).compile();
  const app = await moduleRef.init();
  return {
    app,
    pools: app.get(PoolManagerService),
    job: app.get(PoolResizeJob),
    registry: scheduleModule ? app.get(SchedulerRegistry) : undefined,
    close: () => app.close(),
  };
}

/**
 * Keeps `workers` callers running `SELECT pg_sleep(sleepSeconds)` on the pool,
 * each one query after another, until `durationMs` has passed. Calling
 * `connect()` afresh for each query is what lets a raised limit open clients.
 */
export async function load(pool: ManagedPool, workers: number, durationMs: number, sleepSeconds = 0.1): Promise<void> {
  const deadline = Date.now() + durationMs;
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) await pool.withClient((client: PoolClient) => client.query('SELECT pg_sleep($1)', [sleepSeconds]));
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `read` every 10 ms until `until` settles, and returns the largest value seen. */
export async function peakDuring(read: () => number, until: Promise<unknown>): Promise<number> {
  let peak = read();
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    peak = Math.max(peak, read());
    await sleep(10);
  }
  return peak;
}
