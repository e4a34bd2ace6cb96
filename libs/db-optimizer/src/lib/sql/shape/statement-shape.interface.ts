/** The statements EXPLAIN accepts (VALUES counts as a select). */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge';

/** A table named in a FROM, JOIN, USING or DML target, as written. */
export interface RelationRef {
  /** Only when the SQL names it. */
  schema?: string;
  name: string;
  alias?: string;
}

/** A column, with the relation it belongs to when that can be told from the text. */
export interface ColumnUse {
  /** Undefined when the column is unqualified and several relations are in scope. */
  relation?: RelationRef;
  column: string;
}

/**
 * How a condition uses a column: what an index could serve.
 * `in` covers `IN (...)` and `= ANY(...)`; `other` is anything an index on the column is unlikely to help.
 */
export type PredicateKind = 'equality' | 'in' | 'range' | 'like' | 'ilike' | 'null' | 'other';

/** One condition of a WHERE, JOIN ... ON or plan filter, seen from one column. */
export interface Predicate {
  kind: PredicateKind;
  column: ColumnUse;
  /** True when the condition must hold for every row (not under OR / NOT): only those can drive an index. */
  conjunctive: boolean;
  /**
   * The column sits inside a function or cast (`lower(email) = $1`), so a plain
   * index on it cannot serve the condition. `sql` is the expression, unqualified,
   * when it could be rendered (for an expression index).
   */
  wrapped?: { function: string; sql?: string };
  /** The other side is a column too: a join condition. */
  joinedTo?: ColumnUse;
  /** LIKE/ILIKE whose pattern (constant or parameter value) starts with `%` or `_`. */
  leadingWildcard?: boolean;
}

/** One SELECT (or the body of an UPDATE/DELETE): a scope of relations and the conditions on them. */
export interface QueryBlock {
  /** The outermost statement (false for subqueries, CTE bodies and set-operation branches). */
  topLevel: boolean;
  relations: RelationRef[];
  predicates: Predicate[];
  /** ORDER BY keys that are plain columns. */
  orderBy: ColumnUse[];
  hasWhere: boolean;
  /** LIMIT or FETCH FIRST present. */
  hasLimit: boolean;
  /** OFFSET when its value is known (constant, or a parameter whose value was given). */
  offset?: number;
  /** `*` or `t.*` in the select list. */
  selectsStar: boolean;
  /** GROUP BY, DISTINCT or an aggregate-looking select list: the result is not one row per table row. */
  aggregates: boolean;
}

/**
 * What the parse tree tells about a statement, for the rules and the index
 * advisor. Holds names and shapes only: no constant from the text.
 */
export interface StatementShape {
  kind: StatementKind;
  /** The top-level block first. */
  blocks: QueryBlock[];
}
