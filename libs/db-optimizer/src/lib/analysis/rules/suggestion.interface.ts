import type { TableStatsCatalog } from '../../pg-catalog/table-stats-catalog';
import type { NormalizedPlan } from '../plan/normalize-plan';
import type { StatementShape } from '../../sql/shape/statement-shape.interface';

/** How urgent a suggestion is: `critical` costs a lot now (or destroys data), `info` is worth a look. */
export type SuggestionSeverity = 'info' | 'warning' | 'critical';

/**
 * The plan node a suggestion is about.
 * @publicApi
 */
export interface SuggestionNodeRef {
  nodeType: string;
  /** `schema.table` when the node scans a table. */
  relation?: string;
  /** The node's `path` in `PlanAnalysis.nodes`. */
  path: string;
}

/**
 * One finding with the change that addresses it. `fix` is exact SQL when the
 * rule could build it (`CREATE INDEX CONCURRENTLY ON shop.orders (customer_id)`),
 * otherwise one sentence. Neither holds constants from the statement.
 * @publicApi
 */
export interface Suggestion {
  /** Stable rule name (`seq-scan-filter`, `row-estimate`...), for counting and muting. */
  ruleId: string;
  severity: SuggestionSeverity;
  message: string;
  node?: SuggestionNodeRef;
  fix: string;
}

/** What a rule may look at. Each part is optional: rules skip what they lack. */
export interface RuleContext {
  /** The statement's parse-tree view. */
  statement?: StatementShape;
  /** The plan, when the statement was explained. */
  plan?: NormalizedPlan;
  /** Row counts and indexes of the tables involved ({@link TableStatsCatalog.EMPTY} without a database). */
  tables: TableStatsCatalog;
}

/**
 * A pure check over a plan or a parse tree. Rules never query the database.
 * @publicApi
 */
export interface AnalysisRule {
  readonly id: string;
  /** `plan` rules need an explained plan; `statement` rules need only the parse tree. */
  readonly source: 'plan' | 'statement';
  check(context: RuleContext): Suggestion[];
}
