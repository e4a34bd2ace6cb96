import { LatencyHistogram } from '../../core/latency-histogram';
import type { PerformanceTargets } from '../../options/db-optimizer-options.interface';
import type { FingerprintStatsSnapshot } from '../fingerprint-stats.interface';
import { MetricsBucket } from '../metrics-bucket';
import { buildPerformanceSnapshot } from '../performance-snapshot';
import type { FleetMetrics } from './fleet-metrics.interface';
import type { FleetFingerprint, FleetSnapshot } from './fleet-snapshot';

/** A statement's fleet totals while merging. */
interface MergedFingerprint {
  sum: FleetFingerprint;
  latency: LatencyHistogram;
}

/**
 * Merges snapshots of several instances (one per instance; `self` first): counters summed,
 * histograms added bucket by bucket, then percentiles read once from the sums. Averaging
 * percentiles would be wrong: the p99 of two instances is not the mean of their p99s.
 * A snapshot whose histograms do not decode is left out whole, so counts and
 * percentiles always describe the same calls.
 */
export function mergeFleetSnapshots(self: string, snapshots: readonly FleetSnapshot[], targets: Required<PerformanceTargets>, fingerprintLimit: number): FleetMetrics {
  const bucket = new MetricsBucket();
  const statements = new Map<string, MergedFingerprint>();
  const instances: FleetMetrics['instances'] = [];
  for (const snapshot of snapshots) {
    if (!addSnapshot(bucket, statements, snapshot)) continue;
    instances.push({ instanceId: snapshot.instanceId, publishedAt: new Date(snapshot.at).toISOString() });
  }
  const fingerprints = [...statements.values()]
    .map(toStatsSnapshot)
    .sort((a, b) => b.totalMs - a.totalMs || b.calls - a.calls)
    .slice(0, fingerprintLimit);
  return { self, instances, performance: buildPerformanceSnapshot(bucket, targets), fingerprints };
}

function addSnapshot(bucket: MetricsBucket, statements: Map<string, MergedFingerprint>, snapshot: FleetSnapshot): boolean {
  // Decoded apart first: a corrupt histogram must not leave half a snapshot in the sums.
  const part = new MetricsBucket();
  const parts = new Map<string, LatencyHistogram>();
  try {
    part.addFleetPart(snapshot);
    for (const entry of snapshot.fingerprints) {
      const latency = new LatencyHistogram({ significantDigits: 1 });
      if (entry.latency !== undefined) latency.addEncoded(entry.latency);
      parts.set(entry.fingerprint, latency);
    }
  } catch {
    return false;
  }
  bucket.merge(part);
  for (const entry of snapshot.fingerprints) addFingerprint(statements, entry, parts.get(entry.fingerprint) as LatencyHistogram);
  return true;
}

function addFingerprint(statements: Map<string, MergedFingerprint>, entry: FleetFingerprint, latency: LatencyHistogram): void {
  const merged = statements.get(entry.fingerprint);
  if (!merged) {
    statements.set(entry.fingerprint, { sum: { ...entry, pools: { ...entry.pools }, latency: undefined }, latency });
    return;
  }
  const sum = merged.sum;
  // The smallest of the instances that ran it: an instance with no execution has minMs 0 and no say.
  if (entry.executions > 0) sum.minMs = sum.executions > 0 ? Math.min(sum.minMs, entry.minMs) : entry.minMs;
  sum.calls += entry.calls;
  sum.executions += entry.executions;
  sum.failures += entry.failures;
  sum.cacheHits += entry.cacheHits;
  sum.preparedCalls += entry.preparedCalls;
  sum.rows += entry.rows;
  sum.totalMs += entry.totalMs;
  sum.maxMs = Math.max(sum.maxMs, entry.maxMs);
  sum.firstSeen = Math.min(sum.firstSeen, entry.firstSeen);
  sum.lastSeen = Math.max(sum.lastSeen, entry.lastSeen);
  for (const pool of Object.keys(sum.pools) as Array<keyof FleetFingerprint['pools']>) sum.pools[pool] += entry.pools[pool] ?? 0;
  merged.latency.add(latency);
}

function toStatsSnapshot({ sum, latency }: MergedFingerprint): FingerprintStatsSnapshot {
  return {
    fingerprint: sum.fingerprint,
    normalizedSql: sum.normalizedSql,
    calls: sum.calls,
    executions: sum.executions,
    failures: sum.failures,
    cacheHits: sum.cacheHits,
    preparedCalls: sum.preparedCalls,
    rows: sum.rows,
    totalMs: sum.totalMs,
    meanMs: sum.executions === 0 ? 0 : sum.totalMs / sum.executions,
    minMs: sum.executions === 0 ? 0 : sum.minMs,
    maxMs: sum.maxMs,
    p95Ms: latency.percentileMs(95),
    p99Ms: latency.percentileMs(99),
    pools: sum.pools,
    firstSeen: new Date(sum.firstSeen).toISOString(),
    lastSeen: new Date(sum.lastSeen).toISOString(),
  };
}
