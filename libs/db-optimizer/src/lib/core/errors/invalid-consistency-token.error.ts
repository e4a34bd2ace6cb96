/**
 * Thrown when `consistencyToken` is not a token a write returned (a WAL position such as
 * "0/3000060"). Nothing was sent to a server. Apps that take tokens from requests map it to 400.
 * @publicApi
 */
export class InvalidConsistencyTokenError extends Error {
  override readonly name = 'InvalidConsistencyTokenError';
}
