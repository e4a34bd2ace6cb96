import type { StatementFailure } from './statement-failure';
import { assertNever } from '../core/assert-never';

/**
 * What to do after a named execution failed, so the cache, pg's records and the server agree again.
 * - `keep`: rethrow; the statement is still prepared and usable (the failure came after its Parse).
 * - `forget`: rethrow; the Parse itself failed, so the server holds nothing under the name.
 * - `drop`: rethrow; the server lost the statement, but pg still records it: forget both.
 * - `drop-and-retry`: as `drop`, then run again on a fresh preparation.
 * - `unsettle`: rethrow; the name must be deallocated before it is prepared again.
 * - `deallocate-and-retry`: deallocate the stale statement now, then run again on a fresh preparation.
 */
export type StatementRecovery = 'keep' | 'forget' | 'drop' | 'drop-and-retry' | 'unsettle' | 'deallocate-and-retry';

/**
 * Chooses the recovery for `failure`.
 * @param parsed whether pg still records the name as parsed or submitted on this connection
 * @param mayRetry whether running the statement again is safe: the first attempt, outside a
 *   transaction block (the failure rolled back on its own; inside one it aborted the transaction)
 */
export function chooseRecovery(failure: StatementFailure, parsed: boolean, mayRetry: boolean): StatementRecovery {
  switch (failure) {
    case 'statement-error':
      return parsed ? 'keep' : 'forget';
    case 'state-unknown':
      return 'unsettle';
    case 'statement-missing':
      return mayRetry ? 'drop-and-retry' : 'drop';
    case 'statement-stale':
      return mayRetry ? 'deallocate-and-retry' : 'unsettle';
    default:
      return assertNever(failure);
  }
}
