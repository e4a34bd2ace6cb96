/**
 * One node of `EXPLAIN (FORMAT JSON)` output, with the fields the analysis
 * reads. Numbers of an ANALYZE run are per loop (times, rows, rows removed),
 * except `Heap Fetches`, which PostgreSQL reports as a total. Fields appear
 * only when they apply: ANALYZE adds the `Actual ...` ones, VERBOSE adds
 * `Schema` and `Output`, parallel nodes add `Workers`.
 * @publicApi
 */
export interface RawPlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  'Join Type'?: string;
  'Startup Cost': number;
  'Total Cost': number;
  'Plan Rows': number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  'Heap Fetches'?: number;
  'Workers Planned'?: number;
  'Workers Launched'?: number;
  Filter?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  'Join Filter'?: string;
  'Hash Cond'?: string;
  'Sort Method'?: string;
  'Sort Space Used'?: number;
  'Sort Space Type'?: string;
  'Hash Batches'?: number;
  'Original Hash Batches'?: number;
  'Peak Memory Usage'?: number;
  'HashAgg Batches'?: number;
  'Disk Usage'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Temp Written Blocks'?: number;
  /** Per-worker numbers of a parallel node (VERBOSE). */
  Workers?: Array<Record<string, unknown>>;
  Plans?: RawPlanNode[];
  [field: string]: unknown;
}

/** One element of the JSON array EXPLAIN returns (one per statement; always one here). */
export interface RawExplainEntry {
  Plan: RawPlanNode;
  'Planning Time'?: number;
  'Execution Time'?: number;
  Triggers?: Array<{ 'Trigger Name'?: string; Relation?: string; Time?: number; Calls?: number }>;
  [field: string]: unknown;
}

/** What `EXPLAIN (FORMAT JSON)` returns in its single `QUERY PLAN` cell. */
export type RawExplainOutput = RawExplainEntry[];
