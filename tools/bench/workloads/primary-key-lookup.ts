import { PoolManagerService } from '../../../libs/db-optimizer/src/lib/pool/pool-manager.service';
import { optimizerInstance, postgresJs, rawPgPool, UNSHARED_READS } from '../bench-clients';
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
const INTERLEAVED = 'every client, interleaved';

/** Deterministic spread of ids over the table, different per caller. */
const idFor = (caller: number, iteration: number): number => ((caller * 7919 + iteration * 104_729) % ROWS) + 1;

/** Rounds each caller count's clients take turns in (see `runInterleaved`). */
const PK_LOOKUP_ROUNDS = 4;

type ClientId = 'pg unnamed' | 'pg named' | 'postgres.js' | 'module on the primary' | 'module with replicas' | 'module, unshared reads';

/** One client of the curve: its row's client and notes, and the caller counts it runs at (all when absent). */
interface CurveClient {
  id: ClientId;
  client: string;
  notes?: string;
  callerCounts?: number[];
}

/** The clients of the curve, in the order they take turns. */
function curveClients(context: Pick<WorkloadContext, 'replicaUrls'>): CurveClient[] {
  const clients: CurveClient[] = [
    { id: 'pg unnamed', client: 'pg unnamed' },
    { id: 'pg named', client: 'pg named' },
    { id: 'postgres.js', client: 'postgres.js' },
    { id: 'module on the primary', client: MODULE, notes: 'primary only', callerCounts: PRIMARY_ONLY_CALLERS },
  ];
  if (context.replicaUrls.length > 0) {
    clients.push({ id: 'module with replicas', client: MODULE, notes: `reads on ${context.replicaUrls.length} replica(s)` });
    clients.push({
      id: 'module, unshared reads',
      client: MODULE,
      notes: `reads on ${context.replicaUrls.length} replica(s), multiplexReads ${UNSHARED_READS}`,
    });
  }
  return clients;
}

const runsAt = (client: Pick<CurveClient, 'callerCounts'>, callers: number): boolean => client.callerCounts?.includes(callers) ?? true;

/** The steps `primaryKeyLookup` runs, in order, for the progress line: one per caller count, every client in it. */
export function primaryKeyLookupSteps(context: Pick<WorkloadContext, 'callerCounts' | 'durationMs' | 'warmupMs' | 'replicaUrls'>): PlannedStep[] {
  return context.callerCounts.map((callers) => ({
    workload: WORKLOAD,
    client: INTERLEAVED,
    callers,
    estimateMs: curveClients(context).filter((client) => runsAt(client, callers)).length * (context.durationMs + context.warmupMs),
  }));
}

/**
 * Issue #4's workload as a scale curve: a primary-key lookup on a 100k-row
 * table at each caller count, for raw pg (unnamed, named), postgres.js and
 * DbOptimizerService with the cache off (reads on the replica), pools of the
 * same size, with its defaults and with `multiplexReads: 0`. The module on the
 * primary only is kept at 1 and 32 callers.
 * At each caller count the clients take turns in rounds (`runInterleaved`), so
 * their ratios are measured under the same conditions of the shared machine.
 */
export async function primaryKeyLookup(context: WorkloadContext, log: (line: string) => void): Promise<{ rows: BenchRow[]; extra: Record<string, unknown> }> {
  const rows: BenchRow[] = [];
  const extra: Record<string, unknown> = {};
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const pool = rawPgPool(context.primaryUrl);
    closers.push(() => pool.end());
    const sql = postgresJs(context.primaryUrl);
    closers.push(() => sql.end());
    const primaryOnly = await optimizerInstance({ primaryUrl: context.primaryUrl, enableCache: false });
    closers.push(() => primaryOnly.app.close());
    const routed =
      context.replicaUrls.length > 0
        ? await optimizerInstance({ primaryUrl: context.primaryUrl, readReplicaUrls: context.replicaUrls, enableCache: false })
        : undefined;
    if (routed) closers.push(() => routed.app.close());
    const unshared =
      context.replicaUrls.length > 0
        ? await optimizerInstance({ primaryUrl: context.primaryUrl, readReplicaUrls: context.replicaUrls, enableCache: false, multiplexReads: UNSHARED_READS })
        : undefined;
    if (unshared) closers.push(() => unshared.app.close());
    const operations: Record<ClientId, Operation> = {
      'pg unnamed': async (caller, i) => void (await pool.query(LOOKUP, [idFor(caller, i)])),
      'pg named': async (caller, i) => void (await pool.query({ name: 'bench_lookup', text: LOOKUP, values: [idFor(caller, i)] })),
      'postgres.js': async (caller, i) => void (await sql`SELECT id, name, value FROM bench_items WHERE id = ${idFor(caller, i)}`),
      'module on the primary': async (caller, i) => void (await primaryOnly.db.executeOptimizedQuery(LOOKUP, [idFor(caller, i)])),
      'module with replicas': async (caller, i) => void (await routed!.db.executeOptimizedQuery(LOOKUP, [idFor(caller, i)])),
      'module, unshared reads': async (caller, i) => void (await unshared!.db.executeOptimizedQuery(LOOKUP, [idFor(caller, i)])),
    };
    // curveClients lists the replica clients only when there are replicas, so `routed` and `unshared` exist whenever they run.
    const clients = curveClients(context);

    for (const callers of context.callerCounts) {
      context.progress.begin(WORKLOAD, INTERLEAVED, callers);
      const here = clients.filter((client) => runsAt(client, callers));
      const label = (client: CurveClient): string => (client.notes ? `${client.client}, ${client.notes}` : client.client);
      const results = await runInterleaved(
        here.map((client) => ({ client: label(client), operation: operations[client.id] })),
        callers,
        context.durationMs,
        context.warmupMs,
        PK_LOOKUP_ROUNDS,
      );
      for (const client of here) {
        const result = results.get(label(client))!;
        rows.push({ workload: WORKLOAD, client: client.client, callers, ...result, notes: client.notes });
        log(`  ${label(client)}: ${Math.round(result.throughput)} ops/s, p50 ${result.p50Us} µs, p99 ${result.p99Us} µs`);
      }
      // Since start, so after the 1-caller rounds it describes a warm pool below its limit.
      if (callers === 1) {
        const stats = primaryOnly.app.get(PoolManagerService).primary.stats();
        extra['pool acquisition, warm pool below its limit (1 caller)'] =
          `p50 ${(stats.acquisitionP50Ms * 1000).toFixed(0)} µs, p99 ${(stats.acquisitionP99Ms * 1000).toFixed(0)} µs over ${stats.acquisitions} acquisitions`;
      }
    }
  } finally {
    // Every one, even when another fails to close: none may keep connections or timers open.
    await Promise.allSettled(closers.map((close) => close()));
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
