import { PoolManagerService } from '../../../libs/db-optimizer/src/lib/pool/pool-manager.service';
import { optimizerInstance, postgresJs, rawPgPool } from '../bench-clients';
import { Operation, runInterleaved } from '../load-generator';
import type { PlannedStep } from '../progress';
import type { BenchRow } from '../report';
import type { WorkloadContext } from './workload-context';

export type { WorkloadContext } from './workload-context';

const ROWS = 100_000;
const LOOKUP = 'SELECT id, name, value FROM bench_items WHERE id = $1';
const WORKLOAD = 'pk-lookup';
const MODULE = 'DbOptimizerService (cache off)';
/** The primary-only module rows are kept at the caller counts earlier runs reported. */
const PRIMARY_ONLY_CALLERS = [1, 32];
const SCALE_CLIENTS = ['pg unnamed', 'pg named', 'postgres.js'];
const INTERLEAVED = 'every client, interleaved';

/** Deterministic spread of ids over the table, different per caller. */
const idFor = (caller: number, iteration: number): number => ((caller * 7919 + iteration * 104_729) % ROWS) + 1;

/** Rounds each caller count's clients take turns in (see `runInterleaved`). */
export const PK_LOOKUP_ROUNDS = 4;

/** The client names at a caller count, in the order they take turns. */
function clientsAt(callers: number, context: Pick<WorkloadContext, 'replicaUrls'>): string[] {
  const names = [...SCALE_CLIENTS];
  if (PRIMARY_ONLY_CALLERS.includes(callers)) names.push(`${MODULE}, primary only`);
  if (context.replicaUrls.length > 0) names.push(MODULE);
  return names;
}

/** The steps `primaryKeyLookup` runs, in order, for the progress line: one per caller count, every client in it. */
export function primaryKeyLookupSteps(context: Pick<WorkloadContext, 'callerCounts' | 'durationMs' | 'warmupMs' | 'replicaUrls'>): PlannedStep[] {
  return context.callerCounts.map((callers) => ({
    workload: WORKLOAD,
    client: INTERLEAVED,
    callers,
    estimateMs: clientsAt(callers, context).length * (context.durationMs + context.warmupMs),
  }));
}

/**
 * Issue #4's workload as a scale curve: a primary-key lookup on a 100k-row
 * table at each caller count, for raw pg (unnamed, named), postgres.js and
 * DbOptimizerService with the cache off (reads on the replica), pools of the
 * same size. The module on the primary only is kept at 1 and 32 callers.
 * At each caller count the clients take turns in rounds (`runInterleaved`), so
 * their ratios are measured under the same conditions of the shared machine.
 */
export async function primaryKeyLookup(context: WorkloadContext, log: (line: string) => void): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};
  const pool = rawPgPool(context.primaryUrl);
  const sql = postgresJs(context.primaryUrl);
  const primaryOnly = await optimizerInstance({ primaryUrl: context.primaryUrl, enableCache: false });
  const routed =
    context.replicaUrls.length > 0
      ? await optimizerInstance({ primaryUrl: context.primaryUrl, readReplicaUrls: context.replicaUrls, enableCache: false })
      : undefined;
  const operations: Record<string, Operation> = {
    'pg unnamed': async (caller, i) => void (await pool.query(LOOKUP, [idFor(caller, i)])),
    'pg named': async (caller, i) => void (await pool.query({ name: 'bench_lookup', text: LOOKUP, values: [idFor(caller, i)] })),
    'postgres.js': async (caller, i) => void (await sql`SELECT id, name, value FROM bench_items WHERE id = ${idFor(caller, i)}`),
    [`${MODULE}, primary only`]: async (caller, i) => void (await primaryOnly.db.executeOptimizedQuery(LOOKUP, [idFor(caller, i)])),
    [MODULE]: async (caller, i) => void (await routed?.db.executeOptimizedQuery(LOOKUP, [idFor(caller, i)])),
  };
  try {
    for (const callers of context.callerCounts) {
      context.progress.begin(WORKLOAD, INTERLEAVED, callers);
      const names = clientsAt(callers, context);
      const results = await runInterleaved(
        names.map((name) => ({ client: name, operation: operations[name] })),
        callers,
        context.durationMs,
        context.warmupMs,
        PK_LOOKUP_ROUNDS,
      );
      for (const name of names) {
        const result = results.get(name)!;
        const [client, notes] = name === MODULE ? [MODULE, `reads on ${context.replicaUrls.length} replica(s)`] : name.split(', ');
        rows.push({ workload: WORKLOAD, client, callers, ...result, notes });
        log(`  ${name}: ${Math.round(result.throughput)} ops/s, p50 ${result.p50Us} µs, p99 ${result.p99Us} µs`);
      }
      // Since start, so after the 1-caller rounds it describes a warm pool below its limit.
      if (callers === 1) {
        const stats = primaryOnly.app.get(PoolManagerService).primary.stats();
        extra['pool acquisition, warm pool below its limit (1 caller)'] =
          `p50 ${(stats.acquisitionP50Ms * 1000).toFixed(0)} µs, p99 ${(stats.acquisitionP99Ms * 1000).toFixed(0)} µs over ${stats.acquisitions} acquisitions`;
      }
    }
  } finally {
    await pool.end();
    await sql.end();
    await primaryOnly.app.close();
    await routed?.app.close();
  }
  return { rows, extra };
}

/** Creates and fills the table once per run. */
export async function preparePrimaryKeyTable(primaryUrl: string): Promise<void> {
  const pool = rawPgPool(primaryUrl);
  await pool.query('DROP TABLE IF EXISTS bench_items');
  await pool.query('CREATE TABLE bench_items (id int PRIMARY KEY, name text NOT NULL, value int NOT NULL)');
  await pool.query(`INSERT INTO bench_items SELECT g, 'item ' || g, g % 1000 FROM generate_series(1, ${ROWS}) g`);
  await pool.query('ANALYZE bench_items');
  await pool.end();
}
