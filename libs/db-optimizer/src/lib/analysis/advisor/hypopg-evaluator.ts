import type { PoolClient } from 'pg';
import { qualifiedName, quoteIdent } from '../../sql/quote';
import type { IndexCandidate } from './index-candidates';
import type { CostedStatement, PlanCoster } from './plan-coster';

/** A candidate's effect on one statement's planner cost. */
export interface CandidateEvaluation {
  candidate: IndexCandidate;
  costBefore: number;
  costAfter: number;
  /** 1 - after / before. */
  improvement: number;
}

/** A two-column index must beat the best single column by this much to be preferred (it costs more to keep). */
const PAIR_MARGIN = 0.9;

/**
 * Tries candidates as hypothetical indexes (HypoPG): creates one, reads the
 * planner's cost, resets, next. Hypothetical indexes live in the backend's
 * memory only, so all of it must happen on one connection, and nothing is
 * written: it works on a hot standby too.
 */
export class HypopgEvaluator {
  constructor(
    private readonly client: PoolClient,
    private readonly extensionSchema: string,
    private readonly coster: PlanCoster,
  ) {}

  /** The candidate that lowers the cost most (a pair only when clearly better than any single), or undefined. */
  async best(statement: CostedStatement, candidates: readonly IndexCandidate[]): Promise<CandidateEvaluation | undefined> {
    const costBefore = await this.coster.cost(statement);
    let single: CandidateEvaluation | undefined;
    let pair: CandidateEvaluation | undefined;
    try {
      for (const candidate of candidates) {
        await this.reset();
        await this.client.query(`SELECT * FROM ${this.fn('hypopg_create_index')}($1)`, [hypotheticalIndexSql(candidate)]);
        const costAfter = await this.coster.cost(statement);
        const evaluation = { candidate, costBefore, costAfter, improvement: costBefore > 0 ? 1 - costAfter / costBefore : 0 };
        if (candidate.columns.length === 1 && (!single || costAfter < single.costAfter)) single = evaluation;
        if (candidate.columns.length > 1 && (!pair || costAfter < pair.costAfter)) pair = evaluation;
      }
    } finally {
      await this.reset().catch(() => undefined);
    }
    if (pair && (!single || pair.costAfter < single.costAfter * PAIR_MARGIN)) return pair;
    return single;
  }

  /** Forgets every hypothetical index of this connection. */
  async reset(): Promise<void> {
    await this.client.query(`SELECT ${this.fn('hypopg_reset')}()`);
  }

  private fn(name: string): string {
    return `${quoteIdent(this.extensionSchema)}.${name}`;
  }
}

/** HypoPG takes a plain CREATE INDEX (no CONCURRENTLY, no name needed). */
function hypotheticalIndexSql(candidate: IndexCandidate): string {
  return `CREATE INDEX ON ${qualifiedName(candidate.table.schema, candidate.table.name)} (${candidate.columns.map(quoteIdent).join(', ')})`;
}
