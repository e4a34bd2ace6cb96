/**
 * Thrown before anything runs when a text cannot be explained: it does not
 * parse, holds several statements, or is not a statement EXPLAIN accepts.
 * Callers map it to a client error (HTTP 400), unlike a failure on the server.
 *
 * @example
 * try {
 *   await analyzer.analyzeExecutionPlan('SELECT 1; SELECT 2');
 * } catch (error) {
 *   if (error instanceof UnexplainableQueryError) return badRequest(error.message);
 *   throw error;
 * }
 * @publicApi
 */
export class UnexplainableQueryError extends Error {
  override readonly name = 'UnexplainableQueryError';
}
