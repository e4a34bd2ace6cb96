/** What one `npm run bench` measures, from the environment. */
export interface BenchConfig {
  /** `BENCH_QUICK=1`: a smoke run, written to bench/results/quick.* so it never replaces a full run's files. */
  quick: boolean;
  durationMs: number;
  warmupMs: number;
  /** Caller counts of the primary-key scale curve. */
  callerCounts: number[];
  memoryStatements: number;
  memorySessions: number;
  /** Results file base name under bench/results. */
  resultName: 'latest' | 'quick';
}

const FULL_CALLERS = [1, 8, 32, 64, 128];
const QUICK_CALLERS = [1, 32];

/**
 * Warm-up before a measured step. 3 s: with 1 s, V8 was still optimizing the module's code
 * during the measured seconds (its background compiler threads took a third of the process's
 * CPU): 90/10 hot keys with Redis measured 1.18x raw pg after 1 s of warm-up and 1.42x after
 * 5 s (issue #13's notes). A fresh instance's first second costs it up to 3 ms of CPU per
 * operation on a 2-core machine.
 */
export const FULL_WARMUP_MS = 3000;

export const BENCH_ENV_INVALID = (name: string, raw: string): string =>
  `${name}="${raw}" is not a whole number above 0. Unset it for the default, or give e.g. ${name}=2000.`;

/** Reads BENCH_QUICK, BENCH_DURATION_MS, BENCH_WARMUP_MS, BENCH_MEMORY_STATEMENTS and BENCH_MEMORY_SESSIONS. */
export function benchConfigFromEnv(env: NodeJS.ProcessEnv): BenchConfig {
  const quick = env['BENCH_QUICK'] === '1' || env['BENCH_QUICK'] === 'true';
  const memoryStatements = positiveInt(env, 'BENCH_MEMORY_STATEMENTS', quick ? 20_000 : 1_000_000);
  return {
    quick,
    durationMs: positiveInt(env, 'BENCH_DURATION_MS', quick ? 1000 : 4000),
    warmupMs: positiveInt(env, 'BENCH_WARMUP_MS', quick ? 250 : FULL_WARMUP_MS),
    callerCounts: quick ? QUICK_CALLERS : FULL_CALLERS,
    memoryStatements,
    // A session is one write plus the reads after it, so there cannot be more sessions than writes.
    memorySessions: Math.min(positiveInt(env, 'BENCH_MEMORY_SESSIONS', quick ? 2_000 : 100_000), Math.ceil(memoryStatements / 5)),
    resultName: quick ? 'quick' : 'latest',
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(BENCH_ENV_INVALID(name, raw));
  return value;
}
