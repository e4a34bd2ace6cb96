import { DatabaseError } from 'pg';
import type { ClientBase } from 'pg';
import { forgetRecords, type PgStatementRecords } from './pg-statement-records';
import { SQLSTATE_INVALID_SQL_STATEMENT_NAME } from './statement-cache.constants';
import type { StatementClient } from './statement-cache-options.interface';

/**
 * Runs `DEALLOCATE "<name>"` on `client` and then removes pg's record of the name, so the next
 * use of the name sends a fresh Parse. Never rejects: a DEALLOCATE that failed for another reason
 * than "no such statement" left the statement on the server, so pg's record of it stays true.
 *
 * The record is removed when the server answers, not when the DEALLOCATE is sent: on a pipelined
 * connection an earlier Parse of the same name may still be unanswered, and its ParseComplete
 * would write the record back. The caller must not use the name until this settles.
 */
export function deallocateStatement(client: StatementClient, records: PgStatementRecords, name: string): Promise<void> {
  return new Promise<void>((resolve) => {
    // The callback form runs before pg sends its next queued query, so that query already sees the change.
    (client as ClientBase).query(`DEALLOCATE "${name}"`, (error: Error | null | undefined) => {
      if (!error || (error instanceof DatabaseError && error.code === SQLSTATE_INVALID_SQL_STATEMENT_NAME)) {
        forgetRecords(records, name);
      }
      resolve();
    });
  });
}
