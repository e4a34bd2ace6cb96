import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { consistencyFromHeaders } from './consistency-headers';

/**
 * The caller's read-your-writes options, as a handler parameter. The one place
 * that knows they travel in headers today: moving to a per-request context
 * changes this file and `consistency-token.interceptor.ts`, not the features.
 *
 * @example
 * @Get(':id') findOne(@Param('id') id: string, @ReadYourWrites() consistency: QueryOptions) { ... }
 */
export const ReadYourWrites = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  consistencyFromHeaders(context.switchToHttp().getRequest<Request>().headers),
);
