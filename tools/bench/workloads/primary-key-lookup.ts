import { PoolManagerService } from '../../../libs/db-optimizer/src/lib/pool/pool-manager.service';
import { optimizerInstance, postgresJs, rawPgPool } from '../bench-clients';
import { Operation, runLoad } from '../load-generator';
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

/** Deterministic spread of ids over the table, different per caller. */
const idFor = (caller: number, iteration: number): number => ((caller * 7919 + iteration * 104_729) % ROWS) + 1;

const primaryOnlyCallers = (context: Pick<WorkloadContext, 'callerCounts'>): number[] =>
  context.callerCounts.filter((callers) => PRIMARY_ONLY_CALLERS.includes(callers));

/** The steps `primaryKeyLookup` runs, in order, for the progress line. */
export function primaryKeyLookupSteps(context: Pick<WorkloadContext, 'callerCounts' | 'durationMs' | 'warmupMs' | 'replicaUrls'>): PlannedStep[] {
  const estimateMs = context.durationMs + context.warmupMs;
  const steps: PlannedStep[] = [];
  const add = (client: string, callerCounts: number[]): void => {
    for (const callers of callerCounts) steps.push({ workload: WORKLOAD, client, callers, estimateMs });
  };
  for (const client of SCALE_CLIENTS) add(client, context.callerCounts);
  add(`${MODULE}, primary only`, primaryOnlyCallers(context));
  if (context.replicaUrls.length > 0) add(MODULE, context.callerCounts);
  return steps;
}

/**
 * Issue #4's workload as a scale curve: a primary-key lookup on a 100k-row
 * table at each caller count, for raw pg (unnamed, named), postgres.js and
 * DbOptimizerService with the cache off (reads on the replica), pools of the
 * same size. The module on the primary only is kept at 1 and 32 callers.
 */
export async function primaryKeyLookup(context: WorkloadContext, log: (line: string) => void): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};
  const measure = async (
    client: string,
    operation: Operation,
    options: { notes?: string; callerCounts?: number[]; afterEach?: (callers: number) => void } = {},
  ): Promise<void> => {
    for (const callers of options.callerCounts ?? context.callerCounts) {
      context.progress.begin(WORKLOAD, options.notes ? `${client}, ${options.notes}` : client, callers);
      const result = await runLoad(operation, callers, context.durationMs, context.warmupMs);
      rows.push({ workload: WORKLOAD, client, callers, ...result, notes: options.notes });
      log(`  ${Math.round(result.throughput)} ops/s, p50 ${result.p50Us} µs, p99 ${result.p99Us} µs`);
      options.afterEach?.(callers);
    }
  };

  const pool = rawPgPool(context.primaryUrl);
  await measure('pg unnamed', async (caller, i) => void (await pool.query(LOOKUP, [idFor(caller, i)])));
  await measure('pg named', async (caller, i) => void (await pool.query({ name: 'bench_lookup', text: LOOKUP, values: [idFor(caller, i)] })));
  await pool.end();

  const sql = postgresJs(context.primaryUrl);
  await measure('postgres.js', async (caller, i) => void (await sql`SELECT id, name, value FROM bench_items WHERE id = ${idFor(caller, i)}`));
  await sql.end();

  const optimizer = await optimizerInstance({ primaryUrl: context.primaryUrl, enableCache: false });
  const recordAcquisition = (callers: number): void => {
    // Since start, so after the 1-caller run it describes a warm pool below its limit.
    if (callers !== 1) return;
    const stats = optimizer.app.get(PoolManagerService).primary.stats();
    extra['pool acquisition, warm pool below its limit (1 caller)'] =
      `p50 ${(stats.acquisitionP50Ms * 1000).toFixed(0)} µs, p99 ${(stats.acquisitionP99Ms * 1000).toFixed(0)} µs over ${stats.acquisitions} acquisitions`;
  };
  await measure(MODULE, async (caller, i) => void (await optimizer.db.executeOptimizedQuery(LOOKUP, [idFor(caller, i)])), {
    notes: 'primary only',
    callerCounts: primaryOnlyCallers(context),
    afterEach: recordAcquisition,
  });
  await optimizer.app.close();

  if (context.replicaUrls.length > 0) {
    const routed = await optimizerInstance({ primaryUrl: context.primaryUrl, readReplicaUrls: context.replicaUrls, enableCache: false });
    await measure(MODULE, async (caller, i) => void (await routed.db.executeOptimizedQuery(LOOKUP, [idFor(caller, i)])), {
      notes: `reads on ${context.replicaUrls.length} replica(s)`,
    });
    await routed.app.close();
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
