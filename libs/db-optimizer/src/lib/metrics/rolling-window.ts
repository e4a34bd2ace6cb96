/** What a rolling-window slot must support. */
export interface WindowSlot<T> {
  reset(): void;
  merge(other: T): void;
}

/**
 * A ring of slots, each covering `windowMs / slotCount` of time. Recording
 * goes to the slot of the current time, which is handed to `retire` and
 * cleared first if it still holds an older period; reading merges the slots
 * of the last `slotCount` periods. So old samples leave in whole slots,
 * memory stays fixed, and recording is constant time.
 *
 * `retire` lets totals since start be kept without recording every sample
 * twice: a slot's content is added to the totals once, when it is reused.
 * Time is passed in by the caller (one clock read per call).
 */
export class RollingWindow<T extends WindowSlot<T>> {
  private readonly slots: T[] = [];
  /** Period number (`floor(now / slotMs)`) each slot holds; -Infinity while unused. */
  private readonly periods: number[] = [];
  private readonly slotMs: number;

  constructor(
    readonly windowMs: number,
    private readonly slotCount: number,
    createSlot: () => T,
    private readonly retire?: (slot: T) => void,
  ) {
    this.slotMs = windowMs / slotCount;
    for (let i = 0; i < slotCount; i++) {
      this.slots.push(createSlot());
      this.periods.push(Number.NEGATIVE_INFINITY);
    }
  }

  /** The slot that records samples taken at `nowMs`. */
  slotAt(nowMs: number): T {
    const period = Math.floor(nowMs / this.slotMs);
    const index = ((period % this.slotCount) + this.slotCount) % this.slotCount;
    const slot = this.slots[index];
    if (this.periods[index] !== period) {
      if (this.periods[index] !== Number.NEGATIVE_INFINITY) this.retire?.(slot);
      slot.reset();
      this.periods[index] = period;
    }
    return slot;
  }

  /** Merges into `target` every slot still inside the window at `nowMs`. */
  addWindowTo(target: T, nowMs: number): T {
    const period = Math.floor(nowMs / this.slotMs);
    for (let i = 0; i < this.slotCount; i++) {
      const age = period - this.periods[i];
      if (age >= 0 && age < this.slotCount) target.merge(this.slots[i]);
    }
    return target;
  }

  /** Merges into `target` every slot not yet retired, whatever its age. */
  addUnretiredTo(target: T): T {
    for (let i = 0; i < this.slotCount; i++) {
      if (this.periods[i] !== Number.NEGATIVE_INFINITY) target.merge(this.slots[i]);
    }
    return target;
  }

  /** Clears every slot without retiring it. */
  reset(): void {
    for (let i = 0; i < this.slotCount; i++) {
      this.slots[i].reset();
      this.periods[i] = Number.NEGATIVE_INFINITY;
    }
  }
}
