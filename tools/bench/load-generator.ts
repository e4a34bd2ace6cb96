import { build } from 'hdr-histogram-js';
import { performance } from 'node:perf_hooks';
import { percentile } from '../load/load-stats';
import { addWindow, cpuPerOperation, CpuPerOperation, cpuSnapshot, CpuSpent } from './server-cpu';

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
  /** CPU per operation of this process, the servers and the machine over the measured time; absent off Linux. */
  cpu?: CpuPerOperation;
}

/**
 * Closed-loop load: `callers` concurrent loops, each awaiting one operation at
 * a time, for `durationMs` after `warmupMs`. Latency is recorded per operation
 * in microseconds (HDR histogram). Every workload in a run uses this, so their
 * numbers compare.
 */
export async function runLoad(operation: Operation, callers: number, durationMs: number, warmupMs: number): Promise<LoadResult> {
  // One client in one round: its warm-up, then the whole duration measured at once.
  const results = await runInterleaved([{ client: 'only', operation }], callers, durationMs, warmupMs, 1);
  return results.get('only')!;
}

/** One client of an interleaved run: its name and its operation. */
export interface InterleavedClient {
  client: string;
  operation: Operation;
}

/**
 * Closed-loop load for several clients taking turns: after each client's warm-up, `rounds`
 * rounds in which every client runs `durationMs / rounds` in turn, the first turn moving by one
 * each round. Throughput is the median (nearest rank, the lower middle one for an even count)
 * of a client's rounds and latencies come from all of its rounds, so a slow spell of the
 * shared machine (the servers and the client share two cores) lands on every client
 * instead of on whichever ran at that moment, and one bad round does not move the median.
 */
export async function runInterleaved(
  clients: InterleavedClient[],
  callers: number,
  durationMs: number,
  warmupMs: number,
  rounds: number,
): Promise<Map<string, LoadResult>> {
  for (const { operation } of clients) await loop(operation, callers, warmupMs, undefined);
  const roundMs = durationMs / rounds;
  const runs = clients.map(() => ({ histogram: newHistogram(), throughputs: [] as number[], operations: 0, errors: 0, elapsed: 0, cpu: undefined as CpuSpent | undefined }));
  for (let round = 0; round < rounds; round++) {
    // The first turn moves by one each round: no client always follows the same other one (and its GC debt).
    for (let turn = 0; turn < clients.length; turn++) {
      const index = (turn + round) % clients.length;
      const { operation } = clients[index];
      const run = runs[index];
      const cpuBefore = cpuSnapshot();
      const startedAt = performance.now();
      const { operations, errors } = await loop(operation, callers, roundMs, run.histogram);
      const elapsed = performance.now() - startedAt;
      const cpuAfter = cpuSnapshot();
      if (cpuBefore && cpuAfter) run.cpu = addWindow(run.cpu, cpuBefore, cpuAfter);
      run.throughputs.push((operations / elapsed) * 1000);
      run.operations += operations;
      run.errors += errors;
      run.elapsed += elapsed;
    }
  }
  return new Map(
    clients.map(({ client }, index) => {
      const run = runs[index];
      return [
        client,
        {
          operations: run.operations,
          durationMs: run.elapsed,
          throughput: percentile(run.throughputs, 0.5),
          p50Us: run.histogram.getValueAtPercentile(50),
          p90Us: run.histogram.getValueAtPercentile(90),
          p99Us: run.histogram.getValueAtPercentile(99),
          errors: run.errors,
          ...(run.cpu ? { cpu: cpuPerOperation(run.cpu, run.operations) } : {}),
        },
      ];
    }),
  );
}

function newHistogram(): ReturnType<typeof build> {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
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
