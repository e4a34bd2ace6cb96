// Errors of the routing pool, as sentences naming the misuse and the fix (pg-pool's wording where pg has one).

export const POOL_QUERY_WITHOUT_TEXT = (): string =>
  'query() needs SQL text: pass a string or a config object with `text` (cursors and other submittables are not supported by the routing pool).';

export const POOL_ENDED = (): string =>
  'Cannot use a pool after calling end on the pool. Take a new one from DbOptimizerService.createPool(), or do not end the shared DbOptimizerService.pool.';

export const POOL_ENDED_TWICE = (): string => 'Called end on pool more than once.';

export const CLIENT_RELEASED_TWICE = (): string =>
  'Release called on client which has already been released to the pool. Release each client from connect() exactly once.';

export const CLIENT_USED_AFTER_RELEASE = (): string =>
  'This client was released: take a new one with pool.connect() instead of querying a released client.';
