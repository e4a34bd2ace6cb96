import { POOL_EXHAUSTED } from './messages';

/**
 * Thrown when every connection of a pool stayed busy for `acquireTimeoutMs`.
 * The query was not sent; retrying later is safe.
 * @publicApi
 */
export class PoolExhaustedError extends Error {
  override readonly name = 'PoolExhaustedError';

  constructor(
    readonly pool: string,
    readonly poolSize: number,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(POOL_EXHAUSTED(pool, poolSize, waitedMs), options);
  }
}
