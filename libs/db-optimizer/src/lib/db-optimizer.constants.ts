/** Injection token of the resolved options (defaults applied). */
export const DB_OPTIMIZER_RESOLVED_OPTIONS = 'DB_OPTIMIZER:RESOLVED_OPTIONS';

/** Name of the interval job that resizes pools, registered in `SchedulerRegistry`. */
export const POOL_RESIZE_JOB_NAME = 'db-optimizer:pool-resize';

/** Async provider that resolves once libpg-query's WebAssembly module is loaded. */
export const DB_OPTIMIZER_SQL_PARSER = 'DB_OPTIMIZER:SQL_PARSER';
