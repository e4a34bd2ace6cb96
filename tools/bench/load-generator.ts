import { build } from 'hdr-histogram-js';
import { performance } from 'node:perf_hooks';

/** One operation of a workload: resolves when done; may report that it read stale data. */
export type Operation = (callerIndex: number, iteration: number) => Promise<void>;

export interface LoadResult {
  operations: number;
  durationMs: number;
  throughput: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  errors: number;
}

/**
 * Closed-loop load: `callers` concurrent loops, each awaiting one operation at
 * a time, for `durationMs` after `warmupMs`. Latency is recorded per operation
 * in microseconds (HDR histogram). Every workload in a run uses this, so their
 * numbers compare.
 */
export async function runLoad(operation: Operation, callers: number, durationMs: number, warmupMs: number): Promise<LoadResult> {
  await loop(operation, callers, warmupMs, undefined);
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const startedAt = performance.now();
  const { operations, errors } = await loop(operation, callers, durationMs, histogram);
  const elapsed = performance.now() - startedAt;
  return {
    operations,
    durationMs: elapsed,
    throughput: (operations / elapsed) * 1000,
    p50Us: histogram.getValueAtPercentile(50),
    p90Us: histogram.getValueAtPercentile(90),
    p99Us: histogram.getValueAtPercentile(99),
    errors,
  };
}

async function loop(
  operation: Operation,
  callers: number,
  durationMs: number,
  histogram: ReturnType<typeof build> | undefined,
): Promise<{ operations: number; errors: number }> {
  const deadline = performance.now() + durationMs;
  let operations = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: callers }, async (_, callerIndex) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        const start = performance.now();
        try {
          await operation(callerIndex, iteration);
          operations++;
        } catch {
          errors++;
        }
        histogram?.recordValue(Math.max(1, Math.round((performance.now() - start) * 1000)));
        // An operation served from memory resolves in microtasks: without a turn of the event
        // loop, such callers would starve I/O for the others. Every client pays this alike.
        await yieldToEventLoop();
      }
    }),
  );
  return { operations, errors };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
