/**
 * Hands out operation numbers to the callers so the workload spreads over the
 * fault schedule: each phase (one fault and its recovery, then a calm tail)
 * may use operations only up to its cumulative cap, at a rate that fills the
 * phase's expected length. Without it, 20 000 fast operations would be over
 * before the first fault had recovered.
 */
export class Pacer {
  private issued = 0;
  private cap = 0;
  private phaseStart = Date.now();
  private phaseBase = 0;
  private opsPerMs = Infinity;
  private stopped = false;

  constructor(readonly total: number) {}

  get done(): number {
    return this.issued;
  }

  /** Opens a phase: operations up to `cap` may run, spread over about `expectedMs`. */
  enterPhase(cap: number, expectedMs: number): void {
    this.cap = Math.min(this.total, Math.max(this.cap, cap));
    this.phaseStart = Date.now();
    this.phaseBase = this.issued;
    const budget = this.cap - this.issued;
    this.opsPerMs = expectedMs > 0 && budget > 0 ? budget / expectedMs : Infinity;
  }

  /** The last phase: everything left, as fast as the callers go. */
  release(): void {
    this.cap = this.total;
    this.opsPerMs = Infinity;
  }

  stop(): void {
    this.stopped = true;
  }

  /** The next operation number, after waiting for its turn; undefined when all are handed out. */
  async next(): Promise<number | undefined> {
    for (;;) {
      if (this.stopped || this.issued >= this.total) return undefined;
      if (this.issued < this.cap) break;
      await sleep(20);
    }
    const index = this.issued++;
    const due = this.phaseStart + (index - this.phaseBase) / this.opsPerMs;
    const wait = due - Date.now();
    if (wait > 0) await sleep(Math.min(wait, 1000));
    return index;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
