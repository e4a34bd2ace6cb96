/**
 * Every message the library writes, as sentences that name the misuse and the fix.
 * Kept together so wording stays consistent and reviewable.
 */
export const INVALID_OPTION = (option: string, problem: string): string =>
  `DbOptimizerModule option ${option} ${problem}.`;

export const INVALID_ENV = (variable: string, value: string, expected: string): string =>
  `Environment variable ${variable}="${value}" is invalid: expected ${expected}.`;

export const CONFLICTING_ENV = (variable: string, value: string, alias: string, aliasValue: string): string =>
  `Environment variables ${variable}="${value}" and ${alias}="${aliasValue}" disagree: they are two names for one setting. ` +
  `Set only one of them (or give both the same value).`;

export const MISSING_ENV = (variable: string): string =>
  `Environment variable ${variable} is not set: set it to the primary's URL, e.g. postgres://user@host:5432/db.`;

export const POOL_EXHAUSTED = (pool: string, max: number, waitedMs: number): string =>
  `Pool "${pool}" is exhausted: all ${max} connections stayed busy for ${Math.round(waitedMs)} ms (acquireTimeoutMs). ` +
  'Raise the pool max, shorten transactions, or lower concurrency.';

export const POOL_CLOSED = (pool: string): string =>
  `Pool "${pool}" has been shut down; no query can run on it. Was it used after the application closed?`;

export const CONNECT_FAILED = (pool: string, server: string): string =>
  `Could not connect to pool "${pool}" (${server}); the server may be down or restarting. The query was not run.`;

export const CLIENT_RELEASED_TWICE = (pool: string): string =>
  `A client of pool "${pool}" was released twice. Release each checked-out client exactly once.`;

export const BATCH_QUERY_FAILED = (index: number, reason: string): string =>
  `Batch query #${index} failed: ${reason}`;

export const TRANSACTION_STATEMENT_FAILED = (index: number, reason: string): string =>
  `Transaction statement #${index} failed and the transaction was rolled back: ${reason}`;

export const TRANSACTION_CONTROL_IN_WORK = (statement: string): string =>
  `"${statement}" cannot run inside executeTransactionOptimized(): the transaction is managed for you. ` +
  'Use the handle\'s savepoint() for partial rollback.';

export const TRANSACTION_CONTROL_IN_TEXT = (statement: string): string =>
  `"${statement}" holds transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT...): the module runs a text of several ` +
  'statements as one transaction itself, and manages transactions for you. Remove it, or use executeTransactionOptimized().';

export const MULTI_STATEMENT_WITH_PARAMS = (count: number): string =>
  `The text holds ${count} statements and parameters: PostgreSQL binds parameters to one statement only. ` +
  'Send each statement in its own call (or as a batch), or drop the parameters.';

export const SESSION_STATE_IN_TRANSACTION = (sql: string): string =>
  `"${sql.trim().slice(0, 40)}" changes session state that outlives the transaction and would leak to whoever uses the ` +
  'pooled connection next. Use the transaction-scoped form instead: SET LOCAL (not SET), set_config(name, value, true), ' +
  'pg_advisory_xact_lock (not pg_advisory_lock), CREATE TEMP TABLE ... ON COMMIT DROP, DECLARE without WITH HOLD; ' +
  'PREPARE, LISTEN, DISCARD and RESET have no such form.';

export const TRANSACTION_HANDLE_CLOSED = (): string =>
  'This transaction has already ended; its handle cannot run more queries. Keep queries inside the callback and await them.';

export const INVALID_SQL_ARGUMENT = (what: string): string =>
  `${what} must be a non-empty SQL string. Pass values through the params array, never inside the SQL text.`;

export const INVALID_PARAMS_ARGUMENT = (): string =>
  'params must be an array of values (bound as $1, $2, ...), or omitted.';

export const INVALID_SAVEPOINT_NAME = (name: string): string =>
  `Savepoint name "${name}" is invalid: use letters, digits and underscores, starting with a letter.`;

export const SESSION_STATE_REFUSED = (sql: string): string =>
  `"${sql.trim().slice(0, 40)}" changes session state (SET, PREPARE, LISTEN, temp tables...), which would leak to whoever ` +
  'uses the pooled connection next. Run it inside executeTransactionOptimized() (e.g. SET LOCAL) instead.';

export const TRANSACTION_ABORTED = (): string =>
  'A statement inside the transaction failed and its error was caught, so PostgreSQL aborted the transaction: ' +
  'nothing was committed. Wrap a statement that may fail in tx.savepoint() to recover from it and go on.';

export const TRANSACTION_ROLLED_BACK_AT_COMMIT = (tag: string): string =>
  `COMMIT answered "${tag}": an earlier statement failed and its error was caught, so PostgreSQL rolled the ` +
  'transaction back and nothing was committed. Wrap a statement that may fail in tx.savepoint() to recover from it and go on.';

export const INVALID_CONSISTENCY_TOKEN = (token: unknown): string =>
  `consistencyToken "${String(token).slice(0, 40)}" is not a token returned by a write (expected a WAL position like "0/3000060"). ` +
  'Pass metadata.consistencyToken from an earlier write unchanged.';

export const INVALID_SESSION_KEY = (maxLength: number): string =>
  `sessionKey must be a non-empty string of at most ${maxLength} characters (e.g. a user id). ` +
  'Hash longer identifiers before passing them.';
export const SERVER_UNREACHABLE = (pool: string, server: string, sinceMs: number, failures: number, nextCheckInMs: number): string =>
  `${pool === 'primary' || pool.startsWith('primary[') ? `The primary "${pool}"` : `Pool "${pool}"`} (${server}) is unreachable since ` +
  `${new Date(sinceMs).toISOString()} (${failures} connection failures in a row), so this call failed at once instead of waiting ` +
  `for a connection. It is checked again in ${Math.max(0, Math.round(nextCheckInMs))} ms and used again as soon as it answers. The statement was not run.`;

export const PRIMARY_IN_RECOVERY = (pool: string, server: string): string =>
  `A failover happened: the server configured as primary "${pool}" (${server}) is in recovery (a standby now) and cannot take writes. ` +
  'List the new primary in primaryUrl/primaryUrls so the module can follow it; the write was not run.';

export const UNPOSITIONED_WRITE_READ_REFUSED = (sinceMs: number): string =>
  `The primary is unreachable since ${new Date(sinceMs).toISOString()}, and a write committed on it has no known WAL position ` +
  '(its connection was cut right after the commit). Until the primary answers with a position after that write, no replica ' +
  "can be shown to have it, so the reads that must see it (its session's, and cached reads of the rows it wrote) need the " +
  'primary, and this one was refused rather than answered with data that may be older. Nothing was run; retry once the ' +
  'primary is back.';

export const UNPOSITIONED_WRITE = (reason: string, inSession: boolean): string =>
  `Committed, but the WAL position could not be read (no consistency token): ${reason}. ` +
  (inSession ? "This session's reads, and cached reads of what it wrote, go" : 'Cached reads of what it wrote go') +
  ' to the primary until the lag monitor reads a primary position after this moment.';

export const STALE_READ_REFUSED = (requiredLsn: string, sinceMs: number): string =>
  `The primary is unreachable since ${new Date(sinceMs).toISOString()} and no reachable replica has replayed this session's ` +
  `last write (WAL position ${requiredLsn}), so the read was refused rather than answered with older data. ` +
  'Retry once the primary is back, or read without sessionKey/consistencyToken if older data is acceptable.';

/** The ban reason of a replica that answers pg_is_in_recovery() = false: it was promoted and must not get reads as a replica. */
export const REPLICA_PROMOTED = 'promoted: not in recovery';

export const PRIMARY_MOVED = (from: string, to: string, toServer: string): string =>
  `The primary moved: "${from}" is unreachable or in recovery, "${to}" (${toServer}) is not in recovery; writes go there now.`;

/** Why a write got no position: the read sent with it failed (the connection is closed, not reused). */
export const POSITION_READ_FAILED = (error: unknown): string =>
  `the position read sent with the write failed (${error instanceof Error ? error.message : String(error)}); its connection is closed, not reused`;

/** Why a write got no position: its connection still had something in flight after the write and its read. */
export const POSITION_READ_LEFT_IN_FLIGHT = 'the write left its connection with something still in flight; the connection is closed, not reused';

/** The primary check cannot read the WAL insert position; it reads the written position meanwhile. */
export const INSERT_POSITION_UNAVAILABLE = (pool: string, reason: string): string =>
  `Pool "${pool}" cannot call pg_current_wal_insert_lsn() (${reason}); the primary's position is read with ` +
  'pg_current_wal_lsn() meanwhile, and the insert position asked again every minute. A commit made with ' +
  'synchronous_commit = off can lie past that position until the WAL writer runs, so a read that must see a write ' +
  'whose own position is unknown could be served by a replica without it. GRANT EXECUTE ON FUNCTION ' +
  'pg_current_wal_insert_lsn() to the role, or keep synchronous_commit on.';
