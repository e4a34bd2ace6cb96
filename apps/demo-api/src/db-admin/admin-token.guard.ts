import { CanActivate, ExecutionContext, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DEMO_CONFIG, DemoConfig } from '../config/demo-config';

/**
 * Guards what shows the database's insides (statements, plans, advice): when
 * DB_ADMIN_TOKEN is set, the request must carry it as `authorization: Bearer
 * <token>` or `x-admin-token: <token>`. Unset, the routes are open (a local demo).
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private static warned = false;
  private readonly expected: Buffer | undefined;

  constructor(@Inject(DEMO_CONFIG) config: DemoConfig) {
    this.expected = config.adminToken === undefined ? undefined : digest(config.adminToken);
    if (this.expected === undefined && !AdminTokenGuard.warned) {
      AdminTokenGuard.warned = true;
      new Logger(AdminTokenGuard.name).warn('DB_ADMIN_TOKEN is not set: /db/* and the dashboard data are open to anyone who can reach this port.');
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expected === undefined) return true;
    const presented = tokenOf(context.switchToHttp().getRequest<Request>());
    // Compare digests of equal length in constant time: the answer's timing says nothing about the token.
    if (presented !== undefined && timingSafeEqual(digest(presented), this.expected)) return true;
    throw new UnauthorizedException(
      presented === undefined
        ? 'This route needs the admin token: send the header `authorization: Bearer <DB_ADMIN_TOKEN>` or `x-admin-token: <DB_ADMIN_TOKEN>`.'
        : 'The admin token is wrong: send the value of DB_ADMIN_TOKEN the app was started with.',
    );
  }
}

function tokenOf(request: Request): string | undefined {
  const header = request.headers['x-admin-token'];
  if (typeof header === 'string' && header.length > 0) return header;
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
