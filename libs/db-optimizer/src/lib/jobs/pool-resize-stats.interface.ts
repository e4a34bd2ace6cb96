import type { PoolLoad } from './pool-load-window';
import type { ServerBudget } from './server-budgets';
import type { SizingAction } from './pool-sizing.interface';

/**
 * One resize decision for one pool, as applied.
 * @publicApi
 */
export interface PoolResizeDecision {
  /** Pool name (`primary`, `read_replica[0]`, `analytics`). */
  pool: string;
  /** `host:port` whose budget the pool shares. */
  server: string;
  /** What was applied: `grow` or `shrink` when the limit moved, else `hold`. */
  action: SizingAction;
  previousLimit: number;
  newLimit: number;
  /** What the sizing policy asked for, before the budget. */
  proposedLimit: number;
  /** The budget (or its being unknown) lowered the proposed limit. */
  budgetCapped: boolean;
  /** Why, as a sentence. */
  reason: string;
  /** The interval's load the decision was based on. */
  load: PoolLoad;
  /** ISO time of the decision. */
  at: string;
}

/**
 * Counters and latest decisions of the pool resize job.
 * @publicApi
 */
export interface PoolResizeStats {
  /** Completed runs. */
  runs: number;
  /** Decisions applied, by action (one per pool per run). */
  grows: number;
  shrinks: number;
  holds: number;
  /** Decisions whose limit the connection budget lowered. */
  budgetCapped: number;
  /** The latest decision of each pool. */
  lastDecisions: PoolResizeDecision[];
  /** Budgets read so far, one per server. */
  budgets: ServerBudget[];
}
