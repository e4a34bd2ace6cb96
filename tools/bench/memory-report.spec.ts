import { MemoryPoint, memoryLine, MemoryReport, plateauOf } from './memory-report';

const MiB = 2 ** 20;
const point = (statements: number, heapMiB: number): MemoryPoint => ({ statements, rssBytes: 200 * MiB, heapUsedBytes: heapMiB * MiB });

describe('plateauOf', () => {
  it('calls a heap that grows under 10% over the second half a plateau', () => {
    const plateau = plateauOf([point(100_000, 60), point(200_000, 80), point(300_000, 84), point(400_000, 86)]);
    expect(plateau?.plateaued).toBe(true);
    expect(plateau?.lastHalfGrowthPercent).toBeCloseTo(((86 - 80) / 80) * 100);
  });

  it('calls a heap that keeps growing no plateau', () => {
    expect(plateauOf([point(100_000, 60), point(200_000, 80), point(300_000, 100), point(400_000, 120)])?.plateaued).toBe(false);
  });

  it('needs a sample at half way and a later one', () => {
    expect(plateauOf([])).toBeUndefined();
    expect(plateauOf([point(100_000, 60)])).toBeUndefined();
  });
});

describe('memoryLine', () => {
  it('gives counts, RSS and heap before and after, the samples and the verdict', () => {
    const samples = [point(500_000, 80), point(1_000_000, 82)];
    const report: MemoryReport = {
      requestedStatements: 1_000_000,
      statements: 1_000_000,
      sessions: 100_000,
      executions: 1_100_000,
      errors: 0,
      durationMs: 90_000,
      gcForced: true,
      before: point(0, 50),
      after: point(1_000_000, 120),
      afterGc: point(1_000_000, 82),
      samples,
      plateau: plateauOf(samples),
    };
    expect(memoryLine(report)).toBe(
      '1M distinct statements, 100k sessions (1100000 executions, 0 errors, 90 s): RSS 200 → 200 MiB (after GC 200), ' +
        'heapUsed 50 → 120 MiB (after GC 82); heap after GC every 500k: 80, 82 MiB; RSS every 500k: 200, 200 MiB; plateaued: yes (last half +2.5%)',
    );
  });

  it('says when the run stopped short of the texts asked for', () => {
    const samples = [point(100_000, 80)];
    const report: MemoryReport = {
      requestedStatements: 1_000_000,
      statements: 761_208,
      sessions: 100_000,
      executions: 837_329,
      errors: 0,
      durationMs: 900_000,
      gcForced: false,
      before: point(0, 50),
      after: point(761_208, 95),
      afterGc: point(761_208, 93),
      samples,
      plateau: plateauOf(samples),
    };
    expect(memoryLine(report)).toMatch(/^761208 of 1M distinct statements \(time limit reached\), 100k sessions .*no GC \(run node with --expose-gc\).*plateau: too few samples$/);
  });
});
