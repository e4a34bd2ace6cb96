import { FingerprintStats } from './fingerprint-stats';
import type { QuerySample } from '../core/query-sample.interface';

const call = (fingerprint: string, overrides: Partial<QuerySample> = {}): QuerySample => ({
  fingerprint,
  normalizedSql: `SELECT * FROM ${fingerprint} WHERE id = $1`,
  durationMs: 1,
  pool: 'read_replica',
  queryType: 'READ',
  cached: false,
  prepared: false,
  rowCount: 1,
  optimized: true,
  ...overrides,
});

/** Records `calls` calls of `fingerprint` at `nowMs`. */
const record = (stats: FingerprintStats, fingerprint: string, calls: number, nowMs: number): void => {
  for (let i = 0; i < calls; i++) stats.record(call(fingerprint), 1, nowMs);
};

describe('FingerprintStats', () => {
  describe('#record', () => {
    it('keeps what pg_stat_statements keeps, per fingerprint', () => {
      const stats = new FingerprintStats(10);
      const durations = [2, 4, 6];
      durations.forEach((ms, i) => stats.record(call('f', { rowCount: 10, prepared: i > 0 }), ms, 1_000 + i));
      stats.record(call('f', { pool: 'primary', failed: true, rowCount: 0 }), 8, 2_000);

      expect(stats.get('f')).toEqual({
        fingerprint: 'f',
        normalizedSql: 'SELECT * FROM f WHERE id = $1',
        calls: 4,
        executions: 4,
        failures: 1,
        cacheHits: 0,
        preparedCalls: 2,
        rows: 30,
        totalMs: 20,
        meanMs: 5,
        minMs: 2,
        maxMs: 8,
        p95Ms: expect.closeTo(8, 0),
        p99Ms: expect.closeTo(8, 0),
        pools: { primary: 1, read_replica: 3, analytics: 0 },
        firstSeen: new Date(1_000).toISOString(),
        lastSeen: new Date(2_000).toISOString(),
      });
    });

    it('reports exact percentiles for a single execution, and HDR ones after', () => {
      const stats = new FingerprintStats(10);
      stats.record(call('f'), 7.25, 0);
      expect(stats.get('f')).toMatchObject({ p95Ms: 7.25, p99Ms: 7.25 });
      for (let i = 0; i < 99; i++) stats.record(call('f'), 1, 0);
      expect(stats.get('f')?.p95Ms).toBeCloseTo(1, 1);
      expect(Math.abs((stats.get('f')?.p99Ms ?? 0) - 1) / 1).toBeLessThanOrEqual(0.07);
      stats.record(call('f'), 7.25, 0);
      expect(Math.abs((stats.get('f')?.p99Ms ?? 0) - 7.25) / 7.25).toBeLessThanOrEqual(0.07);
    });

    it('counts cache hits as calls but leaves them out of the timings', () => {
      const stats = new FingerprintStats(10);
      stats.record(call('f'), 40, 0);
      stats.record(call('f', { cached: 'memory' }), 0.001, 1);
      stats.record(call('f', { cached: 'redis' }), 0.07, 2);
      expect(stats.get('f')).toMatchObject({ calls: 3, cacheHits: 2, executions: 1, totalMs: 40, meanMs: 40, minMs: 40 });
    });

    it('groups unparseable calls under one entry without keeping any of their texts', () => {
      const stats = new FingerprintStats(10);
      stats.record(call('', { normalizedSql: "SELEC 'secret-value-42'" }), 1, 0);
      stats.record(call('', { normalizedSql: 'SELEC other' }), 1, 0);
      expect(stats.size).toBe(1);
      expect(stats.get('')).toMatchObject({ calls: 2, normalizedSql: '(statement the parser could not read)' });
    });
  });

  describe('eviction', () => {
    it('never holds more than maxEntries fingerprints', () => {
      const stats = new FingerprintStats(50);
      for (let i = 0; i < 1000; i++) record(stats, `f${i}`, 1, i);
      expect(stats.size).toBeLessThanOrEqual(50);
    });

    it('evicts the least used first, the oldest among equals, and lets the newcomer in', () => {
      const stats = new FingerprintStats(4, 1);
      record(stats, 'hot', 5, 0);
      record(stats, 'warm', 3, 1);
      record(stats, 'cold-old', 1, 2);
      record(stats, 'cold-new', 1, 3);

      record(stats, 'newcomer', 1, 4);
      const kept = stats.top({ orderBy: 'calls' }).map((entry) => entry.fingerprint);
      expect(kept).toEqual(['hot', 'warm', 'cold-new', 'newcomer']);
    });

    it('keeps a frequent statement through a flood of one-off ones', () => {
      const stats = new FingerprintStats(100);
      record(stats, 'hot', 10, 0);
      for (let i = 0; i < 10_000; i++) record(stats, `once-${i}`, 1, i + 1);
      expect(stats.get('hot')?.calls).toBe(10);
    });
  });

  describe('#top', () => {
    const stats = new FingerprintStats(10);
    stats.record(call('frequent'), 1, 0);
    stats.record(call('frequent'), 1, 0);
    stats.record(call('frequent'), 1, 0);
    stats.record(call('slow-once'), 10, 0);
    stats.record(call('medium'), 4, 0);
    stats.record(call('medium'), 4, 0);

    it.each([
      ['totalTime', ['slow-once', 'medium', 'frequent']],
      ['calls', ['frequent', 'medium', 'slow-once']],
      ['mean', ['slow-once', 'medium', 'frequent']],
    ] as const)('orders by %s, descending', (orderBy, expected) => {
      expect(stats.top({ orderBy }).map((entry) => entry.fingerprint)).toEqual(expected);
    });

    it('returns at most limit entries', () => {
      expect(stats.top({ limit: 2 })).toHaveLength(2);
    });
  });
});
