import { performance } from 'node:perf_hooks';
import { optimizerInstance, rawPgPool } from '../bench-clients';
import { MemoryPoint, MemoryReport, plateauOf } from '../memory-report';
import type { PlannedStep } from '../progress';
import { waitForTableOnReplicas } from '../replication';
import type { WorkloadContext } from './workload-context';

const WORKLOAD = 'memory';
const CLIENT = 'DbOptimizerService (cache on, L1 only)';
const CONCURRENCY = 8;
const MEMORY_ROWS = 1000;
/** Every fifth statement is a write: it opens the session the next four reads belong to. */
const WRITE_EVERY = 5;
/** Every tenth read text runs twice in a row, so it gets prepared and the per-connection statement LRU has to evict. */
const REPEAT_EVERY = 10;
const SAMPLE_EVERY = 100_000;
/** A guess of the rate before the run shows the real one, for the first progress line. */
const ESTIMATED_STATEMENTS_PER_SECOND = 1500;
/** The run stops by itself after this long, whatever is left. */
const MAX_DURATION_MS = 15 * 60_000;

export interface MemoryWorkloadOptions {
  statements: number;
  sessions: number;
}

// A table alias per text makes each one distinct to the classifier, the statement cache and
// the fingerprint (libpg-query's fingerprint ignores constants and comments, not aliases).
const readText = (n: number): string => `SELECT id, value FROM bench_items b${n} WHERE b${n}.id = $1`;
const writeText = (n: number): string => `UPDATE bench_memory m${n} SET hits = m${n}.hits + 1 WHERE m${n}.id = $1`;

export function memorySteps(options: MemoryWorkloadOptions): PlannedStep[] {
  return [{ workload: WORKLOAD, client: CLIENT, estimateMs: (options.statements / ESTIMATED_STATEMENTS_PER_SECOND) * 1000 }];
}

/**
 * Many distinct statement texts and session keys through executeOptimizedQuery,
 * to see that every per-text and per-session structure of the module is
 * bounded: the heap after a forced GC is sampled as the texts go by and must
 * level off. Reads go to the replica with read-your-writes per session; the
 * result cache runs in L1 only, so the shared Redis is not filled with one-off keys.
 */
export async function memoryGrowth(context: WorkloadContext, options: MemoryWorkloadOptions, log: (line: string) => void): Promise<MemoryReport> {
  await prepareMemoryTable(context.primaryUrl);
  await waitForTableOnReplicas(context.replicaUrls, 'bench_memory', MEMORY_ROWS);
  context.progress.begin(WORKLOAD, CLIENT, CONCURRENCY);
  const optimizer = await optimizerInstance({ primaryUrl: context.primaryUrl, readReplicaUrls: context.replicaUrls, enableCache: true });
  try {
    let executions = 0;
    let errors = 0;
    let firstError: string | undefined;
    const run = async (i: number): Promise<void> => {
      const sessionKey = `session-${Math.floor(i / WRITE_EVERY) % options.sessions}`;
      const id = (i % MEMORY_ROWS) + 1;
      const isWrite = i % WRITE_EVERY === 0;
      const times = !isWrite && i % REPEAT_EVERY === 1 ? 2 : 1;
      for (let time = 0; time < times; time++) {
        try {
          executions++;
          await optimizer.db.executeOptimizedQuery(isWrite ? writeText(i) : readText(i), [id], { sessionKey });
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
      }
    };
    // Warm the paths on texts outside the measured range, so the baseline holds compiled code and open pools.
    await runRange(options.statements, options.statements + 2000, run, Infinity);
    const before = reading(0, true);
    const gcForced = typeof global.gc === 'function';
    executions = 0;
    errors = 0;

    const startedAt = performance.now();
    const deadline = startedAt + MAX_DURATION_MS;
    const sampleEvery = Math.min(SAMPLE_EVERY, Math.max(1, Math.ceil(options.statements / 10)));
    const samples: MemoryPoint[] = [];
    let done = 0;
    while (done < options.statements && performance.now() < deadline) {
      const end = Math.min(options.statements, done + sampleEvery);
      done = await runRange(done, end, run, deadline);
      samples.push(reading(done, true));
      context.progress.advance(done / options.statements, `${done}/${options.statements} statements, heap ${(samples[samples.length - 1].heapUsedBytes / 2 ** 20).toFixed(0)} MiB`);
    }
    const durationMs = performance.now() - startedAt;
    if (done < options.statements) log(`  stopped after ${done} statements: the run's ${MAX_DURATION_MS / 60_000} min limit was reached`);
    if (firstError) log(`  ${errors} statements failed; first: ${firstError}`);
    const after = reading(done, false);
    const afterGc = reading(done, true);
    const sessions = Math.min(options.sessions, Math.ceil(done / WRITE_EVERY));
    return { requestedStatements: options.statements, statements: done, sessions, executions, errors, durationMs, gcForced, before, after, afterGc, samples, plateau: plateauOf(samples) };
  } finally {
    await optimizer.app.close();
  }
}

/** Runs statements [from, to) with CONCURRENCY workers; returns how far it got before the deadline. */
async function runRange(from: number, to: number, run: (i: number) => Promise<void>, deadline: number): Promise<number> {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to && performance.now() < deadline) await run(next++);
    }),
  );
  return Math.min(next, to);
}

function reading(statements: number, collect: boolean): MemoryPoint {
  if (collect) global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { statements, rssBytes: rss, heapUsedBytes: heapUsed };
}

async function prepareMemoryTable(primaryUrl: string): Promise<void> {
  const pool = rawPgPool(primaryUrl);
  await pool.query('DROP TABLE IF EXISTS bench_memory');
  await pool.query('CREATE TABLE bench_memory (id int PRIMARY KEY, hits int NOT NULL)');
  await pool.query(`INSERT INTO bench_memory SELECT g, 0 FROM generate_series(1, ${MEMORY_ROWS}) g`);
  await pool.end();
}
