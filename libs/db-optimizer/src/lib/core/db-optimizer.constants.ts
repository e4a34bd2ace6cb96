/** Injection token of the resolved options (defaults applied). */
export const DB_OPTIMIZER_RESOLVED_OPTIONS = 'DB_OPTIMIZER:RESOLVED_OPTIONS';

/** Name of the interval job that resizes pools, registered in `SchedulerRegistry`. */
export const POOL_RESIZE_JOB_NAME = 'db-optimizer:pool-resize';

/** Async provider that resolves once libpg-query's WebAssembly module is loaded. */
export const DB_OPTIMIZER_SQL_PARSER = 'DB_OPTIMIZER:SQL_PARSER';

/** Where the layers below metrics report what they see (a `CacheMetricsSink`); the module binds it to MetricsService. */
export const DB_OPTIMIZER_CACHE_METRICS = 'DB_OPTIMIZER:CACHE_METRICS';

/** A `CatalogQuery` on the primary: how the layers below the pools read pg_catalog. */
export const DB_OPTIMIZER_CATALOG_QUERY = 'DB_OPTIMIZER:CATALOG_QUERY';

/** Where routing and execution report faults (a `FaultMetricsSink`); the module binds it to MetricsService. */
export const DB_OPTIMIZER_FAULT_METRICS = 'DB_OPTIMIZER:FAULT_METRICS';
