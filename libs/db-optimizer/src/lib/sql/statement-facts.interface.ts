import type { TableRef } from '../core/query-classification.interface';

/** What one walk over a statement's parse tree found. Flags hold the first offender, for the `reason`. */
export interface StatementFacts {
  tablesRead: TableRef[];
  tablesWritten: TableRef[];
  /** Called functions, lower-cased, `schema.name` when qualified, in order of appearance. */
  functions: string[];
  /** Strength of the first row lock, e.g. 'FOR UPDATE'. */
  rowLock?: string;
  selectInto: boolean;
  /** Command of the first data-modifying CTE, e.g. 'INSERT'. */
  dataModifyingCte?: string;
  writeFunction?: string;
  sessionFunction?: string;
  /** A function or SQL value function (CURRENT_TIMESTAMP, CURRENT_USER...) whose result changes between calls or sessions. */
  nonDeterministic?: string;
  /** Reads or creates a temporary table (TEMP, or the pg_temp schema). */
  tempTable: boolean;
  /** Creates a temporary table, view or sequence: session state. */
  tempTableWritten: boolean;
  /** Operators used, `schema.op` when qualified (`a OPERATOR(s.===) b`): checked in pg_operator for what they call. */
  operators: string[];
  /** Types cast to (`x::t`, `CAST(x AS t)`), `schema.type` when qualified: checked in pg_cast for what they call. */
  castTypes: string[];
  /** Reads a system catalog or information_schema. */
  catalogTable: boolean;
  tableSample: boolean;
  groupBy: boolean;
  groupingSets: boolean;
  window: boolean;
  aggregate: boolean;
  setOperation: boolean;
  distinct: boolean;
  /** Most relations joined in one FROM clause (joined or comma-separated). */
  widestFrom: number;
}
