import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  it('reads percentiles within 1% at two significant digits', () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms++) histogram.recordMs(ms);
    expect(histogram.count).toBe(1000);
    expect(Math.abs(histogram.percentileMs(99) - 990) / 990).toBeLessThanOrEqual(0.01);
    expect(histogram.minMs).toBe(1);
    expect(Math.abs(histogram.maxMs - 1000) / 1000).toBeLessThanOrEqual(0.01);
  });

  it('stays within about 6% at one significant digit', () => {
    const histogram = new LatencyHistogram({ significantDigits: 1 });
    for (let ms = 1; ms <= 1000; ms++) histogram.recordMs(ms);
    expect(Math.abs(histogram.percentileMs(95) - 950) / 950).toBeLessThanOrEqual(0.07);
  });

  it('counts recordings of 1 µs or less (kept aside while recording) in every reading, merge and encoding', () => {
    const histogram = new LatencyHistogram();
    for (let i = 0; i < 90; i++) histogram.recordMs(i % 2 === 0 ? 0 : 0.0012);
    for (let i = 0; i < 10; i++) histogram.recordMs(5);
    expect(histogram.count).toBe(100);
    expect([histogram.percentileMs(50), histogram.minMs]).toEqual([0.001, 0.001]);
    expect(Math.abs(histogram.percentileMs(95) - 5)).toBeLessThanOrEqual(0.05);
    for (let i = 0; i < 50; i++) histogram.recordMs(0);
    const merged = new LatencyHistogram();
    merged.add(histogram);
    const decoded = new LatencyHistogram();
    decoded.addEncoded(histogram.encode());
    expect([merged.count, decoded.count]).toEqual([150, 150]);
    histogram.recordMs(0);
    histogram.reset();
    expect(histogram.count).toBe(0);
  });

  it('merges another histogram with add()', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.recordMs(1);
    b.recordMs(100);
    b.recordMs(100);
    a.add(b);
    expect(a.count).toBe(3);
    expect(Math.abs(a.percentileMs(90) - 100)).toBeLessThanOrEqual(1);
  });

  it('clamps NaN, negative and over-range values instead of corrupting the counts', () => {
    const histogram = new LatencyHistogram();
    histogram.recordMs(Number.NaN);
    histogram.recordMs(-1);
    histogram.recordMs(Number.POSITIVE_INFINITY);
    expect(histogram.count).toBe(3);
    expect(histogram.minMs).toBe(0.001);
    expect(histogram.maxMs).toBeLessThanOrEqual(3_600_000 * 1.01);
  });

  it('reads 0 for every figure when empty, and after reset', () => {
    const histogram = new LatencyHistogram();
    expect([histogram.percentileMs(99), histogram.meanMs, histogram.minMs, histogram.maxMs]).toEqual([0, 0, 0, 0]);
    histogram.recordMs(5);
    histogram.reset();
    expect(histogram.count).toBe(0);
    expect(histogram.percentileMs(50)).toBe(0);
  });
});
