import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import {
  BatchQueryError,
  DatabaseUnavailableError,
  InvalidConsistencyTokenError,
  PoolExhaustedError,
  QueryRoutingError,
  TransactionStatementError,
} from '@db-optimizer/core';

/**
 * Turns library errors into HTTP answers (the library itself knows no HTTP):
 * busy or unreachable database → 503, misuse → 400, constraint violations → 409.
 */
@Catch()
export class DatabaseExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DatabaseExceptionFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof HttpException) {
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    const [status, message] = this.describe(error);
    if (status >= 500) this.logger.error((error as Error).message);
    response.status(status).json({ statusCode: status, message, code: (error as { code?: string }).code });
  }

  private describe(error: unknown): [number, string] {
    if (error instanceof PoolExhaustedError || error instanceof DatabaseUnavailableError) {
      return [HttpStatus.SERVICE_UNAVAILABLE, error.message];
    }
    if (error instanceof QueryRoutingError || error instanceof InvalidConsistencyTokenError || error instanceof TypeError) {
      return [HttpStatus.BAD_REQUEST, (error as Error).message];
    }
    const code = (error as { code?: unknown }).code;
    if (error instanceof BatchQueryError || error instanceof TransactionStatementError || typeof code === 'string') {
      if (typeof code === 'string' && code.startsWith('23')) return [HttpStatus.CONFLICT, (error as Error).message];
      if (typeof code === 'string' && code.startsWith('22')) return [HttpStatus.BAD_REQUEST, (error as Error).message];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error'];
  }
}
