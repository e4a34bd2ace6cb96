import type { QueryMetadata } from '../core/query-options.interface';
import type { QueryClassification } from '../core/query-classification.interface';
import type { QuerySample } from '../core/query-sample.interface';

/**
 * What the metrics learn of one call: normalized text and fingerprint only,
 * never the SQL as written or its values. A call counts as optimized when it
 * avoided work on the primary: served from cache, run prepared, or run on a replica.
 */
export function sampleOf(classification: QueryClassification, metadata: QueryMetadata): QuerySample {
  return {
    fingerprint: classification.fingerprint,
    normalizedSql: classification.normalizedSql,
    durationMs: metadata.executionTimeMs,
    pool: metadata.poolUsed,
    queryType: metadata.queryType,
    cached: metadata.cached,
    prepared: metadata.preparedStatement,
    rowCount: metadata.rowCount,
    optimized: metadata.cached !== false || metadata.preparedStatement || metadata.poolUsed !== 'primary',
  };
}

export function failureSampleOf(classification: QueryClassification, durationMs: number): QuerySample {
  return {
    fingerprint: classification.fingerprint,
    normalizedSql: classification.normalizedSql,
    durationMs,
    pool: classification.target,
    queryType: classification.queryType,
    cached: false,
    prepared: false,
    rowCount: 0,
    optimized: false,
    failed: true,
  };
}
