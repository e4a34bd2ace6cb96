/**
 * Thrown when a statement cannot run through the call it was given (for
 * example BEGIN through `executeOptimizedQuery`). Nothing was sent to a server.
 * @publicApi
 */
export class QueryRoutingError extends Error {
  override readonly name = 'QueryRoutingError';
}
