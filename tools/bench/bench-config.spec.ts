import { benchConfigFromEnv } from './bench-config';

describe('benchConfigFromEnv', () => {
  it('runs the full curve by default', () => {
    expect(benchConfigFromEnv({})).toEqual({
      quick: false,
      durationMs: 4000,
      warmupMs: 3000,
      callerCounts: [1, 8, 32, 64, 128],
      memoryStatements: 1_000_000,
      memorySessions: 100_000,
      resultName: 'latest',
    });
  });

  it('BENCH_QUICK=1 runs 1 and 32 callers for 1 s and 20k statements, into quick.*', () => {
    expect(benchConfigFromEnv({ BENCH_QUICK: '1' })).toMatchObject({ quick: true, durationMs: 1000, callerCounts: [1, 32], memoryStatements: 20_000, resultName: 'quick' });
  });

  it('takes durations and memory counts from the environment, with no more sessions than writes', () => {
    expect(
      benchConfigFromEnv({ BENCH_DURATION_MS: '2000', BENCH_WARMUP_MS: '500', BENCH_MEMORY_STATEMENTS: '1000', BENCH_MEMORY_SESSIONS: '900' }),
    ).toMatchObject({ durationMs: 2000, warmupMs: 500, memoryStatements: 1000, memorySessions: 200 });
  });

  it('names the variable that is not a positive whole number', () => {
    expect(() => benchConfigFromEnv({ BENCH_MEMORY_STATEMENTS: '1e5x' })).toThrow(/BENCH_MEMORY_STATEMENTS="1e5x" is not a whole number above 0/);
  });
});
