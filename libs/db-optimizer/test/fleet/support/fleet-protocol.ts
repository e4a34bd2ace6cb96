import type { FleetMetrics, PerformanceSnapshot, ResultCacheStats } from '@db-optimizer/core';

/** What the multi-process test hands each worker (env FLEET_WORKER, JSON). */
export interface WorkerSettings {
  clusterNodes: Array<{ host: string; port: number }>;
  namespace: string;
  table: string;
  rows: number;
  durationMs: number;
  seed: number;
  redisTimeoutMs: number;
}

/** [row id, value, epoch ms]: a write's new value when it returned; a read's value and when it started. */
export type Observation = [number, number, number];

export type WorkerMessage =
  | { type: 'ready' }
  | {
      type: 'done';
      writes: Observation[];
      reads: Observation[];
      failures: string[];
      own: PerformanceSnapshot;
      window: ResultCacheStats['crossInstanceWindowMs'];
      outages?: number;
    }
  | { type: 'fleet'; fleet: FleetMetrics }
  | { type: 'error'; message: string };

export type ParentMessage = { type: 'start' } | { type: 'merge' } | { type: 'exit' };
