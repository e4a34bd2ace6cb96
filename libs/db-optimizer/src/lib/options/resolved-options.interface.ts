import type { ConnectionOptions } from 'node:tls';
import type { Registry } from 'prom-client';
import type { DbOptimizerOptions, PerformanceTargets, PgPoolConfig } from './db-optimizer-options.interface';

/** One role's sizes, and its pg settings merged over the shared `poolConfig`. */
type Sizes = { min: number; max: number; poolConfig: PgPoolConfig };

/** Options with every default applied; what the services read. */
export interface ResolvedDbOptimizerOptions
  extends Required<
    Omit<
      DbOptimizerOptions,
      | 'analyticsReplicaUrl'
      | 'redisUrl'
      | 'ssl'
      | 'cacheNamespace'
      | 'primaryPool'
      | 'readReplicaPool'
      | 'analyticsPool'
      | 'replicaLag'
      | 'targets'
      | 'poolConfig'
      | 'prometheusRegistry'
    >
  > {
  analyticsReplicaUrl?: string;
  redisUrl?: string;
  cacheNamespace?: string;
  ssl?: boolean | ConnectionOptions;
  primaryPool: Sizes;
  readReplicaPool: Sizes;
  analyticsPool: Sizes;
  prometheusRegistry?: Registry;
  replicaLag: { maxBytes: number; maxMs: number; checkIntervalMs: number; consecutiveChecks: number };
  targets: Required<PerformanceTargets>;
}
