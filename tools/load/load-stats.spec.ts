import { LoadStats, percentile } from './load-stats';

describe('LoadStats', () => {
  it('counts 5xx and network errors as errors, not 4xx', () => {
    const stats = new LoadStats();
    stats.record('GET /leads/:id', 200, 2);
    stats.record('GET /leads/:id', 404, 1);
    stats.record('POST /leads', 503, 9);
    stats.record('POST /leads', 'network-error', 10_000);
    expect(stats.errors).toBe(2);
    expect(stats.byName.get('POST /leads')).toEqual({ count: 2, errors: 2, totalMs: 10_009 });
    expect(Object.fromEntries(stats.byStatus)).toEqual({ '200': 1, '404': 1, '503': 1, 'network-error': 1 });
  });

  it('reports the window since the last progress line, then starts a new one', () => {
    const stats = new LoadStats();
    for (let ms = 1; ms <= 100; ms++) stats.record('x', 200, ms);
    expect(stats.takeRecent()).toEqual({ p50: 50, p99: 99, count: 100 });
    expect(stats.takeRecent()).toEqual({ p50: 0, p99: 0, count: 0 });
    expect(stats.overall().max).toBe(100);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3], 0.5)).toBe(3);
    expect(percentile([], 0.99)).toBe(0);
  });
});
