import type { PoolManagerService } from '../pool/pool-manager.service';
import type { ReplicaHealthService } from '../routing/replica-health.service';
import type { StatementCacheService } from '../statements/statement-cache.service';
import type { ReadMultiplexer } from '../execution/read-multiplexer';
import type { MetricsService } from './metrics.service';
import type { PrometheusMetrics } from './prometheus-metrics';

/**
 * Connects the metrics to the services they observe: acquisitions are pushed
 * (cheap, on every checkout); pool, replica, statement-cache and shared-read state
 * is read on each Prometheus scrape.
 */
export function wireMetrics(
  metrics: MetricsService,
  prometheus: PrometheusMetrics,
  pools: PoolManagerService,
  replicas: ReplicaHealthService,
  statements: StatementCacheService,
  multiplexer: ReadMultiplexer,
): void {
  for (const pool of pools.allPools) {
    pool.addAcquisitionListener((source, durationMs, hotPath) => metrics.recordAcquisition(source.name, durationMs, hotPath));
  }
  prometheus.setStateProvider({
    pools: () =>
      pools.pools.map((pool) => ({ name: pool.name, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.limit })),
    replicas: () =>
      replicas.replicas.map((replica) => ({ name: replica.name, lagBytes: replica.lagBytes, lagMs: replica.lagMs, banned: replica.ban !== undefined })),
    statementCache: () => statements.stats(),
    sharedReads: () => (multiplexer.enabled ? multiplexer.stats() : undefined),
  });
}
