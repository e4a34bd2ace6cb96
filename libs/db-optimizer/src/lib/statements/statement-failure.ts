import { DatabaseError } from 'pg';
import {
  PLAN_REVALIDATION_ROUTINE,
  SQLSTATE_DUPLICATE_PREPARED_STATEMENT,
  SQLSTATE_FEATURE_NOT_SUPPORTED,
  SQLSTATE_INVALID_SQL_STATEMENT_NAME,
} from './statement-cache.constants';

/**
 * Why a named execution failed, as far as the cache's bookkeeping is concerned.
 * - `statement-stale`: the server holds a statement under the name that cannot be used: DDL changed
 *   its result type (0A000 "cached plan must not change result type"), or pg does not know the
 *   server has it (42P05). It must be deallocated before the name is prepared again.
 * - `statement-missing`: the server has no statement of that name (26000), e.g. after `DEALLOCATE ALL`.
 * - `state-unknown`: a failure outside the server (pg closes the statement when binding a value
 *   throws; a timeout or a broken socket): the server may or may not still hold it.
 * - `statement-error`: any other server error; the statement's state is what pg recorded.
 */
export type StatementFailure = 'statement-stale' | 'statement-missing' | 'state-unknown' | 'statement-error';

/** Sorts a named execution's error into one of the `StatementFailure` kinds. */
export function classifyStatementFailure(error: unknown): StatementFailure {
  if (!(error instanceof DatabaseError)) return 'state-unknown';
  if (error.code === SQLSTATE_INVALID_SQL_STATEMENT_NAME) return 'statement-missing';
  // 0A000 also covers unsupported features in the query itself; only the plan cache's check is ours.
  if (error.code === SQLSTATE_FEATURE_NOT_SUPPORTED && error.routine === PLAN_REVALIDATION_ROUTINE) return 'statement-stale';
  if (error.code === SQLSTATE_DUPLICATE_PREPARED_STATEMENT) return 'statement-stale';
  return 'statement-error';
}
