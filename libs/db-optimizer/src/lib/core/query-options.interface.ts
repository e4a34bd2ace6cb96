import type { PoolRole } from './pool-role';
import type { QueryType } from './query-classification.interface';

/**
 * Per-call options of `executeOptimizedQuery`.
 * @publicApi
 */
export interface QueryOptions {
  /** Who is asking (e.g. the user id). After this session writes, its reads see the write. */
  sessionKey?: string;
  /** `metadata.consistencyToken` of an earlier write (possibly from another instance): the read will see it. */
  consistencyToken?: string;
  /** Use the result cache for this call (when the module has it enabled). @default true */
  useCache?: boolean;
  /** TTL for this call's cached result. @default cacheTtlSeconds */
  ttlSeconds?: number;
  /** Send to the primary whatever the statement is. @default false */
  forcePrimary?: boolean;
  /** Server-side timeout for this statement (`statement_timeout`), in ms. @default statementTimeoutMs */
  timeoutMs?: number;
}

/**
 * What the service tells about how a query ran.
 * @publicApi
 */
export interface QueryMetadata {
  /** Wall time from the call to the result, including waiting for a connection. */
  executionTimeMs: number;
  /** Where the rows came from when not from the database. */
  cached: false | 'memory' | 'redis';
  poolUsed: PoolRole;
  /** `host:port` of the server that answered (of the one that filled the cache, for cached results). */
  server: string;
  queryType: QueryType;
  /** Ran as a prepared (named) statement. */
  preparedStatement: boolean;
  /** libpg-query fingerprint: one value for texts that differ only in constants. */
  fingerprint: string;
  rowCount: number;
  /** After a write: pass it to later reads (`consistencyToken`) to read your own write anywhere. */
  consistencyToken?: string;
  /** True when the read wanted a replica but went to the primary. */
  replicaFallback?: boolean;
  /**
   * A text of several statements (run as one transaction on the primary): how many ran.
   * `rows` and `rowCount` are the last statement's.
   */
  statementCount?: number;
  /** A text of several statements: each statement's command tag, rows and row count, in order. */
  statementResults?: Array<{ command: string; rows: Record<string, unknown>[]; rowCount: number }>;
  /**
   * True when a replica served the read while the primary was unreachable: the data is complete
   * up to when the replica last heard from the primary, at most `maxStalenessOnPrimaryLossMs` ago.
   */
  degraded?: boolean;
}

/** @publicApi */
export interface OptimizedQueryResult<T> {
  rows: T[];
  metadata: QueryMetadata;
}

/** One statement of a batch or a transaction: SQL and its parameters. */
export type SqlStatement = readonly [sql: string, params?: readonly unknown[]];

/** @publicApi */
export interface BatchOptions extends Pick<QueryOptions, 'sessionKey' | 'consistencyToken' | 'useCache' | 'forcePrimary' | 'timeoutMs'> {
  /** Run everything in one transaction on the primary: all or nothing. @default false */
  atomic?: boolean;
}

/** @publicApi */
export type IsolationLevel = 'read_committed' | 'repeatable_read' | 'serializable';

/** @publicApi */
export interface TransactionOptions {
  /** @default 'read_committed' */
  isolationLevel?: IsolationLevel;
  /** A read-only transaction; it may run on a replica (unless serializable). @default false */
  readOnly?: boolean;
  /**
   * `'rollback'`: a failing statement rolls the whole transaction back and throws.
   * `'rollback_to_savepoint'`: only that statement is undone; the others go on.
   * @default 'rollback'
   */
  onStatementError?: 'rollback' | 'rollback_to_savepoint';
  /** Read-your-writes session key: the commit's position is remembered for it. */
  sessionKey?: string;
  /** For read-only transactions: the replica must have replayed this token. */
  consistencyToken?: string;
  /** Server-side `statement_timeout` inside the transaction, in ms. */
  timeoutMs?: number;
}

/** Result of one statement inside a transaction. */
export interface TransactionStatementResult<T = Record<string, unknown>> {
  rows: T[];
  rowCount: number;
  /** Set when the statement failed and was rolled back to its savepoint (`rollback_to_savepoint`). */
  error?: Error;
}

/** What `executeTransactionOptimized` returns. */
export interface TransactionResult<R> {
  /** The callback's return value, or each statement's result for a list. */
  result: R;
  metadata: {
    executionTimeMs: number;
    poolUsed: PoolRole;
    server: string;
    isolationLevel: IsolationLevel;
    consistencyToken?: string;
    /** Statements rolled back to their savepoint. */
    failedStatements: number[];
  };
}
