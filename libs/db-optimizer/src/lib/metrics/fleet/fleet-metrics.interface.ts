import type { FingerprintStatsSnapshot } from '../fingerprint-stats.interface';
import type { PerformanceSnapshot } from '../performance-metrics.interface';

/**
 * One instance that counts in the fleet figures.
 * @publicApi
 */
export interface FleetInstance {
  /** `host:pid:random`, fixed for the life of the module instance. */
  instanceId: string;
  /** ISO time of the snapshot used (for this instance: now). */
  publishedAt: string;
}

/**
 * Every live instance's figures merged: what `MetricsService.getFleetMetrics()` returns.
 * @publicApi
 */
export interface FleetMetrics {
  /** This instance's id. */
  self: string;
  /** Instances whose snapshot had not expired, this one first. */
  instances: FleetInstance[];
  /**
   * Totals since each instance started, summed: counters added, percentiles read from the
   * sum of the instances' HDR histograms (exact as one histogram of every call would be),
   * rates recomputed from the summed counts.
   */
  performance: PerformanceSnapshot;
  /**
   * Statements across the fleet, merged by fingerprint, heaviest (total time) first. Each
   * instance sends its `FLEET_TOP_FINGERPRINTS` heaviest, so a statement outside an
   * instance's top list is missing that instance's share.
   */
  fingerprints: FingerprintStatsSnapshot[];
}
