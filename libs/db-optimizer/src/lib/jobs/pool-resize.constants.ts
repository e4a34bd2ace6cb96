/**
 * Name of the sampler interval that feeds the resize job's per-interval peaks,
 * registered in `SchedulerRegistry` beside `POOL_RESIZE_JOB_NAME`.
 * @publicApi
 */
export const POOL_LOAD_SAMPLER_NAME = 'db-optimizer:pool-load-sampler';

/**
 * How often the sampler reads each pool's busy and waiting counts, in ms.
 * Short bursts of queueing must be seen, and a sample costs three property
 * reads per pool. Capped at a fifth of the resize interval.
 */
export const POOL_LOAD_SAMPLE_PERIOD_MS = 100;

/** The sampler's period for a resize interval: at least 5 samples per interval, at most every 10 ms. */
export function samplePeriodMs(resizeIntervalMs: number): number {
  return Math.max(10, Math.min(POOL_LOAD_SAMPLE_PERIOD_MS, Math.floor(resizeIntervalMs / 5)));
}
