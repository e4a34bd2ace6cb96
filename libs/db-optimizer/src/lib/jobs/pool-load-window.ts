import { LatencyHistogram } from '../core/latency-histogram';
import type { ManagedPool } from '../pool/managed-pool';

/** The live counters a window reads. */
export type ObservedPool = Pick<ManagedPool, 'busyCount' | 'waitingCount' | 'acquisitions'>;

/** What one pool did during one interval. */
export interface PoolLoad {
  /** Most clients checked out at once. */
  peakBusy: number;
  /** Most callers queued at once. */
  peakWaiting: number;
  /** Clients handed out during the interval (exact: a counter difference). */
  acquisitions: number;
  /** p99 of the waits recorded through `recordAcquisition()`; `undefined` when none were. */
  acquisitionP99Ms?: number;
}

/**
 * One pool's load over the current interval. ManagedPool's own figures run
 * since start, and a p99 since start never falls again after one bad minute,
 * so the resize job needs per-interval numbers: peaks come from `sample()`
 * (called by the sampler and at each tick), the acquisition count from the
 * difference of ManagedPool's counter, and waits from `recordAcquisition()`
 * when a per-acquisition feed is wired. `take()` closes the interval.
 */
export class PoolLoadWindow {
  // 1 significant digit (~6%) is plenty to compare with a target, and keeps each window at ~5 KiB.
  private readonly waits = new LatencyHistogram({ significantDigits: 1 });
  private peakBusy: number;
  private peakWaiting: number;
  private acquisitionsAtStart: number;

  constructor(private readonly pool: ObservedPool) {
    this.peakBusy = pool.busyCount;
    this.peakWaiting = pool.waitingCount;
    this.acquisitionsAtStart = pool.acquisitions;
  }

  /** Folds the pool's counters now into the interval's peaks. Cheap: three property reads. */
  sample(): void {
    const busy = this.pool.busyCount;
    const waiting = this.pool.waitingCount;
    if (busy > this.peakBusy) this.peakBusy = busy;
    if (waiting > this.peakWaiting) this.peakWaiting = waiting;
  }

  /** Records one acquisition wait (for a per-acquisition listener on the pool). */
  recordAcquisition(durationMs: number): void {
    this.waits.recordMs(durationMs);
    this.sample();
  }

  /** Returns the interval's load (including a sample taken now) and starts the next interval. */
  take(): PoolLoad {
    this.sample();
    const acquisitions = this.pool.acquisitions;
    const load: PoolLoad = {
      peakBusy: this.peakBusy,
      peakWaiting: this.peakWaiting,
      acquisitions: acquisitions - this.acquisitionsAtStart,
      acquisitionP99Ms: this.waits.count > 0 ? this.waits.percentileMs(99) : undefined,
    };
    // Clients still checked out or callers still queued belong to the next interval too.
    this.peakBusy = this.pool.busyCount;
    this.peakWaiting = this.pool.waitingCount;
    this.acquisitionsAtStart = acquisitions;
    this.waits.reset();
    return load;
  }
}
