import { MemorySample, judgeGrowth, sparkline } from './memory-sampler';

const at = (atMs: number, heapUsedMb: number, rssMb = 100): MemorySample => ({ atMs, heapUsedMb, rssMb, operations: 0 });

describe('judgeGrowth', () => {
  it('fails a heap that keeps growing after warm-up', () => {
    const verdict = judgeGrowth([at(10, 40), at(20, 50), at(30, 56), at(40, 60), at(50, 64)], 20, 10);
    expect(verdict).toMatchObject({ heapGrowthPct: 12, passed: false });
  });

  it('passes a flat heap with one spike, and ignores growth during warm-up', () => {
    const verdict = judgeGrowth([at(10, 20), at(20, 50), at(30, 51), at(40, 70), at(50, 50.5)], 20, 10);
    expect(verdict).toMatchObject({ heapGrowthPct: 1, passed: true });
  });

  it('fails when RSS grows even if the heap does not', () => {
    const verdict = judgeGrowth([at(20, 50, 100), at(30, 50, 115), at(40, 50, 120)], 20, 10);
    expect(verdict).toMatchObject({ rssGrowthPct: 15, passed: false });
  });

  it('cannot pass without two samples after warm-up', () => {
    expect(judgeGrowth([at(10, 50), at(20, 50)], 15, 10).passed).toBe(false);
  });
});

describe('sparkline', () => {
  it('draws the lowest value lowest and the highest highest', () => {
    expect(sparkline([1, 5, 9])).toBe('▁▅█');
  });
});
