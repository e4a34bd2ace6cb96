/** One pool's connections, as pg-pool counts them. */
export interface PoolConnectionsState {
  /** Pool name; a label value, so a role or server name, never a connection URL. */
  name: string;
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/** One replica's replication lag and ban state. */
export interface ReplicaState {
  name: string;
  /** WAL bytes behind the primary; null when unknown (the series is then left out). */
  lagBytes: number | null;
  /** Replay lag in ms; null when unknown. */
  lagMs: number | null;
  banned: boolean;
}

/** Prepared-statement cache counters, summed over connections, since start. */
export interface StatementCacheState {
  hits: number;
  misses: number;
  preparations: number;
  evictions: number;
  reprepares: number;
}

/** Reads that shared connections (`multiplexReads`), since start. */
export interface SharedReadsState {
  /** Reads that ran on a shared connection. */
  sharedReads: number;
  /** Checkouts those reads used. */
  checkouts: number;
  /** Corked batches they left in, one socket write each. */
  socketWrites: number;
  /** Reads run on a connection of their own because their statement was not measured short. */
  keptApart: number;
}

/**
 * State that lives in other services (pools, replica monitor, statement
 * cache), read by the Prometheus gauges on each scrape instead of being
 * pushed on every change. Implemented by the module's wiring.
 * @publicApi
 *
 * @example
 * prometheus.setStateProvider({
 *   pools: () => poolManager.snapshot(),
 *   replicas: () => lagMonitor.snapshot(),
 *   statementCache: () => statements.totals(),
 * });
 */
export interface MetricsStateProvider {
  pools(): PoolConnectionsState[];
  replicas(): ReplicaState[];
  statementCache(): StatementCacheState;
  /** Connection sharing, when `multiplexReads` is on; undefined (or absent) leaves its series out. */
  sharedReads?(): SharedReadsState | undefined;
}
