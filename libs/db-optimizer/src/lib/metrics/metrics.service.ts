import type { CacheMetricsSink } from '../core/cache-metrics-sink.interface';
import type { FaultMetricsSink } from '../core/fault-metrics-sink.interface';
import { Injectable } from '@nestjs/common';
import type { PerformanceTargets } from '../options/db-optimizer-options.interface';
import { FingerprintStats } from './fingerprint-stats';
import type { FingerprintStatsQuery, FingerprintStatsSnapshot } from './fingerprint-stats.interface';
import { MetricsBucket } from './metrics-bucket';
import {
  DEFAULT_MAX_FINGERPRINTS,
  DEFAULT_ROLLING_WINDOW_MS,
  DEFAULT_SLOW_LOG_SIZE,
  ROLLING_WINDOW_SLOTS,
} from './metrics.constants';
import { INVALID_METRICS_OPTION } from './metrics.messages';
import type { MetricsServiceOptions } from '../options/metrics-options.interface';
import type { PerformanceMetrics } from './performance-metrics.interface';
import { buildPerformanceSnapshot } from './performance-snapshot';
import type { PrometheusMetrics } from './prometheus-metrics';
import type { CacheLevel, QuerySample } from '../core/query-sample.interface';
import { RollingWindow } from './rolling-window';
import type { SlowQueryEntry, SlowQueryListener } from '../core/slow-query-entry.interface';
import { SlowQueryLog } from './slow-query-log';
import type { FleetMetrics } from './fleet/fleet-metrics.interface';
import { mergeFleetSnapshots } from './fleet/fleet-merge';
import { FLEET_SNAPSHOT_VERSION, FleetSnapshot } from './fleet/fleet-snapshot';
import { FLEET_TOP_FINGERPRINTS } from './metrics.constants';

/** Where the other instances' snapshots come from (Redis, through `FleetMetricsPublisher`). */
export interface FleetSnapshotSource {
  readonly instanceId: string;
  /** Live snapshots of every instance that published (this one's included); never throws. */
  readSnapshots(): Promise<FleetSnapshot[]>;
}

/** Longest duration recorded, in ms (the histograms' range): one hour. */
const MAX_RECORDED_MS = 3_600_000;

/** A bad duration from a caller must not poison sums: NaN and negatives count as 0, huge ones as one hour. */
const sanitizeMs = (ms: number): number => (ms > 0 ? Math.min(ms, MAX_RECORDED_MS) : 0);

const integerOption = (name: string, value: number | undefined, fallback: number, min: number): number => {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min) {
    throw new RangeError(INVALID_METRICS_OPTION(name, resolved, `an integer >= ${min}`));
  }
  return resolved;
};

/**
 * Observes every step of the data path: query timings per pool and type,
 * connection waits, cache lookups, per-statement statistics, slow calls.
 * Recording is constant time and allocation-free on the common path (only a
 * statement's first two executions and slow calls allocate), about 0.5 µs a
 * call, so it can sit on every query.
 *
 * Figures are kept twice: since start (`performance`) and over a rolling
 * window (`window`). Pass a `PrometheusMetrics` to also feed the Prometheus series.
 * @publicApi
 *
 * @example
 * const metrics = new MetricsService({ slowQueryThresholdMs: 100, targets });
 * metrics.recordQuery({ fingerprint, normalizedSql, durationMs: 1.2, pool: 'read_replica', queryType: 'READ',
 *   cached: false, prepared: true, rowCount: 1, optimized: true });
 * metrics.getPerformanceMetrics().window.p90QueryTimeMs;
 */
@Injectable()
export class MetricsService implements CacheMetricsSink, FaultMetricsSink {
  private readonly now: () => number;
  private readonly slowQueryThresholdMs: number;
  private readonly targets: Required<PerformanceTargets>;
  /**
   * Samples are recorded once, into the window's current slot; a slot leaving
   * the window is added here. Totals since start = retired + unretired slots.
   */
  private readonly retired = new MetricsBucket();
  private readonly window: RollingWindow<MetricsBucket>;
  /** Reused by `getPerformanceMetrics()` to merge into. */
  private readonly totalScratch = new MetricsBucket();
  private readonly windowScratch = new MetricsBucket();
  private readonly fingerprints: FingerprintStats;
  private readonly slowLog: SlowQueryLog;
  private fleet: FleetSnapshotSource | undefined;
  /**
   * Hot-path checkouts handed over at once (no wait), not yet in a window slot: most
   * checkouts are that, and counting one costs an increment where a slot costs a clock read.
   * Each is for a call recorded right after it, so they join the slot of the next recorded
   * query (or of the next read of the figures, if that comes first). Other checkouts (jobs,
   * transactions) have no call recorded after them and are timed into their own slot.
   */
  private immediateAcquisitions = 0;

  constructor(
    options: MetricsServiceOptions,
    private readonly prometheus?: PrometheusMetrics,
  ) {
    this.now = options.now ?? Date.now;
    this.slowQueryThresholdMs = options.slowQueryThresholdMs;
    if (!(this.slowQueryThresholdMs >= 0)) {
      throw new RangeError(INVALID_METRICS_OPTION('slowQueryThresholdMs', this.slowQueryThresholdMs, 'a number >= 0'));
    }
    this.targets = { ...options.targets };
    const windowMs = integerOption('rollingWindowMs', options.rollingWindowMs, DEFAULT_ROLLING_WINDOW_MS, ROLLING_WINDOW_SLOTS);
    this.window = new RollingWindow(windowMs, ROLLING_WINDOW_SLOTS, () => new MetricsBucket(), (slot) =>
      this.retired.merge(slot),
    );
    const maxFingerprints = integerOption('maxFingerprints', options.maxFingerprints, DEFAULT_MAX_FINGERPRINTS, 1);
    this.fingerprints = new FingerprintStats(maxFingerprints);
    this.slowLog = new SlowQueryLog(integerOption('slowLogSize', options.slowLogSize, DEFAULT_SLOW_LOG_SIZE, 0));
  }

  /** Records one call. Hot path. */
  recordQuery(sample: QuerySample): void {
    const nowMs = this.now();
    const durationMs = sanitizeMs(sample.durationMs);
    const slow = durationMs > this.slowQueryThresholdMs;
    const withinTarget = durationMs <= this.targets.p90QueryTimeMs;
    const slot = this.window.slotAt(nowMs);
    if (this.immediateAcquisitions > 0) this.addImmediateAcquisitions(slot);
    slot.recordQuery(sample, durationMs, slow, withinTarget);
    const entry = this.fingerprints.record(sample, durationMs, nowMs);
    this.prometheus?.observeQuery(sample, durationMs);
    if (!slow) return;
    this.prometheus?.countSlowQuery();
    this.slowLog.add({
      fingerprint: entry.fingerprint,
      // The stored text: already redacted and bounded.
      normalizedSql: entry.normalizedSql,
      durationMs,
      pool: sample.pool,
      queryType: sample.queryType,
      failed: sample.failed === true,
      at: new Date(nowMs).toISOString(),
    });
  }

  /**
   * Records how long a caller waited for a connection of `pool`. Hot path.
   * @param hotPath the checkout is for a call recorded right after it (`ManagedPool.acquireIdle()`).
   */
  recordAcquisition(pool: string, durationMs: number, hotPath = false): void {
    const ms = sanitizeMs(durationMs);
    this.prometheus?.observeAcquisition(pool, ms);
    if (ms === 0 && hotPath) {
      this.immediateAcquisitions++;
      return;
    }
    this.window.slotAt(this.now()).recordAcquisition(ms, ms <= this.targets.acquisitionTimeMs);
  }

  /** Puts the checkouts counted by `recordAcquisition` without a slot into `slot`. */
  private addImmediateAcquisitions(slot: MetricsBucket): void {
    slot.recordImmediateAcquisitions(this.immediateAcquisitions, this.targets.acquisitionTimeMs >= 0);
    this.immediateAcquisitions = 0;
  }

  /** Before the figures are read: every checkout counted so far is in the slot of now. */
  private settleImmediateAcquisitions(nowMs: number): void {
    if (this.immediateAcquisitions > 0) this.addImmediateAcquisitions(this.window.slotAt(nowMs));
  }

  /** Records one result-cache lookup. Memory is looked up first, Redis only after a memory miss. */
  recordCacheLookup(level: CacheLevel, hit: boolean): void {
    this.window.slotAt(this.now()).recordCacheLookup(level, hit);
    this.prometheus?.countCacheLookup(level, hit);
  }

  /** Records a cached entry skipped because it is older than the WAL position the read requires (token or session). */
  recordCacheConsistencyBypass(level: CacheLevel): void {
    this.prometheus?.countCacheConsistencyBypass(level);
  }

  /** Records that `count` optimization suggestions were made. */
  recordSuggestions(count: number): void {
    const n = count > 0 ? count : 0;
    this.window.slotAt(this.now()).counts.suggestions += n;
  }

  /** Records a read sent to the primary because no replica was usable. */
  recordReplicaFallback(): void {
    this.window.slotAt(this.now()).counts.replicaFallbacks++;
    this.prometheus?.countReplicaFallback();
  }

  /** Records a read served by a replica while the primary was unreachable (FaultMetricsSink). */
  recordDegradedRead(): void {
    this.window.slotAt(this.now()).counts.degradedReads++;
    this.prometheus?.countDegradedRead();
  }

  /** Figures since start and over the rolling window, with the targets checked. */
  getPerformanceMetrics(): PerformanceMetrics {
    const nowMs = this.now();
    this.settleImmediateAcquisitions(nowMs);
    this.totalScratch.reset();
    this.totalScratch.merge(this.retired);
    this.window.addUnretiredTo(this.totalScratch);
    this.windowScratch.reset();
    this.window.addWindowTo(this.windowScratch, nowMs);
    return {
      performance: buildPerformanceSnapshot(this.totalScratch, this.targets),
      window: buildPerformanceSnapshot(this.windowScratch, this.targets),
      windowMs: this.window.windowMs,
    };
  }

  /** Per-statement statistics, heaviest first. */
  getFingerprintStats(query: FingerprintStatsQuery = {}): FingerprintStatsSnapshot[] {
    return this.fingerprints.top(query);
  }

  /** The latest slow calls, newest first. */
  getSlowQueries(): Array<Readonly<SlowQueryEntry>> {
    return this.slowLog.entries();
  }

  /** Calls `listener` for each slow call, synchronously; returns an unsubscribe function. */
  onSlowQuery(listener: SlowQueryListener): () => void {
    return this.slowLog.onSlowQuery(listener);
  }

  /**
   * This instance's totals since start, compact: what it publishes for the fleet.
   * @param instanceId the id the snapshot is published under.
   */
  fleetSnapshot(instanceId: string): FleetSnapshot {
    const nowMs = this.now();
    this.settleImmediateAcquisitions(nowMs);
    this.totalScratch.reset();
    this.totalScratch.merge(this.retired);
    this.window.addUnretiredTo(this.totalScratch);
    return {
      v: FLEET_SNAPSHOT_VERSION,
      instanceId,
      at: nowMs,
      ...this.totalScratch.toFleetPart(),
      fingerprints: this.fingerprints.topForFleet(FLEET_TOP_FINGERPRINTS),
    };
  }

  /** Connects the source of other instances' snapshots (the module does it when Redis and `fleetMetricsIntervalMs` are set). */
  connectFleet(source: FleetSnapshotSource | undefined): void {
    this.fleet = source;
  }

  /**
   * Figures of every instance publishing to the same Redis (and namespace), merged:
   * counters summed, latency histograms added before percentiles are read, statements
   * merged by fingerprint. This instance counts with its figures of now; the others with
   * their latest snapshot (at most `fleetMetricsIntervalMs` old); an instance that stopped
   * publishing drops out once its snapshot expires (3 intervals). Without Redis or with
   * `fleetMetricsIntervalMs: 0`, the fleet is this instance alone.
   *
   * @example
   * const fleet = await metrics.getFleetMetrics();
   * fleet.instances.length; fleet.performance.totalQueries; fleet.performance.p99QueryTimeMs;
   */
  async getFleetMetrics(): Promise<FleetMetrics> {
    const self = this.fleet?.instanceId ?? 'this-instance';
    const others = ((await this.fleet?.readSnapshots()) ?? []).filter((snapshot) => snapshot.instanceId !== self);
    return mergeFleetSnapshots(self, [this.fleetSnapshot(self), ...others], this.targets, FLEET_TOP_FINGERPRINTS);
  }

  /** Forgets everything recorded (Prometheus counters excepted: they must only go up). */
  reset(): void {
    this.immediateAcquisitions = 0;
    this.retired.reset();
    this.window.reset();
    this.fingerprints.reset();
    this.slowLog.reset();
  }
}
