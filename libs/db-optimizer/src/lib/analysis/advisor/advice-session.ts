import { DatabaseError, PoolClient } from 'pg';
import { TableStatsCatalog } from '../../pg-catalog/table-stats-catalog';
import { HypopgEvaluator } from './hypopg-evaluator';
import { indexCandidates } from './index-candidates';
import type { IndexCandidate } from './index-candidates';
import { mostSelectiveColumn } from './pg-stats-heuristic';
import { PlanCoster } from './plan-coster';
import type { WorkItem } from './workload';

/** What one statement's advice came to. */
export interface StatementAdvice {
  item: WorkItem;
  candidate: IndexCandidate;
  costBefore: number;
  costAfter?: number;
  improvement?: number;
  selectivity?: number;
}

export interface SessionLimits {
  timeoutMs: number;
  minImprovement: number;
  maxCandidatesPerStatement: number;
  minTableRows: number;
  maxSelectivity: number;
}

export interface SessionResult {
  mode: 'hypopg' | 'heuristic';
  advice: StatementAdvice[];
  skipped: Array<{ query: string; reason: string }>;
}

/**
 * One advisor run on one connection, inside `BEGIN READ ONLY ... ROLLBACK`
 * with a statement_timeout: HypoPG when the extension exists on this server,
 * pg_stats otherwise. Each statement runs under a savepoint, so one failing
 * EXPLAIN skips that statement only; hypothetical indexes and prepared
 * statements (neither is transactional) are cleared after each.
 */
export async function runAdviceSession(client: PoolClient, items: readonly WorkItem[], limits: SessionLimits): Promise<SessionResult> {
  await client.query('BEGIN READ ONLY');
  try {
    await client.query("SELECT set_config('statement_timeout', $1, true)", [String(limits.timeoutMs)]);
    const server = await serverFacts(client);
    const coster = new PlanCoster(client, server.version);
    await coster.begin();
    const catalog = await TableStatsCatalog.load(client, items.flatMap((item) => item.shape.blocks.flatMap((block) => block.relations)));
    const evaluator = server.hypopgSchema ? new HypopgEvaluator(client, server.hypopgSchema, coster) : undefined;
    const result: SessionResult = { mode: evaluator ? 'hypopg' : 'heuristic', advice: [], skipped: [] };
    for (const item of items) {
      await client.query('SAVEPOINT db_optimizer_advice');
      try {
        const advice = await adviseOne(client, item, catalog, evaluator, coster, limits);
        if (advice) result.advice.push(advice);
        await client.query('RELEASE SAVEPOINT db_optimizer_advice');
      } catch (error) {
        if (!(error instanceof DatabaseError)) throw error;
        await client.query('ROLLBACK TO SAVEPOINT db_optimizer_advice');
        result.skipped.push({ query: item.normalizedSql, reason: `EXPLAIN failed (SQLSTATE ${error.code ?? 'unknown'})` });
      } finally {
        // After a non-server error the transaction may be unusable: the ROLLBACK below still ends it.
        await evaluator?.reset().catch(() => undefined);
        await coster.cleanUp();
      }
    }
    return result;
  } finally {
    await client.query('ROLLBACK');
  }
}

async function adviseOne(
  client: PoolClient,
  item: WorkItem,
  catalog: TableStatsCatalog,
  evaluator: HypopgEvaluator | undefined,
  coster: PlanCoster,
  limits: SessionLimits,
): Promise<StatementAdvice | undefined> {
  if (evaluator) {
    const best = await evaluator.best(item, indexCandidates(item.shape, catalog, limits.maxCandidatesPerStatement));
    if (!best || best.improvement < limits.minImprovement) return undefined;
    return { item, ...best };
  }
  const pick = await mostSelectiveColumn(client, item.shape, catalog, limits);
  if (!pick) return undefined;
  return { item, candidate: pick.candidate, costBefore: await coster.cost(item), selectivity: pick.selectivity };
}

async function serverFacts(client: PoolClient): Promise<{ version: number; hypopgSchema?: string }> {
  const { rows } = await client.query<{ version: number; schema: string | null }>(
    `SELECT current_setting('server_version_num')::int AS version,
            (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'hypopg') AS schema`,
  );
  return { version: rows[0].version, hypopgSchema: rows[0].schema ?? undefined };
}
