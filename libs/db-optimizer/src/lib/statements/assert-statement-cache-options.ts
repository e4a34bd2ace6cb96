import type { StatementCacheOptions } from './statement-cache-options.interface';
import { INVALID_STATEMENT_CACHE_OPTION } from './statement-cache.messages';

/** Rejects impossible options when the cache is built, rather than misbehaving on the first query. */
export function assertStatementCacheOptions(options: StatementCacheOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new Error(INVALID_STATEMENT_CACHE_OPTION('object', 'is required: pass { enabled, prepareThreshold, perConnectionCapacity }'));
  }
  if (typeof options.enabled !== 'boolean') {
    throw new Error(INVALID_STATEMENT_CACHE_OPTION('enabled', `must be true or false, got ${String(options.enabled)}`));
  }
  const { prepareThreshold, perConnectionCapacity } = options;
  if (!Number.isInteger(prepareThreshold) || prepareThreshold < 0) {
    throw new Error(
      INVALID_STATEMENT_CACHE_OPTION('prepareThreshold', `must be a whole number of sightings (0 or more), got ${String(prepareThreshold)}`),
    );
  }
  if (!Number.isInteger(perConnectionCapacity) || perConnectionCapacity < 1) {
    throw new Error(
      INVALID_STATEMENT_CACHE_OPTION('perConnectionCapacity', `must be a whole number of statements (1 or more), got ${String(perConnectionCapacity)}`),
    );
  }
}
