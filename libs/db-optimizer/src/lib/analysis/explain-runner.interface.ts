import type { PoolClient } from 'pg';
import type { QueryClassification } from '../core/query-classification.interface';

/**
 * Where analysis work runs. The library implements it over its pools:
 * `onReplica` on a usable read replica (or the analytics replica), falling
 * back to the primary only when no replica can serve; `onPrimary` on the
 * primary. Both check a client out, run `work`, and release it, closing it
 * when `work` left it inside a transaction.
 *
 * @example
 * const runner: ExplainRunner = {
 *   onReplica: (work) => replicaPool.withClient(work),
 *   onPrimary: (work) => primaryPool.withClient(work),
 * };
 * @publicApi
 */
export interface ExplainRunner {
  onReplica<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
  onPrimary<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
}

/**
 * Anything that classifies SQL: `QueryClassifier` and `ClassificationService`
 * both fit. Its classifications are cached per text, so analysis reuses the
 * router's parse.
 * @publicApi
 */
export interface SqlClassifier {
  classify(sql: string): QueryClassification;
}
