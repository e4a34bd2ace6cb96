import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';

/**
 * After a write, hands its consistency token back in `x-consistency-token`, so
 * the client can send it with its next read (to this instance or another one).
 * Handlers return `{ metadata: { consistencyToken } }` and know nothing of headers.
 */
@Injectable()
export class ConsistencyTokenInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      tap((body: unknown) => {
        const token = (body as { metadata?: { consistencyToken?: unknown } } | undefined)?.metadata?.consistencyToken;
        if (typeof token !== 'string') return;
        const response = context.switchToHttp().getResponse<Response>();
        if (!response.headersSent) response.setHeader('x-consistency-token', token);
      }),
    );
  }
}
