import { Module } from '@nestjs/common';
import { resolveOptions } from './options/resolve-options';
import { DB_OPTIMIZER_CACHE_METRICS, DB_OPTIMIZER_FAULT_METRICS, DB_OPTIMIZER_CATALOG_QUERY, DB_OPTIMIZER_RESOLVED_OPTIONS, DB_OPTIMIZER_SQL_PARSER } from './core/db-optimizer.constants';
import type { DbOptimizerOptions } from './options/db-optimizer-options.interface';
import { DB_OPTIMIZER_OPTIONS, DbOptimizerConfigurableModule } from './db-optimizer.module-definition';
import { DbOptimizerService } from './db-optimizer.service';
import { QueryExecutor } from './execution/query-executor';
import { ReadMultiplexer, SHARED_READS_PER_CHECKOUT } from './execution/read-multiplexer';
import { MetricsService } from './metrics/metrics.service';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { FleetMetricsPublisher } from './metrics/fleet/fleet-metrics.publisher';
import { PoolManagerService } from './pool/pool-manager.service';
import { catalogQueryOnPools } from './pool/catalog-query-on-pools';
import { loadSqlParser } from './sql/parser';
import { QueryOptimizerService } from './analysis/query-optimizer.service';
import { ClassificationService } from './classify/classification.service';
import type { CatalogQuery } from './pg-catalog/catalog-query';
import { ConsistencyTracker } from './routing/consistency-tracker';
import { QueryRouter } from './routing/query-router.service';
import { ReplicaHealthService } from './routing/replica-health.service';
import { ReplicaLagMonitor } from './routing/replica-lag-monitor.service';
import { PrimaryWatch } from './routing/primary-watch.service';
import { ResultCacheService } from './result-cache/result-cache.service';
import { StatementCacheService } from './statements/statement-cache.service';
import { TransactionRunner } from './execution/transaction-runner';
import { PoolResizeJob } from './jobs/pool-resize.job';
import type { ResolvedDbOptimizerOptions } from './options/resolved-options.interface';

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
    // Each module instance has its own registry unless the app hands one in: two instances in one process never clash.
    {
      provide: PrometheusMetrics,
      inject: [DB_OPTIMIZER_RESOLVED_OPTIONS],
      useFactory: (options: ResolvedDbOptimizerOptions) => new PrometheusMetrics({ registry: options.prometheusRegistry }),
    },
    {
      provide: MetricsService,
      inject: [DB_OPTIMIZER_RESOLVED_OPTIONS, PrometheusMetrics],
      useFactory: (options: ResolvedDbOptimizerOptions, prometheus: PrometheusMetrics) =>
        new MetricsService({ slowQueryThresholdMs: options.slowQueryThresholdMs, targets: options.targets }, prometheus),
    },
    { provide: DB_OPTIMIZER_CACHE_METRICS, useExisting: MetricsService },
    { provide: DB_OPTIMIZER_FAULT_METRICS, useExisting: MetricsService },
    PoolManagerService,
    {
      provide: DB_OPTIMIZER_CATALOG_QUERY,
      inject: [PoolManagerService],
      useFactory: (pools: PoolManagerService): CatalogQuery => catalogQueryOnPools(pools),
    },
    ClassificationService,
    ReplicaHealthService,
    ReplicaLagMonitor,
    PrimaryWatch,
    ConsistencyTracker,
    QueryRouter,
    QueryOptimizerService,
    StatementCacheService,
    ResultCacheService,
    {
      provide: ReadMultiplexer,
      inject: [DB_OPTIMIZER_RESOLVED_OPTIONS],
      useFactory: (options: ResolvedDbOptimizerOptions) => new ReadMultiplexer(options.multiplexReads, SHARED_READS_PER_CHECKOUT, options.sharedReadMaxMs),
    },
    QueryExecutor,
    TransactionRunner,
    DbOptimizerService,
    PoolResizeJob,
    FleetMetricsPublisher,
  ],
  exports: [
    DbOptimizerService,
    ReadMultiplexer,
    PoolManagerService,
    QueryOptimizerService,
    StatementCacheService,
    ResultCacheService,
    MetricsService,
    PrometheusMetrics,
    ReplicaHealthService,
    ReplicaLagMonitor,
    PoolResizeJob,
    FleetMetricsPublisher,
    DB_OPTIMIZER_RESOLVED_OPTIONS,
  ],
})
export class DbOptimizerModule extends DbOptimizerConfigurableModule {}
