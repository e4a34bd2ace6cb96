import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { answerFor } from './database-error-status';

/**
 * Turns errors into HTTP answers (the library itself knows no HTTP): busy or unreachable
 * database → 503, misuse → 400, constraint violations → 409, anything else → 500 with no
 * detail (logged here instead).
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
    const { status, message, code } = answerFor(error);
    if (status >= 500) this.logger.error((error as Error)?.stack ?? String(error));
    response.status(status).json({ statusCode: status, message, ...(code !== undefined && { code }) });
  }
}
