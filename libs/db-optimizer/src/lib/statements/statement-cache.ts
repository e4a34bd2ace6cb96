import type { ClientBase, QueryResultRow, TransactionStatus } from 'pg';
import { assertStatementCacheOptions } from './assert-statement-cache-options';
import { ConnectionStatements } from './connection-statements';
import { deallocateStatement } from './deallocate-statement';
import { forgetRecords, type PgStatementRecords, pgStatementRecords, recordedText, transactionStatus } from './pg-statement-records';
import { runNamedQuery } from './run-named-query';
import { SeenTexts } from './seen-texts';
import { SEEN_TEXTS_MIN_CAPACITY, SEEN_TEXTS_PER_CACHED_STATEMENT } from './statement-cache.constants';
import { STATEMENT_PARAMS_NOT_ARRAY } from './statement-cache.messages';
import { StatementCacheCounters } from './statement-cache-counters';
import type { StatementCacheOptions, StatementClient, StatementExecution } from './statement-cache-options.interface';
import type { AfterSubmit } from '../core/statement-runner';
import { classifyStatementFailure } from './statement-failure';
import { chooseRecovery, type StatementRecovery } from './statement-recovery';
import { assertNever } from '../core/assert-never';
import type { ResultShape } from '../core/result-shape';

/**
 * Prepares repeated parameterized statements automatically, per connection.
 *
 * A text that has been seen `prepareThreshold` times runs as a named statement (`dbo_` + a hash
 * of the text). Each connection keeps at most `perConnectionCapacity` of them; the least recently
 * used is deallocated on that connection (`DEALLOCATE` plus pg's own record of it). When DDL
 * invalidates a statement (SQLSTATE 0A000) it is deallocated and re-prepared, and the execution
 * retried once when no transaction block is open. Inside one, the failure has aborted the
 * caller's transaction, so the error is rethrown and the statement re-prepared on its next use
 * outside a transaction block (it runs unnamed until then). On a connection in pipeline mode,
 * where other calls may fail on the same name at once, the retry runs unnamed and one later
 * DEALLOCATE settles the name (`recoverShared`).
 *
 * The cache never runs its own statements inside a transaction block: there a DEALLOCATE that
 * failed would abort the caller's transaction. Names it must deallocate then wait until the
 * connection is outside a transaction again.
 *
 * Per-connection state lives in a WeakMap keyed by the client, so it goes when pg-pool
 * destroys the client.
 *
 * @publicApi
 * @example
 * const statements = new StatementCache({ enabled: true, prepareThreshold: 1, perConnectionCapacity: 1000 });
 * const client = await pool.connect();
 * try {
 *   const { result, prepared } = await statements.execute<{ id: number }>(client, 'SELECT id FROM users WHERE email = $1', [email]);
 * } finally {
 *   client.release();
 * }
 */
export class StatementCache extends StatementCacheCounters {
  private readonly options: Readonly<StatementCacheOptions>;
  private readonly seen: SeenTexts;
  private readonly connections = new WeakMap<object, ConnectionStatements>();

  constructor(options: StatementCacheOptions) {
    super();
    assertStatementCacheOptions(options);
    this.options = { ...options };
    const seenCapacity = Math.max(SEEN_TEXTS_MIN_CAPACITY, options.perConnectionCapacity * SEEN_TEXTS_PER_CACHED_STATEMENT);
    this.seen = new SeenTexts(options.prepareThreshold, seenCapacity);
  }

  /**
   * Runs `sql` with `params` on this checked-out client, as a named statement when it qualifies.
   * Texts without parameters always run unnamed: they may hold several statements or
   * transaction control, and pg sends them as simple queries.
   */
  // Not async on purpose: a cache hit costs one promise chain, not several (this runs on every query).
  execute<T extends QueryResultRow = QueryResultRow>(
    client: StatementClient,
    sql: string,
    params: unknown[],
    shape?: ResultShape,
    afterSubmit?: AfterSubmit,
  ): Promise<StatementExecution<T>> {
    if (!Array.isArray(params)) return Promise.reject(new TypeError(STATEMENT_PARAMS_NOT_ARRAY()));
    if (!this.options.enabled || params.length === 0) return runUnnamed<T>(client, sql, params, shape, afterSubmit);
    const name = this.seen.sight(sql);
    const statements = name === undefined ? undefined : this.statementsOf(client);
    if (name === undefined || statements === undefined) {
      this.missCount++;
      return runUnnamed<T>(client, sql, params, shape, afterSubmit);
    }
    const preparedText = statements.use(name);
    if (preparedText === sql) {
      this.hitCount++;
      const execution = runNamedQuery<T>(client, name, sql, params, shape);
      afterSubmit?.();
      return execution.then(
        (result) => ({ result, prepared: true }),
        (error: unknown) => this.recoverAndRetry<T>(client, statements, name, sql, params, error, true, shape, afterSubmit),
      );
    }
    this.missCount++;
    // Another text under the same name on this connection: a hash collision. Never share a name.
    if (preparedText !== undefined) return runUnnamed<T>(client, sql, params, shape, afterSubmit);
    return this.prepareAndRun<T>(client, statements, name, sql, params, shape, afterSubmit);
  }

  /**
   * Forgets a connection's statements, the cache's records and pg's own: after a reset
   * (`DISCARD ALL` deallocates every prepared statement; call it outside a transaction block,
   * right after the reset succeeded) or when pg-pool closed the connection (`'remove'`: the
   * WeakMap would let it go with the client anyway, this frees it even while someone still
   * holds the client object, and makes `preparedCount` of a closed connection 0).
   */
  forgetConnection(client: StatementClient): void {
    this.connections.delete(client);
    const records = pgStatementRecords(client);
    if (records === undefined) return;
    for (const name of Object.keys(records.parsedStatements)) forgetRecords(records, name);
    for (const name of Object.keys(records.submittedNamedStatements ?? {})) forgetRecords(records, name);
  }

  /** Statements the cache holds prepared on this client (0 for a client it has not prepared on). */
  preparedCount(client: StatementClient): number {
    return this.connections.get(client)?.size ?? 0;
  }

  /** This client's state, created on first use; undefined for clients pg keeps no statement records for. */
  private statementsOf(client: StatementClient): ConnectionStatements | undefined {
    const known = this.connections.get(client);
    if (known !== undefined) return known;
    if (pgStatementRecords(client) === undefined) return undefined;
    const created = new ConnectionStatements(this.options.perConnectionCapacity);
    this.connections.set(client, created);
    return created;
  }

  private async prepareAndRun<T extends QueryResultRow>(
    client: StatementClient,
    statements: ConnectionStatements,
    name: string,
    sql: string,
    params: unknown[],
    shape: ResultShape | undefined,
    afterSubmit: AfterSubmit | undefined,
  ): Promise<StatementExecution<T>> {
    const records = pgStatementRecords(client);
    const recorded = records === undefined ? undefined : recordedText(records, name);
    const status = transactionStatus(client);
    // A name pg holds for another text is a collision (pg would refuse it). In a failed
    // transaction the statement fails anyway and no DEALLOCATE could run.
    if (records === undefined || (recorded !== undefined && recorded !== sql) || status === 'E') {
      return runUnnamed<T>(client, sql, params, shape, afterSubmit);
    }
    if (statements.unsettledCount > 0 && mayDeallocate(status)) await this.settleAll(client, statements, records);
    // Still waiting for its DEALLOCATE (inside a transaction block, where it cannot run safely), or
    // one is on its way (a concurrent call on a pipelined connection): run it unnamed meanwhile.
    if (statements.isBlocked(name)) return runUnnamed<T>(client, sql, params, shape, afterSubmit);
    return this.admitAndRun<T>(client, statements, records, name, sql, params, true, shape, afterSubmit);
  }

  private async runNamed<T extends QueryResultRow>(
    client: StatementClient,
    statements: ConnectionStatements,
    name: string,
    sql: string,
    params: unknown[],
    mayRetry: boolean,
    shape: ResultShape | undefined,
    afterSubmit: AfterSubmit | undefined,
  ): Promise<StatementExecution<T>> {
    try {
      const execution = runNamedQuery<T>(client, name, sql, params, shape);
      afterSubmit?.();
      return { result: await execution, prepared: true };
    } catch (error) {
      return this.recoverAndRetry<T>(client, statements, name, sql, params, error, mayRetry, shape, afterSubmit);
    }
  }

  /** A named execution failed: recover the statement (0A000, 26000...) and retry once, or rethrow. */
  private async recoverAndRetry<T extends QueryResultRow>(
    client: StatementClient,
    statements: ConnectionStatements,
    name: string,
    sql: string,
    params: unknown[],
    error: unknown,
    mayRetry: boolean,
    shape: ResultShape | undefined,
    afterSubmit: AfterSubmit | undefined,
  ): Promise<StatementExecution<T>> {
    // As pg does for its own promises: a stack that leads back to the caller, not to the socket's read.
    if (error instanceof Error) Error.captureStackTrace(error);
    const records = pgStatementRecords(client);
    if (records === undefined) throw error;
    // Read after the error, this is the state the failed statement left: 'I' only outside a transaction block.
    const outsideTransaction = transactionStatus(client) === 'I';
    const recovery = chooseRecovery(classifyStatementFailure(error), recordedText(records, name) !== undefined, mayRetry && outsideTransaction);
    if (isPipelined(client)) {
      if (!recoverShared(statements, name, recovery)) throw error;
      return runUnnamed<T>(client, sql, params, shape, afterSubmit);
    }
    if (!(await this.recover(client, statements, records, name, recovery))) throw error;
    this.reprepareCount++;
    return this.admitAndRun<T>(client, statements, records, name, sql, params, false, shape, afterSubmit);
  }

  /**
   * Brings the bookkeeping in line with what the failure did to the statement on the server.
   * Returns true when the execution should be retried on a fresh preparation.
   */
  private async recover(
    client: StatementClient,
    statements: ConnectionStatements,
    records: PgStatementRecords,
    name: string,
    recovery: StatementRecovery,
  ): Promise<boolean> {
    switch (recovery) {
      case 'keep':
        return false;
      case 'forget':
        statements.forget(name);
        return false;
      case 'drop':
      case 'drop-and-retry':
        statements.forget(name);
        forgetRecords(records, name);
        return recovery === 'drop-and-retry';
      case 'unsettle':
        statements.markUnsettled(name);
        return false;
      case 'deallocate-and-retry':
        await this.deallocate(client, statements, records, name);
        return true;
      default:
        return assertNever(recovery);
    }
  }

  /**
   * Records `name` as prepared and runs it, deallocating the statement it displaced.
   *
   * The named query is handed to pg in the same synchronous step as the bookkeeping, never after
   * an await: once a name is in the LRU its Parse is already queued, so a later eviction of it
   * (by a concurrent call on a pipelined connection) queues its DEALLOCATE behind that Parse.
   */
  private async admitAndRun<T extends QueryResultRow>(
    client: StatementClient,
    statements: ConnectionStatements,
    records: PgStatementRecords,
    name: string,
    sql: string,
    params: unknown[],
    mayRetry: boolean,
    shape: ResultShape | undefined,
    afterSubmit: AfterSubmit | undefined,
  ): Promise<StatementExecution<T>> {
    this.preparationCount++;
    const displaced = statements.admit(name, sql);
    let deallocation: Promise<void> | undefined;
    if (displaced !== undefined) {
      this.evictionCount++;
      // Inside a transaction block a DEALLOCATE that failed would abort the caller's transaction: defer it.
      if (mayDeallocate(transactionStatus(client))) deallocation = this.deallocate(client, statements, records, displaced);
      else statements.markUnsettled(displaced);
    }
    // Both awaited together, so a failing execution is never left without a handler (deallocation never rejects).
    const [, execution] = await Promise.all([deallocation, this.runNamed<T>(client, statements, name, sql, params, mayRetry, shape, afterSubmit)]);
    return execution;
  }

  /** Deallocates every name left waiting; called only outside a transaction block. */
  private async settleAll(client: StatementClient, statements: ConnectionStatements, records: PgStatementRecords): Promise<void> {
    // Another call may have settled a name meanwhile (a pipelined connection): one DEALLOCATE per name.
    for (const name of statements.unsettled()) if (statements.isUnsettled(name)) await this.deallocate(client, statements, records, name);
  }

  /**
   * DEALLOCATEs `name` on this connection, keeping the name blocked until the server answered.
   * The DEALLOCATE is handed to pg before the first await, so it is queued ahead of anything
   * the caller sends next.
   */
  private async deallocate(
    client: StatementClient,
    statements: ConnectionStatements,
    records: PgStatementRecords,
    name: string,
  ): Promise<void> {
    statements.beginDeallocation(name);
    await deallocateStatement(client, records, name);
    statements.endDeallocation(name);
  }
}

function runUnnamed<T extends QueryResultRow>(
  client: StatementClient,
  sql: string,
  params: unknown[],
  shape: ResultShape | undefined,
  afterSubmit: AfterSubmit | undefined,
): Promise<StatementExecution<T>> {
  const query = shape === undefined ? (client as ClientBase).query<T>(sql, params) : (client as ClientBase).query<T>({ text: sql, values: params, ...shape });
  afterSubmit?.();
  return query.then((result) => ({ result, prepared: false }));
}

/**
 * Whether the cache may run a DEALLOCATE now: outside a transaction block, where a failure harms
 * nothing. `undefined` means a pg too old to tell, which predates transaction tracking; treat it as
 * outside, or statements could never be deallocated there.
 */
function mayDeallocate(status: TransactionStatus | undefined): boolean {
  return status === 'I' || status === undefined;
}

/**
 * `recover` for a connection in pipeline mode, where other calls using the same name may be in
 * flight and fail the same way at once. Each recovering on its own would send one DEALLOCATE or
 * Parse per call, and a late answer to one would erase pg's record of another's Parse (the next
 * use then prepares twice: 42P05). So nothing is sent here: the name is blocked until one
 * DEALLOCATE settles it (`settleAll`, on a later preparation), and a retry runs unnamed.
 * Returns true when the execution should be retried.
 */
function recoverShared(statements: ConnectionStatements, name: string, recovery: StatementRecovery): boolean {
  if (recovery === 'keep') return false;
  // The Parse itself failed: pg dropped its record and the server holds nothing to deallocate.
  if (recovery === 'forget') statements.forget(name);
  else statements.markUnsettled(name);
  return recovery === 'drop-and-retry' || recovery === 'deallocate-and-retry';
}

/** The connection is in pg's pipeline mode: other calls may be in flight on it (`multiplexReads`, a position read). */
function isPipelined(client: StatementClient): boolean {
  return (client as { pipeline?: unknown }).pipeline === true;
}
