// The public API of @db-optimizer/core. What is not exported here may change.
export { DbOptimizerModule } from './lib/db-optimizer.module';
export { DB_OPTIMIZER_OPTIONS } from './lib/db-optimizer.module-definition';
export { DB_OPTIMIZER_RESOLVED_OPTIONS, POOL_RESIZE_JOB_NAME } from './lib/db-optimizer.constants';
export type {
  DbOptimizerOptions,
  PerformanceTargets,
  PoolSizeOptions,
  ReplicaLagOptions,
} from './lib/db-optimizer-options.interface';
export type { ResolvedDbOptimizerOptions } from './lib/config/resolved-options.interface';
export { dbOptimizerOptionsFromEnv } from './lib/config/options-from-env';
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
} from './lib/execution/query-options.interface';
export type { TransactionHandle } from './lib/transaction/transaction-handle';
export { PoolManagerService } from './lib/pool/pool-manager.service';
export type { ManagedPool, PoolStats } from './lib/pool/managed-pool';
export type { PoolRole } from './lib/pool/pool-role';
export { QueryOptimizerService } from './lib/query/query-optimizer.service';
export type { QueryClassification, QueryType, RouteTarget, TableRef } from './lib/query/query-classification.interface';
export { ReplicaHealthService } from './lib/routing/replica-health.service';
export { ReplicaLagMonitor } from './lib/routing/replica-lag-monitor.service';
export type { ReplicaState, ReplicaBan } from './lib/routing/replica-state';
export { StatementCacheService } from './lib/statements/statement-cache.service';
export { ResultCacheService } from './lib/cache/result-cache.service';
export { MetricsService } from './lib/metrics/metrics.service';
export { PoolExhaustedError } from './lib/errors/pool-exhausted.error';
export { DatabaseUnavailableError } from './lib/errors/database-unavailable.error';
export { QueryRoutingError } from './lib/errors/query-routing.error';
export { BatchQueryError } from './lib/errors/batch-query.error';
export { TransactionStatementError } from './lib/errors/transaction-statement.error';
export { DbOptimizerHealthModule } from './lib/health/db-optimizer-health.module';
export { DbOptimizerHealthIndicator } from './lib/health/db-optimizer.health';
export type { DbOptimizerHealthCheckOptions } from './lib/health/db-optimizer.health';
export { StatementCache } from './lib/statements/statement-cache';
export { StatementCacheCounters } from './lib/statements/statement-cache-counters';
export type {
  StatementCacheOptions,
  StatementCacheStats,
  StatementClient,
  StatementExecution,
} from './lib/statements/statement-cache-options.interface';
export { PrometheusMetrics } from './lib/metrics/prometheus-metrics';
export type { PrometheusMetricsOptions } from './lib/metrics/prometheus-metrics';
export type { MetricsServiceOptions } from './lib/metrics/metrics-options.interface';
export type { PerformanceMetrics, PerformanceSnapshot, TargetsMet } from './lib/metrics/performance-metrics.interface';
export type { FingerprintStatsQuery, FingerprintStatsSnapshot, FingerprintOrder } from './lib/metrics/fingerprint-stats.interface';
export type { SlowQueryEntry, SlowQueryListener } from './lib/metrics/slow-query-entry.interface';
export type { QuerySample, CacheLevel } from './lib/metrics/query-sample.interface';
export type { MetricsStateProvider } from './lib/metrics/metrics-state-provider.interface';
export { QueryClassifier } from './lib/query/query-classifier';
export { loadSqlParser } from './lib/query/parser';
export { PoolResizeJob } from './lib/jobs/pool-resize.job';
export { POOL_LOAD_SAMPLER_NAME } from './lib/jobs/pool-resize.constants';
export type { PoolResizeDecision, PoolResizeStats } from './lib/jobs/pool-resize-stats.interface';
export type { ServerBudget } from './lib/jobs/server-budgets';
export {
  PlanAnalyzer,
  IndexAdvisor,
  SlowQueryExplainer,
  UnexplainableQueryError,
  ANALYSIS_RULES,
} from './lib/query/analysis';
export type {
  PlanAnalysis,
  PlanAnalysisOptions,
  PlanNodeSummary,
  PlanSummary,
  Suggestion,
  SuggestionSeverity,
  SuggestionNodeRef,
  ExplainRunner,
  IndexAdvice,
  IndexRecommendation,
  WorkloadStatement,
  SlowCall,
  SlowQueryAnalysis,
  SlowQueryExplainerStats,
} from './lib/query/analysis';
export type { ResultCacheStats } from './lib/cache/result-cache-stats.interface';
