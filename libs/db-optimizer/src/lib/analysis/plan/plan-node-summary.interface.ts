/**
 * One plan node, flattened, with numbers made comparable across nodes the
 * way pev2 does: EXPLAIN reports per-loop averages, so rows and removed rows
 * are multiplied by the loops, and time by loops / (parallel workers + 1).
 * No expression text (filters may hold the call's values): the raw plan has it.
 * @publicApi
 */
export interface PlanNodeSummary {
  /** Position in depth-first order; the root is 0. */
  id: number;
  parentId?: number;
  /** Child indexes from the root, dot-separated: `0.1` is the root's second child. */
  path: string;
  depth: number;
  nodeType: string;
  /** `Outer`, `Inner`, `InitPlan`, `SubPlan`... */
  parentRelationship?: string;
  relation?: string;
  schema?: string;
  alias?: string;
  index?: string;
  joinType?: string;
  startupCost: number;
  totalCost: number;
  /** Rows the planner expected per loop. */
  planRows: number;
  /** Set by ANALYZE: how many times the node ran (0 = never executed). */
  loops?: number;
  /** Rows produced over all loops. */
  actualRows?: number;
  /** Rows a Filter discarded, over all loops. */
  rowsRemovedByFilter?: number;
  /** Rows a Join Filter discarded, over all loops. */
  rowsRemovedByJoinFilter?: number;
  /** Index-only scans: rows whose visibility needed a heap visit (total, as reported). */
  heapFetches?: number;
  /** Time in this node and below, ms, over all loops, shared among parallel processes. */
  totalTimeMs?: number;
  /** Time in this node alone, ms: totalTimeMs minus the children's. */
  exclusiveTimeMs?: number;
  /** Parallel workers sharing this node's work (0 outside a Gather). */
  workers: number;
  /** Sorts: method, memory or disk used (kB, largest process) and where. */
  sort?: { method?: string; spaceUsedKb: number; spaceType: string };
  /** Hash nodes: batches (more than 1 = spilled to disk) and peak memory in kB. */
  hash?: { batches: number; originalBatches: number; peakMemoryKb: number };
  /** Hash aggregates: batches and kB written to disk (PostgreSQL 13+). */
  hashAgg?: { batches: number; diskUsageKb: number; peakMemoryKb: number };
  sharedHitBlocks?: number;
  sharedReadBlocks?: number;
  tempWrittenBlocks?: number;
}

/**
 * The plan's headline numbers. Times and actual rows only with ANALYZE.
 * @publicApi
 */
export interface PlanSummary {
  /** True when the statement ran (EXPLAIN ANALYZE). */
  analyzed: boolean;
  planningTimeMs?: number;
  executionTimeMs?: number;
  /** The root's total cost, in planner units. */
  totalCost: number;
  /** Rows the planner expected the statement to return. */
  planRows: number;
  /** Rows the root produced (ANALYZE only). */
  actualRows?: number;
}
