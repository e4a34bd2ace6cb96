import type { TransactionStatus } from 'pg';
import type { StatementClient } from './statement-cache-options.interface';
import { forgetDescription } from './statement-descriptions';

/**
 * pg's own record of the named statements on one connection, as kept by pg 8.23
 * (`lib/connection.js`, `lib/client.js`, `lib/query.js`). pg sends a Parse for a name only when
 * neither map has it, and refuses a name already recorded for a different text. pg never
 * deallocates anything (node-postgres #1889), so evicting means removing these entries too.
 */
export interface PgStatementRecords {
  /** name -> text, set when the server confirmed the Parse (ParseComplete). */
  parsedStatements: Record<string, string | undefined>;
  /** name -> text, set when the Parse was sent but not yet confirmed; cleared on error. Absent before 8.23. */
  submittedNamedStatements?: Record<string, string | undefined>;
}

/**
 * pg's records for `client`, or undefined when the client keeps none (the native binding):
 * the cache then cannot evict consistently and runs that client's statements unnamed.
 */
export function pgStatementRecords(client: StatementClient): PgStatementRecords | undefined {
  const connection = (client as { connection?: Partial<PgStatementRecords> }).connection;
  if (connection === undefined || connection === null || typeof connection.parsedStatements !== 'object') return undefined;
  return connection as PgStatementRecords;
}

/** The text pg has on record for `name` on this connection, if any. */
export function recordedText(records: PgStatementRecords, name: string): string | undefined {
  return records.parsedStatements[name] ?? records.submittedNamedStatements?.[name];
}

/**
 * Removes `name` from pg's records, so pg sends a fresh Parse the next time the name is used,
 * and what was known of its columns, so that run describes them again.
 */
export function forgetRecords(records: PgStatementRecords, name: string): void {
  delete records.parsedStatements[name];
  if (records.submittedNamedStatements) delete records.submittedNamedStatements[name];
  forgetDescription(records, name);
}

/**
 * The connection's transaction state from its last ReadyForQuery: 'I' outside a transaction block,
 * 'T' inside one, 'E' inside a failed one; undefined when this pg cannot tell (before 8.21).
 */
export function transactionStatus(client: StatementClient): TransactionStatus | undefined {
  return (client as { getTransactionStatus?: () => TransactionStatus }).getTransactionStatus?.();
}
