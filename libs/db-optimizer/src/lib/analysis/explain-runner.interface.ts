import type { PoolClient } from 'pg';
import type { QueryClassification } from '../core/query-classification.interface';
import type { StatementSafety } from '../classify/statement-safety';
import type { CatalogQuery } from '../pg-catalog/catalog-query';

/**
 * Where analysis work runs. The library implements it over its pools:
 * `onReplica` on a usable read replica (or the analytics replica), falling
 * back to the primary only when no replica can serve; `onPrimary` on the
 * primary. Both check a client out, run `work`, and release it, closing it
 * when `work` left it inside a transaction. They tell `work` where it runs
 * (`onReplica` may fall back to the primary): the slow-query explainer never
 * runs a statement on the primary, so it only plans it there.
 *
 * @example
 * const runner: ExplainRunner = {
 *   onReplica: (work) => replicaPool.withClient(work),
 *   onPrimary: (work) => primaryPool.withClient(work),
 * };
 * @publicApi
 */
export interface ExplainRunner {
  onReplica<T>(work: (client: PoolClient, ranOn?: 'replica' | 'primary') => Promise<T>): Promise<T>;
  onPrimary<T>(work: (client: PoolClient, ranOn?: 'replica' | 'primary') => Promise<T>): Promise<T>;
}

/**
 * Anything that classifies SQL: `QueryClassifier` and `ClassificationService`
 * both fit. Its classifications are cached per text, so analysis reuses the
 * router's parse.
 * @publicApi
 */
export interface SqlClassifier {
  classify(sql: string): QueryClassification;
  /**
   * The catalog's word on what a statement calls (ClassificationService has it). Without it,
   * the analyzer looks the functions' volatility up itself, on the EXPLAIN's connection.
   */
  safetyOf?(classification: QueryClassification, via?: CatalogQuery): StatementSafety | Promise<StatementSafety>;
}
