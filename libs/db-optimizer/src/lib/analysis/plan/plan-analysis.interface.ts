import type { Suggestion } from '../rules/suggestion.interface';
import type { PlanNodeSummary, PlanSummary } from './plan-node-summary.interface';
import type { RawExplainOutput } from './raw-plan.interface';

/**
 * Options of one `analyzeExecutionPlan()` call.
 * @publicApi
 */
export interface PlanAnalysisOptions {
  /**
   * Run the statement (EXPLAIN ANALYZE) for actual rows, times and buffers.
   * Anything but a read runs on the primary inside a transaction that is always rolled back.
   * @default true
   */
  analyze?: boolean;
  /** statement_timeout of the EXPLAIN, in ms (SET LOCAL). @default 10000 */
  timeoutMs?: number;
  /**
   * Settings for this EXPLAIN only, applied with SET LOCAL, e.g. `{ work_mem: '64kB' }`
   * to see how the query behaves with less memory. `statement_timeout`, the
   * read-only mode and the role cannot be changed here.
   */
  settings?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The result of `analyzeExecutionPlan()`.
 * @publicApi
 */
export interface PlanAnalysis {
  /** libpg-query fingerprint of the statement. */
  fingerprint: string;
  /** The statement with constants replaced by $n. */
  normalizedSql: string;
  /**
   * Which runner method ran it: `replica` for reads (the runner falls back to
   * the primary only when no replica is usable), `primary` for the rest.
   */
  ranOn: 'replica' | 'primary';
  summary: PlanSummary;
  /** Every plan node, depth-first, root first. */
  nodes: PlanNodeSummary[];
  /** Most severe first. */
  suggestions: Suggestion[];
  /** What the caller must know about the run itself (rolled-back writes, planned only). */
  warnings: string[];
  /** The raw EXPLAIN output. Its condition texts may hold the parameters' values. */
  plan: RawExplainOutput;
}
