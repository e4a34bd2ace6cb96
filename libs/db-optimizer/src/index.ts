// The public API of @db-optimizer/core: what users call, and nothing else. What is not
// exported here is free to change. Each export's declaration carries `@publicApi`.

// The module and its options.
export { DbOptimizerModule } from './lib/db-optimizer.module';
export { DB_OPTIMIZER_OPTIONS } from './lib/db-optimizer.module-definition';
export { DB_OPTIMIZER_RESOLVED_OPTIONS, POOL_RESIZE_JOB_NAME } from './lib/core/db-optimizer.constants';
export type {
  ConnectionBreakerOptions,
  DbOptimizerOptions,
  PerformanceTargets,
  PgPoolConfig,
  PoolSizeOptions,
  RedisClusterOptions,
  RedisSentinelOptions,
  ReplicaLagOptions,
} from './lib/options/db-optimizer-options.interface';
export type { UnknownTriggerPolicy } from './lib/core/unknown-trigger-policy';
export type { RedisNodeAddress } from './lib/options/redis-target';
export type { DbOptimizerOptionsFactory } from './lib/options/db-optimizer-options-factory.interface';
export type { ResolvedDbOptimizerOptions } from './lib/options/resolved-options.interface';
export { dbOptimizerOptionsFromEnv } from './lib/options/options-from-env';

// Running queries.
export { DbOptimizerService } from './lib/db-optimizer.service';
export type {
  BatchOptions,
  IsolationLevel,
  OptimizedQueryResult,
  QueryMetadata,
  QueryOptions,
  SqlStatement,
  TransactionOptions,
  TransactionResult,
  TransactionStatementResult,
} from './lib/core/query-options.interface';
export type { QueryClassification, QueryType, RouteTarget, TableRef } from './lib/core/query-classification.interface';
export type { PoolRole } from './lib/core/pool-role';
export type { TransactionHandle } from './lib/execution/transaction-handle';
export type { TransactionWork } from './lib/execution/transaction-runner';

// Drop-in for query builders and ORMs (Kysely, Drizzle, TypeORM): a pg.Pool look-alike.
export { RoutingPool } from './lib/drop-in/routing-pool';
export { RoutingPoolClient } from './lib/drop-in/routing-pool-client';
export { routingPgModule } from './lib/drop-in/routing-pg-module';
export type { RoutingPgModule } from './lib/drop-in/routing-pg-module';

// Read-your-writes per request, for every query made while handling it.
export { runWithRequestContext, currentRequestContext } from './lib/core/request-context';
export type { RequestConsistency } from './lib/core/request-context';
export { ReadYourWritesInterceptor } from './lib/request-context/read-your-writes.interceptor';
export type { ReadYourWritesOptions, RequestLike } from './lib/request-context/read-your-writes-options.interface';

// Errors callers may catch by class.
export { PoolExhaustedError } from './lib/core/errors/pool-exhausted.error';
export { DatabaseUnavailableError } from './lib/core/errors/database-unavailable.error';
export { StaleReadRefusedError } from './lib/core/errors/stale-read-refused.error';
export { QueryRoutingError } from './lib/core/errors/query-routing.error';
export { InvalidConsistencyTokenError } from './lib/core/errors/invalid-consistency-token.error';
export { BatchQueryError } from './lib/core/errors/batch-query.error';
export { TransactionStatementError } from './lib/core/errors/transaction-statement.error';
export { UnexplainableQueryError } from './lib/analysis/unexplainable-query.error';

// Replicas, as the app may watch them.
export { ReplicaHealthService } from './lib/routing/replica-health.service';
export { ReplicaLagMonitor } from './lib/routing/replica-lag-monitor.service';
export type { ReplicaState, ReplicaBan } from './lib/routing/replica-state';
export type { PoolStats } from './lib/pool/pool-stats';
export type { CircuitState } from './lib/pool/circuit-breaker';

// Prepared statements and the result cache.
export { StatementCacheService } from './lib/statements/statement-cache.service';
export { ReadMultiplexer } from './lib/execution/read-multiplexer';
export { DEFAULT_MULTIPLEX_READS, DEFAULT_SHARED_READ_MAX_MS } from './lib/options/shared-read-defaults.constants';
export type { StatementCacheStats } from './lib/statements/statement-cache-options.interface';
export type { AfterSubmit } from './lib/core/statement-runner';
export { ResultCacheService } from './lib/result-cache/result-cache.service';
export type { ResultCacheMode, ResultCacheStats } from './lib/result-cache/result-cache-stats.interface';

// Metrics.
export { MetricsService } from './lib/metrics/metrics.service';
export type { PerformanceMetrics, PerformanceSnapshot, TargetsMet } from './lib/metrics/performance-metrics.interface';
export type { FingerprintStatsQuery, FingerprintStatsSnapshot, FingerprintOrder } from './lib/metrics/fingerprint-stats.interface';
export type { SlowQueryEntry, SlowQueryListener } from './lib/core/slow-query-entry.interface';
export type { CacheLevel } from './lib/core/query-sample.interface';
export { FleetMetricsPublisher } from './lib/metrics/fleet/fleet-metrics.publisher';
export type { FleetInstance, FleetMetrics } from './lib/metrics/fleet/fleet-metrics.interface';

// Query analysis.
export { QueryOptimizerService } from './lib/analysis/query-optimizer.service';
export type { PlanAnalysis, PlanAnalysisOptions } from './lib/analysis/plan/plan-analysis.interface';
export { PLANNER_SETTINGS } from './lib/analysis/plan/explain-settings';
export type { PlanNodeSummary } from './lib/analysis/plan/plan-node-summary.interface';
export type { Suggestion, SuggestionSeverity, SuggestionNodeRef } from './lib/analysis/rules/suggestion.interface';
export type { IndexAdvice, IndexRecommendation, WorkloadStatement } from './lib/analysis/advisor/index-advice.interface';
export type { SlowQueryAnalysis, SlowQueryExplainerStats } from './lib/analysis/slow/slow-query-analysis.interface';

// The pool resize job. (Health lives in '@db-optimizer/core/health': it needs @nestjs/terminus.)
export { PoolResizeJob } from './lib/jobs/pool-resize.job';
export type { PoolResizeDecision, PoolResizeStats } from './lib/jobs/pool-resize-stats.interface';
