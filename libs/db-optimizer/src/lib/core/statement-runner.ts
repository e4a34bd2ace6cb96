import type { PoolClient, QueryResult } from 'pg';
import type { ResultShape } from './result-shape';

/** Rows as pg returns them; the facade casts to the caller's row type at the edge. */
export type StatementResult = { result: QueryResult; prepared: boolean };

/**
 * Called each time a statement is handed to pg (once, or again when it is retried after a
 * failure), in the same synchronous step: what the caller sends on the connection from there
 * on is queued behind the statement. Used to send a read in the same round trip as a write.
 * @publicApi
 */
export type AfterSubmit = () => void;

/** What runs one statement on a checked-out client: the prepared-statement cache, or plain `pg`. */
export interface StatementRunner {
  execute(client: PoolClient, sql: string, params: unknown[], shape?: ResultShape, afterSubmit?: AfterSubmit): Promise<StatementResult>;
}

/**
 * Runs one statement with an optional per-call `statement_timeout`. Outside a
 * transaction the setting is reset afterwards so the pooled connection goes
 * back as it came; inside one, `SET LOCAL` ends with the transaction.
 */
export async function runStatement(
  runner: StatementRunner,
  client: PoolClient,
  sql: string,
  params: unknown[],
  timeoutMs: number | undefined,
  inTransaction = false,
  shape?: ResultShape,
): Promise<StatementResult> {
  if (timeoutMs === undefined) return runner.execute(client, sql, params, shape);
  const millis = Math.max(1, Math.floor(timeoutMs));
  await client.query(`SET ${inTransaction ? 'LOCAL ' : ''}statement_timeout = ${millis}`);
  try {
    return await runner.execute(client, sql, params, shape);
  } finally {
    if (!inTransaction) await client.query('RESET statement_timeout');
  }
}

/** One statement's outcome in a text of several. */
export interface PerStatementResult {
  /** Command tag, e.g. 'UPDATE', 'SELECT'. */
  command: string;
  rows: Record<string, unknown>[];
  rowCount: number;
}

/**
 * pg answers a text of several statements sent without parameters (simple protocol) with an
 * array of results, one per statement; a single statement with one result. Both as a list.
 */
export function resultsOf(result: QueryResult | QueryResult[]): QueryResult[] {
  return Array.isArray(result) ? result : [result];
}

/** The per-statement outcomes of a result (see resultsOf). */
export function perStatement(result: QueryResult | QueryResult[]): PerStatementResult[] {
  return resultsOf(result).map((one) => ({ command: one.command, rows: one.rows, rowCount: one.rowCount ?? one.rows.length }));
}

/**
 * The primary's WAL insert position. Not pg_current_wal_lsn(): with asynchronous
 * commit that write position can still be before the commit record, and a replica
 * at it would miss the write.
 */
export async function currentWalLsn(client: Pick<PoolClient, 'query'>): Promise<string> {
  const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  return rows[0].lsn;
}
