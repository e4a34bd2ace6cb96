import { MetricsService } from './metrics.service';
import type { MetricsServiceOptions } from '../options/metrics-options.interface';
import type { QuerySample } from '../core/query-sample.interface';

const TARGETS: MetricsServiceOptions['targets'] = {
  p90QueryTimeMs: 95,
  acquisitionTimeMs: 5,
  cacheHitRate: 0.9,
  queryOptimizationRate: 0.6,
  connectionPoolEfficiency: 0.95,
};

const query = (overrides: Partial<QuerySample> = {}): QuerySample => ({
  fingerprint: 'a1b2c3d4e5f60708',
  normalizedSql: 'SELECT * FROM users WHERE id = $1',
  durationMs: 1,
  pool: 'primary',
  queryType: 'READ',
  cached: false,
  prepared: false,
  rowCount: 1,
  optimized: false,
  ...overrides,
});

/** A service on a fake clock, and a way to move it. */
const setup = (options: Partial<MetricsServiceOptions> = {}) => {
  let nowMs = Date.UTC(2025, 0, 1);
  const service = new MetricsService({ slowQueryThresholdMs: 80, targets: TARGETS, now: () => nowMs, ...options });
  return { service, advance: (ms: number) => (nowMs += ms) };
};

/**
 * 100 calls of 1..100 ms: 60 on the read replica, 30 on the primary, 10 on
 * analytics; the replica and analytics ones optimized; every other one prepared.
 */
const recordHundred = (service: MetricsService): void => {
  for (let i = 1; i <= 100; i++) {
    const pool = i <= 60 ? 'read_replica' : i <= 90 ? 'primary' : 'analytics';
    service.recordQuery(query({ durationMs: i, pool, optimized: pool !== 'primary', prepared: i % 2 === 0 }));
  }
};

describe('MetricsService', () => {
  describe('#getPerformanceMetrics', () => {
    it('reports zeros and met targets before anything is recorded', () => {
      const { performance, window } = setup().service.getPerformanceMetrics();
      expect(performance).toEqual(window);
      expect(performance).toMatchObject({ totalQueries: 0, cacheHitRate: 0, avgQueryTimeMs: 0, p99QueryTimeMs: 0 });
      expect(performance.targetsMet.allTargetsMet).toBe(true);
    });

    it('counts 100 known calls exactly and reads percentiles within HDR precision', () => {
      const { service } = setup();
      recordHundred(service);
      const { performance } = service.getPerformanceMetrics();

      expect(performance).toMatchObject({
        totalQueries: 100,
        failedQueries: 0,
        optimizedQueries: 70,
        preparedStatementHits: 50,
        readReplicaQueries: 60,
        primaryQueries: 30,
        analyticalQueries: 10,
        queryOptimizationRate: 0.7,
        avgQueryTimeMs: 50.5,
        slowQueriesDetected: 20,
      });
      for (const [percentile, expected] of [[50, 50], [90, 90], [95, 95], [99, 99]] as const) {
        const reported = performance[`p${percentile}QueryTimeMs`];
        expect(Math.abs(reported - expected) / expected).toBeLessThanOrEqual(0.01);
      }
    });

    it('counts a Redis hit after a memory miss as one cache hit', () => {
      const { service } = setup();
      for (let i = 0; i < 60; i++) service.recordCacheLookup('memory', true);
      for (let i = 0; i < 40; i++) service.recordCacheLookup('memory', false);
      for (let i = 0; i < 30; i++) service.recordCacheLookup('redis', true);
      for (let i = 0; i < 10; i++) service.recordCacheLookup('redis', false);

      const { performance } = service.getPerformanceMetrics();
      expect(performance).toMatchObject({ cacheHits: 90, cacheMisses: 10, cacheHitRate: 0.9 });
      expect(performance.targetsMet.cacheHitRate).toBe(true);

      service.recordCacheLookup('memory', false);
      expect(service.getPerformanceMetrics().performance.targetsMet.cacheHitRate).toBe(false);
    });

    it('measures pool efficiency as the share of acquisitions within the acquisition target', () => {
      const { service } = setup();
      for (let i = 0; i < 96; i++) service.recordAcquisition('primary', 1);
      for (let i = 0; i < 4; i++) service.recordAcquisition('primary', 10);

      const { performance } = service.getPerformanceMetrics();
      expect(performance.connectionPoolEfficiency).toBe(0.96);
      expect(Math.abs(performance.acquisitionP99Ms - 10) / 10).toBeLessThanOrEqual(0.01);
      expect(performance.targetsMet).toMatchObject({ connectionPoolEfficiency: true, acquisitionTime: false });
    });

    it('meets the p90 target exactly at the boundary and misses it just below', () => {
      const at = (p90QueryTimeMs: number) => {
        const { service } = setup({ targets: { ...TARGETS, p90QueryTimeMs } });
        recordHundred(service);
        return service.getPerformanceMetrics().performance.targetsMet.p90QueryTime;
      };
      expect(at(90)).toBe(true);
      expect(at(89.9)).toBe(false);
    });

    it('flips allTargetsMet when one target fails', () => {
      const { service } = setup();
      recordHundred(service);
      service.recordAcquisition('primary', 1);
      expect(service.getPerformanceMetrics().performance.targetsMet.allTargetsMet).toBe(true);

      for (let i = 0; i < 100; i++) service.recordQuery(query({ durationMs: 1, optimized: false }));
      const { targetsMet, queryOptimizationRate } = service.getPerformanceMetrics().performance;
      expect(queryOptimizationRate).toBe(0.35);
      expect(targetsMet).toMatchObject({ queryOptimizationRate: false, allTargetsMet: false });
    });

    it('counts failures, suggestions and replica fallbacks', () => {
      const { service } = setup();
      service.recordQuery(query({ failed: true }));
      service.recordSuggestions(3);
      service.recordSuggestions(2);
      service.recordReplicaFallback();
      expect(service.getPerformanceMetrics().performance).toMatchObject({
        totalQueries: 1,
        failedQueries: 1,
        optimizationSuggestionsMade: 5,
        replicaFallbacks: 1,
      });
    });

    it('treats NaN and negative durations as 0 so the mean stays a number', () => {
      const { service } = setup();
      service.recordQuery(query({ durationMs: Number.NaN }));
      service.recordQuery(query({ durationMs: -5 }));
      service.recordQuery(query({ durationMs: 3 }));
      expect(service.getPerformanceMetrics().performance.avgQueryTimeMs).toBe(1);
    });
  });

  describe('rolling window', () => {
    it('forgets calls older than the window while the totals keep them', () => {
      const { service, advance } = setup({ rollingWindowMs: 60_000 });
      recordHundred(service);
      advance(30_000);
      service.recordQuery(query({ durationMs: 7 }));
      expect(service.getPerformanceMetrics().window.totalQueries).toBe(101);

      advance(40_000);
      const { performance, window, windowMs } = service.getPerformanceMetrics();
      expect(windowMs).toBe(60_000);
      expect(performance.totalQueries).toBe(101);
      expect(window).toMatchObject({ totalQueries: 1, avgQueryTimeMs: 7, slowQueriesDetected: 0 });

      advance(60_000);
      expect(service.getPerformanceMetrics().window.totalQueries).toBe(0);
    });

    it('keeps every call in the totals as slots rotate out of the window', () => {
      const { service, advance } = setup({ rollingWindowMs: 60_000 });
      for (let second = 0; second < 600; second++) {
        service.recordQuery(query({ durationMs: second < 300 ? 1 : 1000 }));
        service.recordAcquisition('primary', 1);
        advance(1_000);
      }
      const { performance, window } = service.getPerformanceMetrics();
      expect(performance).toMatchObject({ totalQueries: 600, acquisitions: 600, avgQueryTimeMs: 500.5, slowQueriesDetected: 300 });
      expect(Math.abs(performance.p50QueryTimeMs - 1) / 1).toBeLessThanOrEqual(0.01);
      // The clock sits at the start of a fresh slot: the window holds the five full slots before it.
      expect(window.totalQueries).toBe(50);
      expect(window.avgQueryTimeMs).toBe(1000);
    });

    it('holds the window counts of cache, acquisitions and fallbacks too', () => {
      const { service, advance } = setup({ rollingWindowMs: 6_000 });
      service.recordCacheLookup('memory', true);
      service.recordAcquisition('primary', 1);
      service.recordReplicaFallback();
      service.recordSuggestions(1);
      expect(service.getPerformanceMetrics().window).toMatchObject({
        cacheHits: 1,
        acquisitions: 1,
        replicaFallbacks: 1,
        optimizationSuggestionsMade: 1,
      });
      advance(7_000);
      expect(service.getPerformanceMetrics().window).toMatchObject({ cacheHits: 0, acquisitions: 0, replicaFallbacks: 0 });
    });
  });

  describe('hot-path checkouts handed over at once', () => {
    /** A service whose clock counts its reads. */
    const counted = () => {
      let reads = 0;
      let nowMs = Date.UTC(2025, 0, 1);
      const service = new MetricsService({ slowQueryThresholdMs: 80, targets: TARGETS, rollingWindowMs: 6_000, now: () => (reads++, nowMs) });
      return { service, reads: () => reads, advance: (ms: number) => (nowMs += ms) };
    };

    it('counts them without reading the clock, and every reader sees them', () => {
      const { service, reads } = counted();
      for (let i = 0; i < 3; i++) service.recordAcquisition('primary', 0, true);
      expect(reads()).toBe(0);

      const { performance, window } = service.getPerformanceMetrics();
      expect(performance).toMatchObject({ acquisitions: 3, connectionPoolEfficiency: 1, acquisitionP99Ms: 0.001 });
      expect(window.acquisitions).toBe(3);
      service.recordAcquisition('primary', 0, true);
      expect(service.fleetSnapshot('a').counts).toMatchObject({ acquisitions: 4, acquisitionsWithinTarget: 4 });
    });

    it('puts them in the slot of the call recorded after them, next to the checkouts that waited', () => {
      const { service, advance } = counted();
      service.recordAcquisition('primary', 0, true);
      advance(7_000);
      service.recordAcquisition('primary', 10, true);
      service.recordQuery(query());
      // Counted with the call recorded after it (the one it was for, as a rule): inside the window.
      expect(service.getPerformanceMetrics().window).toMatchObject({ acquisitions: 2, totalQueries: 1, connectionPoolEfficiency: 0.5 });
      advance(7_000);
      expect(service.getPerformanceMetrics()).toMatchObject({ window: { acquisitions: 0 }, performance: { acquisitions: 2 } });
    });

    it('times a checkout off the hot path (a job\'s, which no recorded call follows) into its own slot', () => {
      const { service, reads, advance } = counted();
      service.recordAcquisition('primary', 0);
      expect(reads()).toBe(1);
      advance(7_000);
      expect(service.getPerformanceMetrics()).toMatchObject({ window: { acquisitions: 0 }, performance: { acquisitions: 1 } });
    });

    it('forgets them on reset', () => {
      const { service } = counted();
      service.recordAcquisition('primary', 0, true);
      service.reset();
      expect(service.getPerformanceMetrics().performance.acquisitions).toBe(0);
    });
  });

  describe('#getSlowQueries and #onSlowQuery', () => {
    it('logs calls over the threshold, newest first, and tells listeners', () => {
      const { service } = setup({ slowLogSize: 5 });
      const heard: number[] = [];
      const unsubscribe = service.onSlowQuery((entry) => {
        heard.push(entry.durationMs);
      });
      recordHundred(service);
      unsubscribe();
      service.recordQuery(query({ durationMs: 500, pool: 'primary', queryType: 'WRITE' }));

      expect(heard).toHaveLength(20);
      const slow = service.getSlowQueries();
      expect(slow.map((entry) => entry.durationMs)).toEqual([500, 100, 99, 98, 97]);
      expect(slow[0]).toMatchObject({ pool: 'primary', queryType: 'WRITE', failed: false, at: '2025-01-01T00:00:00.000Z' });
    });
  });

  describe('#getFingerprintStats', () => {
    it('groups calls by fingerprint and orders them', () => {
      const { service } = setup();
      for (let i = 0; i < 3; i++) service.recordQuery(query({ fingerprint: 'many', durationMs: 1 }));
      service.recordQuery(query({ fingerprint: 'heavy', normalizedSql: 'SELECT count(*) FROM orders', durationMs: 50 }));

      expect(service.getFingerprintStats({ orderBy: 'calls' }).map((s) => s.fingerprint)).toEqual(['many', 'heavy']);
      expect(service.getFingerprintStats({ orderBy: 'totalTime', limit: 1 })).toEqual([
        expect.objectContaining({ fingerprint: 'heavy', calls: 1, totalMs: 50 }),
      ]);
    });
  });

  describe('literal values', () => {
    it('never keeps a literal, even when raw SQL is passed as normalized text', () => {
      const { service } = setup({ slowQueryThresholdMs: 0 });
      service.recordQuery(query({ normalizedSql: 'SELECT * FROM users WHERE id = $1', durationMs: 5 }));
      service.recordQuery(
        query({ fingerprint: 'raw', normalizedSql: "SELECT * FROM users WHERE token = 'secret-value-42' AND pin = 4242", durationMs: 5 }),
      );
      const everything = JSON.stringify([service.getPerformanceMetrics(), service.getFingerprintStats(), service.getSlowQueries()]);
      expect(everything).not.toContain('secret-value-42');
      expect(everything).not.toContain('4242');
      expect(everything).toContain('SELECT * FROM users WHERE token = ? AND pin = ?');
    });
  });

  describe('#constructor', () => {
    it('rejects a window shorter than its slots with a sentence naming the option', () => {
      expect(() => setup({ rollingWindowMs: 3 })).toThrow('MetricsService option rollingWindowMs=3 is invalid');
    });
  });
});
