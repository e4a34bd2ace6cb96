import type { UnknownTriggerPolicy } from '../../core/unknown-trigger-policy';

/**
 * What a cached read depends on, and what a committed write invalidates.
 * Table names are canonical: `schema.name` as stored in the catalog
 * (unquoted), and for an inheritance or partition tree always the root's
 * name, so `users`, `public.users` and `users_2024` (a partition) meet.
 */

/** One table a read depends on, or a write changes. */
export interface TableDependency {
  /** Canonical `schema.name`, the root of an inheritance tree. */
  table: string;
  /**
   * Canonical primary-key values of the rows concerned (one value as is;
   * several key columns as a JSON array in key order). Undefined means the
   * whole table: for a write, every entry of the table, row-level or not.
   */
  rowKeys?: string[];
}

/** What a read's result depends on. */
export interface ReadDependencies {
  tables: TableDependency[];
}

/** What a committed write invalidates. */
export interface WriteEffects {
  /** Drop every cached result: the write's reach cannot be known. */
  flushAll: boolean;
  /** Why everything is flushed (for logs); set when flushAll is. */
  reason?: string;
  /** Tables changed; rowKeys undefined = the whole table (table-wide and every row entry). */
  tables: TableDependency[];
}

/** A kind of data change, as triggers and foreign-key actions see it. */
export type WriteEvent = 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';

/** Every data-changing event. */
export const ALL_WRITE_EVENTS: readonly WriteEvent[] = ['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'];

/** Tables a write to one table may change besides it. */
export interface WriteReach {
  /** Other tables changed through cascading foreign keys and triggers, transitively (the table itself when it is reached back). */
  tables: string[];
  /** A trigger, rule or function on the way does something that cannot be analysed (per unknownTriggerPolicy). */
  unknown: boolean;
  /** What could not be analysed, for logs. */
  reason?: string;
  /** BEFORE ROW triggers (or rules) may change the rows a statement names, so keys read from its text prove nothing. */
  keysMayChange: boolean;
}

/** Tables the functions a statement calls may change. */
export interface FunctionReach {
  tables: string[];
  unknown: boolean;
  reason?: string;
}

/**
 * How values of a key column compare: what makes two spellings the same row.
 * `other` covers every type whose spellings cannot be normalised safely
 * (numeric, dates, case-insensitive collations...): such keys stay table-level.
 */
export type KeyType = 'integer' | 'text' | 'char' | 'uuid' | 'other';

/** One primary-key column, in key order. */
export interface KeyColumn {
  name: string;
  type: KeyType;
}

/** What the catalog may do when a trigger or rule does something that cannot be analysed (defined in core, so options can name it). */
export type { UnknownTriggerPolicy };

/** Options of TableCatalog. */
export interface TableCatalogOptions {
  /**
   * A trigger, rule or called function whose writes cannot be known (dynamic
   * SQL, C code, DDL...): `flush_all` drops every cached result when such a
   * table is written; `ignore` invalidates only what is known.
   * @default 'flush_all'
   */
  unknownTriggerPolicy?: UnknownTriggerPolicy;
  /**
   * How many catalog answers of each kind (names, relations, functions) to keep.
   * @default 2000
   */
  maxEntries?: number;
  /**
   * How long a catalog answer is trusted. DDL run through the module clears the
   * catalog at once; this bounds how long DDL run elsewhere goes unnoticed.
   * @default 60000
   */
  ttlMs?: number;
}

/** A catalog answer not held in memory now: it must be asked for (and awaited). */
export const NOT_HELD: unique symbol = Symbol('not held');

/**
 * The answers a read's dependencies need, as far as the catalog holds them now (each the same
 * answer its asynchronous twin would give, or NOT_HELD): a read served from memory then waits
 * for nothing. Nothing here queries PostgreSQL.
 */
export interface HeldReadAnswers {
  resolve(ref: { schema?: string; name: string }): string | undefined | typeof NOT_HELD;
  readTargets(table: string): string[] | undefined | typeof NOT_HELD;
  keyColumns(table: string): KeyColumn[] | undefined | typeof NOT_HELD;
}

/**
 * The catalog questions dependency analysis asks. TableCatalog answers them
 * from PostgreSQL; tests can answer them from memory (InMemoryTableCatalog).
 */
export interface DependencyCatalog {
  /** The answers held now, without waiting; a catalog without it is always asked. */
  readonly held?: HeldReadAnswers;
  /** Canonical name of a table as a statement names it, or undefined when no such relation exists. */
  resolve(ref: { schema?: string; name: string }): Promise<string | undefined>;
  /** Primary-key column names in key order, or undefined when the table has none. */
  primaryKey(table: string): Promise<string[] | undefined>;
  /** Primary-key columns with how their values compare, or undefined when the table has none. */
  keyColumns(table: string): Promise<KeyColumn[] | undefined>;
  /** Tables a read of this relation depends on (a view: itself and its base tables), or undefined when reads of it must not be cached. */
  readTargets(table: string): Promise<string[] | undefined>;
  /** What a write of the given kinds (all when omitted) to this table reaches. */
  writeReach(table: string, events?: readonly WriteEvent[]): Promise<WriteReach>;
  /** What calling these functions (names as the classifier reports them) may write. */
  functionReach(names: readonly string[]): Promise<FunctionReach>;
  /** Forgets every answer (after DDL). */
  clear(): void;
}
