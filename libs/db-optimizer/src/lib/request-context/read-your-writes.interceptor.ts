import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { runWithRequestContext, type RequestConsistency } from '../core/request-context';
import type { ReadYourWritesOptions, RequestLike } from './read-your-writes-options.interface';

const DEFAULT_SESSION_KEY_HEADER = 'x-session-key';
const DEFAULT_TOKEN_HEADER = 'x-consistency-token';

/** A response whose headers can still be set (Express and Fastify replies both fit). */
interface ResponseLike {
  headersSent?: boolean;
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
}

/**
 * Read-your-writes for every query a request makes, with no plumbing: takes the session key
 * and consistency token from the request, applies them to every query run while handling it
 * (`executeOptimizedQuery`, transactions, and ORMs on `DbOptimizerService.pool`), and sends
 * the newest token back in the token header, for the client to return on its next request
 * (to any instance of the app).
 * @publicApi
 *
 * @example
 * // app.module.ts
 * providers: [{ provide: APP_INTERCEPTOR, useFactory: () => new ReadYourWritesInterceptor({ sessionKey: (req) => req.user?.id }) }]
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  private readonly sessionKeyHeader: string;
  private readonly tokenHeader: string;

  constructor(private readonly options: ReadYourWritesOptions = {}) {
    this.sessionKeyHeader = (options.sessionKeyHeader ?? DEFAULT_SESSION_KEY_HEADER).toLowerCase();
    this.tokenHeader = (options.tokenHeader ?? DEFAULT_TOKEN_HEADER).toLowerCase();
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<RequestLike>();
    const response = http.getResponse<ResponseLike>();
    const consistency = this.consistencyOf(request);
    const tokenIn = consistency.consistencyToken;
    // Nest binds the handler's async context when handle() is called: call it inside the context.
    const handled = runWithRequestContext(consistency, () => next.handle());
    const sendToken = (): void => {
      const token = consistency.consistencyToken;
      if (token !== undefined && token !== tokenIn) setHeader(response, this.tokenHeader, token);
    };
    return handled.pipe(tap({ next: sendToken, error: sendToken }));
  }

  private consistencyOf(request: RequestLike): RequestConsistency {
    const sessionKey = this.options.sessionKey?.(request) ?? single(request.headers[this.sessionKeyHeader]);
    const consistencyToken = single(request.headers[this.tokenHeader]);
    return { ...(sessionKey && { sessionKey }), ...(consistencyToken && { consistencyToken }) };
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function setHeader(response: ResponseLike, name: string, value: string): void {
  if (response.headersSent) return;
  if (typeof response.setHeader === 'function') response.setHeader(name, value);
  else response.header?.(name, value);
}
