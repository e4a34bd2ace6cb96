import { Module } from '@nestjs/common';
import { resolveOptions } from './config/resolve-options';
import { DB_OPTIMIZER_RESOLVED_OPTIONS, DB_OPTIMIZER_SQL_PARSER } from './db-optimizer.constants';
import type { DbOptimizerOptions } from './db-optimizer-options.interface';
import { DB_OPTIMIZER_OPTIONS, DbOptimizerConfigurableModule } from './db-optimizer.module-definition';
import { DbOptimizerService } from './db-optimizer.service';
import { QueryExecutor } from './execution/query-executor';
import { MetricsService } from './metrics/metrics.service';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { PoolManagerService } from './pool/pool-manager.service';
import { loadSqlParser } from './query/parser';
import { QueryOptimizerService } from './query/query-optimizer.service';
import { ConsistencyTracker } from './routing/consistency-tracker';
import { QueryRouter } from './routing/query-router.service';
import { ReplicaHealthService } from './routing/replica-health.service';
import { ReplicaLagMonitor } from './routing/replica-lag-monitor.service';
import { ResultCacheService } from './cache/result-cache.service';
import { StatementCacheService } from './statements/statement-cache.service';
import { TransactionRunner } from './transaction/transaction-runner';
import { PoolResizeJob } from './jobs/pool-resize.job';
import type { ResolvedDbOptimizerOptions } from './config/resolved-options.interface';

/**
 * PostgreSQL access that is fast, observable and safe: pools per role,
 * parser-based routing, read-your-writes, prepared statements, result cache.
 * Wiring only; behaviour lives in the services.
 * @publicApi
 *
 * @example
 * DbOptimizerModule.forRootAsync({
 *   isGlobal: true,
 *   useFactory: () => dbOptimizerOptionsFromEnv(),
 * })
 */
@Module({
  providers: [
    {
      provide: DB_OPTIMIZER_RESOLVED_OPTIONS,
      inject: [DB_OPTIMIZER_OPTIONS],
      useFactory: (options: DbOptimizerOptions) => resolveOptions(options),
    },
    {
      provide: DB_OPTIMIZER_SQL_PARSER,
      useFactory: async () => {
        await loadSqlParser();
        return true;
      },
    },
    // Each module instance has its own registry: two instances in one process never clash.
    { provide: PrometheusMetrics, useFactory: () => new PrometheusMetrics() },
    {
      provide: MetricsService,
      inject: [DB_OPTIMIZER_RESOLVED_OPTIONS, PrometheusMetrics],
      useFactory: (options: ResolvedDbOptimizerOptions, prometheus: PrometheusMetrics) =>
        new MetricsService({ slowQueryThresholdMs: options.slowQueryThresholdMs, targets: options.targets }, prometheus),
    },
    PoolManagerService,
    ReplicaHealthService,
    ReplicaLagMonitor,
    ConsistencyTracker,
    QueryRouter,
    QueryOptimizerService,
    StatementCacheService,
    ResultCacheService,
    QueryExecutor,
    TransactionRunner,
    DbOptimizerService,
    PoolResizeJob,
  ],
  exports: [
    DbOptimizerService,
    PoolManagerService,
    QueryOptimizerService,
    StatementCacheService,
    ResultCacheService,
    MetricsService,
    PrometheusMetrics,
    ReplicaHealthService,
    ReplicaLagMonitor,
    PoolResizeJob,
    DB_OPTIMIZER_RESOLVED_OPTIONS,
  ],
})
export class DbOptimizerModule extends DbOptimizerConfigurableModule {}
