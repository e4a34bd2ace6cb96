/**
 * Messages of the statement cache, as sentences that name the misuse and the fix.
 * Kept beside the cache until the lead folds them into errors/messages.ts.
 */
export const INVALID_STATEMENT_CACHE_OPTION = (option: string, problem: string): string =>
  `StatementCache option ${option} ${problem}.`;

export const STATEMENT_PARAMS_NOT_ARRAY = (): string =>
  'StatementCache.execute() needs params as an array of values (bound as $1, $2, ...); pass [] when there are none.';
