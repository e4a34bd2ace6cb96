import type { PerformanceTargets } from './db-optimizer-options.interface';

/**
 * Options of `MetricsService`, plain values so tests can build one with `new`.
 * @publicApi
 *
 * @example
 * new MetricsService({
 *   slowQueryThresholdMs: 100,
 *   targets: {
 *     p90QueryTimeMs: 25,
 *     acquisitionTimeMs: 5,
 *     cacheHitRate: 0.95,
 *     queryOptimizationRate: 0.9,
 *     connectionPoolEfficiency: 0.95,
 *   },
 * })
 */
export interface MetricsServiceOptions {
  /** Calls slower than this (strictly) go to the slow-query log. */
  slowQueryThresholdMs: number;
  /** What `targetsMet` compares against. */
  targets: Required<PerformanceTargets>;
  /** Span of the `window` figures, in ms; it slides in sixths of this. @default 60000 */
  rollingWindowMs?: number;
  /** Fingerprints tracked; the least used are evicted beyond this. @default 1000 */
  maxFingerprints?: number;
  /** Entries kept in the slow-query log (newest win). @default 200 */
  slowLogSize?: number;
  /** Clock in epoch ms; tests pass a fake one to move time without sleeping. @default Date.now */
  now?: () => number;
}
