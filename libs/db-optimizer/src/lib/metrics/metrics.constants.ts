/** Defaults of `MetricsServiceOptions`. */
export const DEFAULT_ROLLING_WINDOW_MS = 60_000;
export const DEFAULT_MAX_FINGERPRINTS = 1000;
export const DEFAULT_SLOW_LOG_SIZE = 200;

/** Sub-histograms of the rolling window: the window slides by windowMs / 6. */
export const ROLLING_WINDOW_SLOTS = 6;

/** Longest normalized text kept per fingerprint or slow-log entry, in characters. */
export const MAX_STORED_SQL_LENGTH = 2048;

/**
 * Query-duration buckets, in seconds: from a prepared point lookup on a hot
 * connection (~0.1 ms) to a report (seconds). 15 buckets keeps each series small.
 */
export const QUERY_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** Connection-acquisition buckets, in seconds: an idle client is handed out in microseconds. */
export const ACQUIRE_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/**
 * Distinct `pool` label values the acquisition histogram accepts; later ones
 * are folded into "other" so a caller passing unbounded names cannot blow up
 * the series count.
 */
export const MAX_POOL_LABEL_VALUES = 32;

/** Metric names, in one place so dashboards and tests agree. */
export const METRIC_NAMES = {
  queryDuration: 'db_optimizer_query_duration_seconds',
  queries: 'db_optimizer_queries_total',
  queryErrors: 'db_optimizer_query_errors_total',
  slowQueries: 'db_optimizer_slow_queries_total',
  acquireDuration: 'db_optimizer_pool_acquire_duration_seconds',
  poolConnections: 'db_optimizer_pool_connections',
  cacheRequests: 'db_optimizer_cache_requests_total',
  cacheConsistencyBypasses: 'db_optimizer_cache_consistency_bypasses_total',
  replicaLagBytes: 'db_optimizer_replica_lag_bytes',
  replicaLagSeconds: 'db_optimizer_replica_lag_seconds',
  replicaBanned: 'db_optimizer_replica_banned',
  replicaFallbacks: 'db_optimizer_replica_fallbacks_total',
  degradedReads: 'db_optimizer_degraded_reads_total',
  preparedStatements: 'db_optimizer_prepared_statements_total',
  sharedReads: 'db_optimizer_shared_reads_total',
} as const;

/** Statements each instance puts in its fleet snapshot (heaviest by total time), and the fleet view lists. */
export const FLEET_TOP_FINGERPRINTS = 50;

/** A fleet snapshot expires after this many publishing intervals without a new one. */
export const FLEET_SNAPSHOT_TTL_INTERVALS = 3;

/** Name of the publishing interval in `SchedulerRegistry`. */
export const FLEET_METRICS_JOB_NAME = 'db-optimizer:fleet-metrics';
