import type { PoolResizeDecision } from '@db-optimizer/core';
import type { ReplicaSummary } from '../db-admin/replica-summary';

/** One second of the dashboard's charts. Rates are per second over the interval since the previous sample. */
export interface DashboardSample {
  /** Epoch seconds. */
  t: number;
  queriesPerSec: number;
  errorsPerSec: number;
  /** Calls per second by pool, and reads served by the cache. */
  primaryPerSec: number;
  replicaPerSec: number;
  analyticsPerSec: number;
  cacheHitsPerSec: number;
  /** Over the metrics' rolling window (a minute by default), in ms. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Connections checked out, and the current limit, per pool name. */
  poolInUse: Record<string, number>;
  poolLimit: Record<string, number>;
  poolWaiting: Record<string, number>;
  /** Share of lookups each cache level answered over the interval; null with no lookups. */
  memoryHitRate: number | null;
  redisHitRate: number | null;
  /** Bytes of WAL each replica is behind; null while unknown. */
  lagBytes: Record<string, number | null>;
}

/** What is shown as tables and tiles: the latest state, not a series. */
export interface DashboardState {
  totals: {
    queries: number;
    failed: number;
    cacheHitRate: number;
    queryOptimizationRate: number;
    preparedStatementHits: number;
    replicaFallbacks: number;
    slowQueriesDetected: number;
    allTargetsMet: boolean;
  };
  pools: Array<{ name: string; role: string; server: string; total: number; idle: number; waiting: number; limit: number; min: number; max: number }>;
  resize: { runs: number; grows: number; shrinks: number; holds: number; budgetCapped: number; lastDecisions: PoolResizeDecision[] };
  cache: { enabled: boolean; redis: string; entries: number; invalidations: number };
  replicas: ReplicaSummary[];
  slowQueries: Array<{ normalizedSql: string; durationMs: number; pool: string; at: string; failed: boolean }>;
}

export interface DashboardSnapshot {
  sample: DashboardSample;
  state: DashboardState;
}
