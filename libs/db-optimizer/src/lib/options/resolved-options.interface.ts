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
      'primaryUrl' | 'primaryUrls' | 'connectionBreaker' | 'analyticsReplicaUrl' | 'redisUrl' | 'redisCluster' | 'redisSentinel' | 'ssl' | 'cacheNamespace'
      | 'primaryPool' | 'readReplicaPool' | 'analyticsPool' | 'replicaLag' | 'targets' | 'poolConfig' | 'prometheusRegistry'
    >
  > {
  /** The first primary candidate (a single-host URL): the database's identity for cache keys. */
  primaryUrl: string;
  /** Every primary candidate, one single-host URL each, in the order given. */
  primaryUrls: string[];
  connectionBreaker: { failureThreshold: number; probeBackoffMs: number; probeBackoffMaxMs: number };
  analyticsReplicaUrl?: string;
  /** The one Redis of the module in URL form, whichever option named it (`parseRedisTarget` reads it). */
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
