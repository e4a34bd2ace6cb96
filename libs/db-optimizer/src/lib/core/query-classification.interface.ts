/** What a statement does, as reported in `metadata.queryType`. */
export type QueryType = 'READ' | 'WRITE' | 'ANALYTICAL' | 'TRANSACTIONAL';

/** Where a statement may run. `primary` whenever in doubt. */
export type RouteTarget = 'primary' | 'read_replica' | 'analytics';

/** A table named by a statement, as written (schema only when the SQL gives one). */
export interface TableRef {
  schema?: string;
  name: string;
}

/**
 * Everything the parser tells about one SQL text. Computed once per text and
 * cached: the hot path only looks it up.
 */
export interface QueryClassification {
  /** READ, WRITE, ANALYTICAL (a read worth the analytics pool) or TRANSACTIONAL (BEGIN/COMMIT/SAVEPOINT...). */
  queryType: QueryType;
  /** Where the statement may run, before volatility and consistency checks. */
  target: RouteTarget;
  /** Why it goes where it goes, for logs and debugging (e.g. "row lock (FOR UPDATE)"). */
  reason: string;
  /** libpg-query fingerprint (hex); groups texts that differ only in constants. Empty when unparseable. */
  fingerprint: string;
  /** Text with constants replaced by $n: safe for metrics and logs. Never the raw text. */
  normalizedSql: string;
  /** Tables the statement reads. */
  tablesRead: TableRef[];
  /** Tables the statement writes (DML targets, DDL subjects). */
  tablesWritten: TableRef[];
  /** Functions called, lower-cased, schema-qualified when written so; checked for volatility at run time. */
  functions: string[];
  /** Operators used (`schema.op` when qualified); user-defined ones are checked for the volatility of their function. */
  operators: string[];
  /** Types cast to (`schema.type` when qualified); user-defined casts are checked for the volatility of their function. */
  castTypes: string[];
  /** Number of statements in the text. More than one always goes to the primary. */
  statementCount: number;
  /** Parser error message when the text does not parse (it then goes to the primary). */
  parseError?: string;
  /**
   * True when the result may be cached as far as the text can tell: a single
   * plain SELECT without row locks, SELECT INTO, temp tables, catalog tables or
   * volatile/time/session functions known from the text. Catalog volatility is
   * checked on top of this at run time.
   */
  cacheable: boolean;
  /** The statement leaves state on the session (SET, PREPARE, LISTEN, temp table...), so it pins the client. */
  sessionState: boolean;
  /** Some statement of the text is transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT...), whatever else it holds. */
  transactionControl: boolean;
  /** Creates, alters or drops a function, procedure, operator, cast or extension: cached volatility is stale after it. */
  functionDdl: boolean;
  /** Runs code the parser cannot see into (DO, CALL): it may change anything, session state included. */
  opaqueCode: boolean;
  /** The parse tree (libpg-query JSON), for later analyses; undefined when unparseable. */
  parseTree?: unknown;
}
