import type { Progress } from '../progress';

/** What every workload gets from main: where the servers are, how long to measure, where to report progress. */
export interface WorkloadContext {
  primaryUrl: string;
  replicaUrls: string[];
  redisUrl?: string;
  durationMs: number;
  warmupMs: number;
  /** Caller counts of the scale curve. */
  callerCounts: number[];
  progress: Progress;
}
