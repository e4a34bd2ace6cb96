import type { ConnectionOptions } from 'node:tls';
import type { DbOptimizerOptions, PerformanceTargets } from './db-optimizer-options.interface';

type Sizes = { min: number; max: number };

/** Options with every default applied; what the services read. */
export interface ResolvedDbOptimizerOptions
  extends Required<
    Omit<
      DbOptimizerOptions,
      'analyticsReplicaUrl' | 'redisUrl' | 'redisCluster' | 'redisSentinel' | 'ssl' | 'cacheNamespace' | 'primaryPool' | 'readReplicaPool' | 'analyticsPool' | 'replicaLag' | 'targets'
    >
  > {
  analyticsReplicaUrl?: string;
  /** The one Redis of the module in URL form, whichever option named it (`parseRedisTarget` reads it). */
  redisUrl?: string;
  cacheNamespace?: string;
  ssl?: boolean | ConnectionOptions;
  primaryPool: Sizes;
  readReplicaPool: Sizes;
  analyticsPool: Sizes;
  replicaLag: { maxBytes: number; maxMs: number; checkIntervalMs: number; consecutiveChecks: number };
  targets: Required<PerformanceTargets>;
}
