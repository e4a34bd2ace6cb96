import type { PoolClient } from 'pg';
import { loadSqlParser } from '../../sql/parser';
import { QueryClassifier } from '../../classify/query-classifier';
import type { ExplainRunner, SqlClassifier } from '../explain-runner.interface';
import { assertTimeout } from '../plan/explain-in-transaction';
import { runAdviceSession } from './advice-session';
import type { SessionLimits } from './advice-session';
import type { IndexAdvice, IndexAdvisorOptions, WorkloadStatement } from './index-advice.interface';
import { mergeAdvice } from './merge-advice';
import { prepareWorkload } from './workload';

/**
 * Recommends indexes for the costliest statements of a workload, Dexter's
 * way: candidate columns from each query's WHERE, JOIN and ORDER BY, tried as
 * hypothetical indexes with HypoPG on one connection, recommended when the
 * planner's cost falls by half or more. Without HypoPG, PgHero's pg_stats
 * heuristic picks selective equality columns instead. Statements are only
 * planned (generic plans), never run, on the runner's replica side; the
 * primary is used only to create the extension when allowed.
 *
 * @example
 * const advisor = new IndexAdvisor(runner, queryOptimizer, { installHypopg: true });
 * const { mode, recommendations } = await advisor.recommendIndexes([
 *   { sql: 'SELECT * FROM shop.orders WHERE customer_id = $1', calls: 12_000, totalTimeMs: 54_000 },
 * ]);
 * // recommendations[0].statement: 'CREATE INDEX CONCURRENTLY ON shop.orders (customer_id)'
 * @publicApi
 */
export class IndexAdvisor {
  private readonly maxStatements: number;
  private readonly installHypopg: boolean;
  private readonly limits: SessionLimits;

  constructor(
    private readonly runner: ExplainRunner,
    private readonly classifier: SqlClassifier = new QueryClassifier(),
    options: IndexAdvisorOptions = {},
  ) {
    this.maxStatements = options.maxStatements ?? 20;
    this.installHypopg = options.installHypopg ?? false;
    this.limits = {
      timeoutMs: options.timeoutMs ?? 10_000,
      minImprovement: options.minImprovement ?? 0.5,
      maxCandidatesPerStatement: options.maxCandidatesPerStatement ?? 20,
      minTableRows: options.minTableRows ?? 10_000,
      maxSelectivity: options.maxSelectivity ?? 0.01,
    };
    assertTimeout(this.limits.timeoutMs);
  }

  /** Index recommendations for the workload's costliest statements (by totalTimeMs, then calls). */
  async recommendIndexes(statements: readonly WorkloadStatement[]): Promise<IndexAdvice> {
    await loadSqlParser();
    const { items, skipped } = prepareWorkload(this.classifier, statements, this.maxStatements);
    if (items.length === 0) return { mode: 'heuristic', recommendations: [], skipped };
    const onPrimary = await this.ensureHypopg();
    const session = (client: PoolClient) => runAdviceSession(client, items, this.limits);
    const result = await (onPrimary ? this.runner.onPrimary(session) : this.runner.onReplica(session));
    return {
      mode: result.mode,
      recommendations: mergeAdvice(result.advice, result.mode === 'hypopg'),
      skipped: [...skipped, ...result.skipped],
    };
  }

  /**
   * Creates HypoPG on the primary when allowed and needed. Returns true when
   * it was just created: a standby may not have replayed it yet, so this run
   * plans on the primary (EXPLAIN only, still read-only).
   */
  private async ensureHypopg(): Promise<boolean> {
    if (!this.installHypopg) return false;
    const { installed, available } = await this.runner.onReplica(hypopgState);
    if (installed || !available) return false;
    await this.runner.onPrimary((client) => client.query('CREATE EXTENSION IF NOT EXISTS hypopg'));
    return true;
  }
}

async function hypopgState(client: PoolClient): Promise<{ installed: boolean; available: boolean }> {
  const { rows } = await client.query<{ installed: boolean; available: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hypopg') AS installed,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hypopg') AS available`,
  );
  return rows[0];
}
