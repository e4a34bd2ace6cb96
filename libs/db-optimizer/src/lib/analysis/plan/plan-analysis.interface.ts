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
   * Never run the statement on the primary: when it would run there (a write, or a read
   * with no usable replica) it is only planned, and a warning says why. The slow-query
   * explainer sets it, so a slow call never runs a second time on the primary.
   * @default true (writes are analyzed on the primary inside a rolled-back transaction)
   */
  analyzeOnPrimary?: boolean;
  /**
   * Planner settings for this EXPLAIN only, applied with `set_config(name, value, true)`
   * (SET LOCAL) and bind parameters, e.g. `{ work_mem: '64kB' }` to see how the query
   * behaves with less memory. An allow-list: every `enable_*` switch and the planner's
   * costs and limits (`PLANNER_SETTINGS`); anything else is refused before anything is
   * sent. Values are numbers, words or sizes (`'64kB'`, `1.5`, `'off'`).
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
  /**
   * What the caller must know about the run itself: a rolled-back write, or why the statement
   * was only planned (asked to, a function with effects a rollback does not undo, no replica
   * for an analysis that may not run on the primary). `summary.analyzed` is false then.
   */
  warnings: string[];
  /** The raw EXPLAIN output. Its condition texts may hold the parameters' values. */
  plan: RawExplainOutput;
}
