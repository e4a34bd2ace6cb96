import type { FingerprintStatsSnapshot } from './fingerprint-stats.interface';
import { LatencyHistogram } from '../core/latency-histogram';
import type { QuerySample } from '../core/query-sample.interface';
import type { FleetFingerprint, FleetFingerprintCounts } from './fleet/fleet-snapshot';

/**
 * Running totals of one statement shape. Mutable on purpose: recording
 * updates numbers in place and allocates nothing.
 */
export class FingerprintEntry {
  calls = 0;
  executions = 0;
  failures = 0;
  cacheHits = 0;
  preparedCalls = 0;
  rows = 0;
  totalMs = 0;
  minMs = Number.POSITIVE_INFINITY;
  maxMs = 0;
  onPrimary = 0;
  onReadReplica = 0;
  onAnalytics = 0;
  lastSeen: number;
  /**
   * One significant digit: ~5 KiB each, so 1000 fingerprints stay within ~5 MiB.
   * Created on the second execution: most one-off statements never need one.
   */
  private latency?: LatencyHistogram;

  constructor(
    readonly fingerprint: string,
    readonly normalizedSql: string,
    readonly firstSeen: number,
  ) {
    this.lastSeen = firstSeen;
  }

  get meanMs(): number {
    return this.executions === 0 ? 0 : this.totalMs / this.executions;
  }

  record(sample: QuerySample, durationMs: number, nowMs: number): void {
    this.calls++;
    this.lastSeen = nowMs;
    this.rows += sample.rowCount > 0 ? sample.rowCount : 0;
    if (sample.failed) this.failures++;
    if (sample.prepared) this.preparedCalls++;
    if (sample.pool === 'primary') this.onPrimary++;
    else if (sample.pool === 'read_replica') this.onReadReplica++;
    else if (sample.pool === 'analytics') this.onAnalytics++;
    if (sample.cached !== false) {
      this.cacheHits++;
      return;
    }
    if (this.executions === 1) {
      this.latency = new LatencyHistogram({ significantDigits: 1 });
      this.latency.recordMs(this.totalMs); // the first execution's duration
    }
    this.latency?.recordMs(durationMs);
    this.executions++;
    this.totalMs += durationMs;
    if (durationMs < this.minMs) this.minMs = durationMs;
    if (durationMs > this.maxMs) this.maxMs = durationMs;
  }

  /** A percentile of execution time; exact while there has been a single execution. */
  private percentileMs(percentile: number): number {
    return this.latency?.percentileMs(percentile) ?? this.maxMs;
  }

  /** The summable figures and the encoded histogram, for a fleet snapshot. */
  toFleet(): FleetFingerprint {
    let latency = this.latency;
    if (latency === undefined && this.executions === 1) {
      // One execution has no histogram yet (see `latency`): its duration is the whole distribution.
      latency = new LatencyHistogram({ significantDigits: 1 });
      latency.recordMs(this.totalMs);
    }
    return {
      ...this.summable(),
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      latency: latency?.encode(),
    };
  }

  /** The figures both the local and the fleet snapshot carry as they are. */
  private summable(): FleetFingerprintCounts {
    return {
      fingerprint: this.fingerprint,
      normalizedSql: this.normalizedSql,
      calls: this.calls,
      executions: this.executions,
      failures: this.failures,
      cacheHits: this.cacheHits,
      preparedCalls: this.preparedCalls,
      rows: this.rows,
      totalMs: this.totalMs,
      minMs: this.executions === 0 ? 0 : this.minMs,
      maxMs: this.maxMs,
      pools: { primary: this.onPrimary, read_replica: this.onReadReplica, analytics: this.onAnalytics },
    };
  }

  toSnapshot(): FingerprintStatsSnapshot {
    return {
      ...this.summable(),
      meanMs: this.meanMs,
      p95Ms: this.percentileMs(95),
      p99Ms: this.percentileMs(99),
      firstSeen: new Date(this.firstSeen).toISOString(),
      lastSeen: new Date(this.lastSeen).toISOString(),
    };
  }
}
