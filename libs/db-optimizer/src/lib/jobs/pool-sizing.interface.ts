/** What the sizing policy decides for one pool. */
export type SizingAction = 'grow' | 'shrink' | 'hold';

/**
 * What one pool did during the last interval, plus its bounds. Peaks are the
 * highest values seen by the sampler or at the tick itself.
 */
export interface PoolSizingInput {
  /** Limit in force during the interval. */
  limit: number;
  min: number;
  max: number;
  /** Most clients checked out at once. */
  peakBusy: number;
  /** Most callers queued for a client at once. */
  peakWaiting: number;
  /**
   * p99 of acquisition waits during the interval; `undefined` when not measured
   * (no per-acquisition feed is wired, or nobody acquired).
   */
  acquisitionP99Ms?: number;
}

/** What the policy remembers about a pool between intervals. */
export interface PoolSizingHistory {
  /** Consecutive intervals of low use since the last change. */
  lowUseIntervals: number;
}

/** The policy's answer for one pool. `newLimit` is already within [max(min, 1), max]. */
export interface PoolSizingDecision {
  action: SizingAction;
  newLimit: number;
  /** A sentence saying why, for the log. */
  reason: string;
  /** History to pass to the next call for this pool. */
  history: PoolSizingHistory;
}

/**
 * Tuning of `PoolSizingPolicy`. The defaults grow in one interval and shrink
 * over minutes: a pool too small makes callers wait, one too large only holds
 * idle connections.
 * @publicApi
 */
export interface PoolSizingPolicyOptions {
  /** Acquisition p99 above which a saturated pool grows (`targets.acquisitionTimeMs`). @default 5 */
  acquisitionTargetMs?: number;
  /** Factor applied to the limit when growing (at least +1, at least +waiting). @default 1.5 */
  growFactor?: number;
  /** An interval counts as low use when its peak busy is below this fraction of the limit. @default 0.5 */
  lowUseRatio?: number;
  /** Consecutive low-use intervals before one shrink step. @default 3 */
  shrinkAfterIntervals?: number;
  /** Fraction of the limit removed by one shrink step (at least 1). @default 0.1 */
  shrinkStepRatio?: number;
}
