import { HttpStatus } from '@nestjs/common';
import { DatabaseError } from 'pg';
import {
  BatchQueryError,
  DatabaseUnavailableError,
  InvalidConsistencyTokenError,
  PoolExhaustedError,
  QueryRoutingError,
  StaleReadRefusedError,
  TransactionStatementError,
} from '@db-optimizer/core';

/** What the client is told: a status, a message safe to show, and the SQLSTATE when there is one. */
export interface ErrorAnswer {
  status: number;
  message: string;
  code?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The HTTP answer for an error. Only the library's typed errors and the server's SQLSTATEs are
 * the client's business (4xx/503, with their message); anything else (a TypeError, a bug) is a
 * 500 whose message stays in the log, since it may describe internals.
 */
export function answerFor(error: unknown): ErrorAnswer {
  if (error instanceof PoolExhaustedError || error instanceof DatabaseUnavailableError || error instanceof StaleReadRefusedError) {
    return { status: HttpStatus.SERVICE_UNAVAILABLE, message: error.message };
  }
  if (error instanceof QueryRoutingError || error instanceof InvalidConsistencyTokenError) return { status: HttpStatus.BAD_REQUEST, message: error.message };
  const code = sqlStateOf(error);
  if (code !== undefined) {
    const status = statusOfSqlState(code);
    if (status !== undefined) return { status, message: (error as Error).message, code };
  }
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
}

/** The SQLSTATE of a server error, directly or through the library's batch and transaction errors. */
function sqlStateOf(error: unknown): string | undefined {
  if (error instanceof DatabaseError) return error.code;
  if (error instanceof BatchQueryError || error instanceof TransactionStatementError) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
  }
  return undefined;
}

/** The client's faults, by SQLSTATE class; others (syntax, missing tables) are the app's and stay 500. */
function statusOfSqlState(code: string): number | undefined {
  if (code.startsWith('23')) return HttpStatus.CONFLICT; // integrity constraint violation
  if (code.startsWith('22')) return HttpStatus.BAD_REQUEST; // data exception (bad value)
  if (code === '40001' || code === '40P01') return HttpStatus.CONFLICT; // serialization failure, deadlock: retry
  return undefined;
}
