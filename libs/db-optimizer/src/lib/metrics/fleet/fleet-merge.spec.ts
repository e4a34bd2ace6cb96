import { LatencyHistogram } from '../../core/latency-histogram';
import type { QuerySample } from '../../core/query-sample.interface';
import { MetricsService } from '../metrics.service';
import { mergeFleetSnapshots } from './fleet-merge';
import { decodeFleetSnapshot, encodeFleetSnapshot } from './fleet-snapshot';

const targets = { p90QueryTimeMs: 25, acquisitionTimeMs: 5, cacheHitRate: 0.95, queryOptimizationRate: 0.9, connectionPoolEfficiency: 0.95 };
const sample = (fingerprint: string, durationMs: number, extra: Partial<QuerySample> = {}): QuerySample => ({
  fingerprint, normalizedSql: `SELECT ${fingerprint}`, durationMs, pool: 'read_replica', queryType: 'READ', cached: false, prepared: true, rowCount: 1, optimized: true, ...extra,
});

/** Two instances with different latency shapes, and every duration either recorded. */
function twoInstances(): { a: MetricsService; b: MetricsService; all: number[] } {
  const a = new MetricsService({ slowQueryThresholdMs: 100, targets });
  const b = new MetricsService({ slowQueryThresholdMs: 100, targets });
  const all: number[] = [];
  let seed = 7;
  const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < 3000; i++) {
    const fast = 0.2 + next() * 2;
    a.recordQuery(sample(i % 3 === 0 ? 'q1' : 'q2', fast));
    all.push(fast);
  }
  for (let i = 0; i < 500; i++) {
    const slow = 20 + next() * 300;
    b.recordQuery(sample('q1', slow, { pool: 'primary', failed: i % 50 === 0 }));
    all.push(slow);
  }
  b.recordCacheLookup('memory', true);
  return { a, b, all };
}

describe('mergeFleetSnapshots', () => {
  it('sums counters and reads percentiles from the summed histograms, as one histogram of all calls would', () => {
    const { a, b, all } = twoInstances();
    const snapshots = [a.fleetSnapshot('a'), b.fleetSnapshot('b')].map((s) => decodeFleetSnapshot(encodeFleetSnapshot(s))!);
    const fleet = mergeFleetSnapshots('a', snapshots, targets, 10);
    const own = [a, b].map((m) => m.getPerformanceMetrics().performance);

    expect(fleet.instances.map((i) => i.instanceId)).toEqual(['a', 'b']);
    expect(fleet.performance.totalQueries).toBe(own[0].totalQueries + own[1].totalQueries);
    expect(fleet.performance.failedQueries).toBe(own[1].failedQueries);
    expect(fleet.performance.primaryQueries).toBe(500);
    expect(fleet.performance.cacheHits).toBe(1);
    const reference = new LatencyHistogram();
    for (const ms of all) reference.recordMs(ms);
    for (const p of [50, 90, 95, 99]) expect(fleet.performance[`p${p}QueryTimeMs` as 'p50QueryTimeMs']).toBe(reference.percentileMs(p));
    // Averaging the instances' p99s would say something else entirely.
    expect(fleet.performance.p99QueryTimeMs).not.toBeCloseTo((own[0].p99QueryTimeMs + own[1].p99QueryTimeMs) / 2, 0);
  });

  it('merges statements by fingerprint', () => {
    const { a, b } = twoInstances();
    const fleet = mergeFleetSnapshots('a', [a.fleetSnapshot('a'), b.fleetSnapshot('b')], targets, 10);
    const q1 = fleet.fingerprints.find((f) => f.fingerprint === 'q1')!;
    const [aQ1, bQ1] = [a, b].map((m) => m.getFingerprintStats().find((f) => f.fingerprint === 'q1')!);
    expect(q1.calls).toBe(aQ1.calls + bQ1.calls);
    expect(q1.totalMs).toBeCloseTo(aQ1.totalMs + bQ1.totalMs, 6);
    expect(q1.minMs).toBe(aQ1.minMs);
    expect(q1.maxMs).toBe(bQ1.maxMs);
    expect(q1.pools).toEqual({ primary: 500, read_replica: aQ1.pools.read_replica, analytics: 0 });
    expect(fleet.fingerprints.map((f) => f.fingerprint)).toEqual(['q1', 'q2']);
  });

  it('leaves out a snapshot whose histogram does not decode, whole', () => {
    const { a, b } = twoInstances();
    const broken = { ...b.fleetSnapshot('b'), queryLatency: 'not a histogram' };
    const fleet = mergeFleetSnapshots('a', [a.fleetSnapshot('a'), broken], targets, 10);
    expect(fleet.instances.map((i) => i.instanceId)).toEqual(['a']);
    expect(fleet.performance.totalQueries).toBe(3000);
  });

  it('answers for this instance alone when no fleet is connected', async () => {
    const { a } = twoInstances();
    const fleet = await a.getFleetMetrics();
    expect(fleet.instances).toHaveLength(1);
    expect(fleet.performance.totalQueries).toBe(a.getPerformanceMetrics().performance.totalQueries);
  });
});
