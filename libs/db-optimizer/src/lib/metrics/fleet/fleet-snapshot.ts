import type { FingerprintStatsSnapshot } from '../fingerprint-stats.interface';
import type { BucketCounts } from '../metrics-bucket';

/** Format of a published snapshot: instances of another format are left out of the merge. */
export const FLEET_SNAPSHOT_VERSION = 1;

/** The fields of `FingerprintStatsSnapshot` that add up across instances. */
export type FleetFingerprintCounts = Pick<
  FingerprintStatsSnapshot,
  'fingerprint' | 'normalizedSql' | 'calls' | 'executions' | 'failures' | 'cacheHits' | 'preparedCalls' | 'rows' | 'totalMs' | 'minMs' | 'maxMs' | 'pools'
>;

/** One statement shape in a snapshot: the summable fields of `FingerprintStatsSnapshot`, and its histogram. */
export interface FleetFingerprint extends FleetFingerprintCounts {
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
  /** Execution times, `LatencyHistogram.encode()`; absent before the first execution. */
  latency?: string;
}

/** What one instance publishes: its totals since start, compact (histograms compressed). */
export interface FleetSnapshot {
  v: typeof FLEET_SNAPSHOT_VERSION;
  instanceId: string;
  /** Epoch ms when it was taken. */
  at: number;
  counts: BucketCounts;
  queryLatency: string;
  acquisitionLatency: string;
  fingerprints: FleetFingerprint[];
}

/** JSON text of a snapshot. */
export function encodeFleetSnapshot(snapshot: FleetSnapshot): string {
  return JSON.stringify(snapshot);
}

/** The snapshot in `text`, or undefined when it is not one of this format (another release, corrupt). */
export function decodeFleetSnapshot(text: string): FleetSnapshot | undefined {
  try {
    const value = JSON.parse(text) as Partial<FleetSnapshot>;
    if (value?.v !== FLEET_SNAPSHOT_VERSION || typeof value.instanceId !== 'string' || typeof value.counts !== 'object') return undefined;
    if (typeof value.queryLatency !== 'string' || typeof value.acquisitionLatency !== 'string' || !Array.isArray(value.fingerprints)) return undefined;
    return value as FleetSnapshot;
  } catch {
    return undefined;
  }
}
