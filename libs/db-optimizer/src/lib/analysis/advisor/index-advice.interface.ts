/**
 * One statement of the workload to advise on, e.g. a row of the fingerprint
 * statistics. `sql` may hold `$n` parameters; `params` are accepted for
 * symmetry but advice uses generic plans, which do not depend on them.
 * @publicApi
 */
export interface WorkloadStatement {
  sql: string;
  params?: readonly unknown[];
  /** How often it ran: ranks statements when totalTimeMs is absent. */
  calls?: number;
  /** Time spent in it, ms: the costliest statements are advised on first. */
  totalTimeMs?: number;
}

/**
 * An index worth creating. Holds names, costs and normalized SQL only:
 * never a constant from the statements.
 * @publicApi
 */
export interface IndexRecommendation {
  /** `schema.table`. */
  table: string;
  columns: string[];
  /** `CREATE INDEX CONCURRENTLY ON schema.table (columns)`. */
  statement: string;
  /** Planner cost of the (first) statement it helps, before. */
  costBefore: number;
  /** Its cost with the hypothetical index; absent for heuristic advice. */
  costAfter?: number;
  /** 1 - costAfter / costBefore (0.97 = 97% cheaper); absent for heuristic advice. */
  improvement?: number;
  /** True when HypoPG showed the planner using it; false for pg_stats heuristics. */
  verifiedWithHypopg: boolean;
  /** Normalized text of the statements it helps, costliest first. */
  queries: string[];
  fingerprints: string[];
  /** Heuristic advice only: estimated share of the table one value matches. */
  estimatedSelectivity?: number;
}

/**
 * The result of `IndexAdvisor.recommendIndexes()`.
 * @publicApi
 */
export interface IndexAdvice {
  /** `hypopg` when hypothetical indexes were tried, `heuristic` when pg_stats had to do. */
  mode: 'hypopg' | 'heuristic';
  recommendations: IndexRecommendation[];
  /** Statements not advised on, with why (normalized text only). */
  skipped: Array<{ query: string; reason: string }>;
}

/**
 * Options of {@link IndexAdvisor}.
 * @publicApi
 */
export interface IndexAdvisorOptions {
  /** Statements advised on, costliest first. @default 20 */
  maxStatements?: number;
  /** Minimum cost reduction to recommend a hypothetical index (Dexter: 50%). @default 0.5 */
  minImprovement?: number;
  /**
   * Run `CREATE EXTENSION IF NOT EXISTS hypopg` on the primary when the
   * package is installed but the extension is not created. A standby only
   * sees it once created on the primary.
   * @default false
   */
  installHypopg?: boolean;
  /** Heuristic advice: smallest table worth an index (PgHero: 10k rows). @default 10000 */
  minTableRows?: number;
  /** Heuristic advice: largest share of the table one value may match. @default 0.01 */
  maxSelectivity?: number;
  /** Hypothetical indexes tried per statement. @default 20 */
  maxCandidatesPerStatement?: number;
  /** statement_timeout of each EXPLAIN, ms. @default 10000 */
  timeoutMs?: number;
}
