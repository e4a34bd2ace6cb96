/** One memory reading: heap after a forced GC (when `--expose-gc` allows it) and the process's RSS. */
export interface MemorySample {
  atMs: number;
  heapUsedMb: number;
  rssMb: number;
  operations: number;
}

/** Reads memory now; a full GC first, so the heap figure is what is retained, not garbage not yet collected. */
export function sampleMemory(startedAt: number, operations: number): MemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return {
    atMs: Date.now() - startedAt,
    heapUsedMb: round(usage.heapUsed / 2 ** 20),
    rssMb: round(usage.rss / 2 ** 20),
    operations,
  };
}

export interface GrowthVerdict {
  baseline: MemorySample | undefined;
  /** Percent growth from the first sample after warm-up to the lowest of the last three. */
  heapGrowthPct: number;
  rssGrowthPct: number;
  passed: boolean;
}

/**
 * Compares the first sample after warm-up with the lowest of the last three:
 * the lowest, because a leak lifts every later sample while a passing spike
 * (a GC that has not returned memory yet) lifts only one.
 */
export function judgeGrowth(samples: readonly MemorySample[], warmupMs: number, limitPct: number): GrowthVerdict {
  const afterWarmup = samples.filter((sample) => sample.atMs >= warmupMs);
  const baseline = afterWarmup[0];
  if (!baseline || afterWarmup.length < 2) return { baseline, heapGrowthPct: 0, rssGrowthPct: 0, passed: false };
  const tail = afterWarmup.slice(1).slice(-3);
  const growth = (pick: (sample: MemorySample) => number): number =>
    round((100 * (Math.min(...tail.map(pick)) - pick(baseline))) / pick(baseline));
  const heapGrowthPct = growth((sample) => sample.heapUsedMb);
  const rssGrowthPct = growth((sample) => sample.rssMb);
  return { baseline, heapGrowthPct, rssGrowthPct, passed: heapGrowthPct <= limitPct && rssGrowthPct <= limitPct };
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line curve of the values, scaled between their own minimum and maximum. */
export function sparkline(values: readonly number[]): string {
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  return values.map((value) => BARS[Math.min(BARS.length - 1, Math.floor(((value - min) / span) * BARS.length))]).join('');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
