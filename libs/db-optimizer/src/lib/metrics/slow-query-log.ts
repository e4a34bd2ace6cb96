import { Logger } from '@nestjs/common';
import { SLOW_QUERY_LISTENER_FAILED } from './metrics.messages';
import type { SlowQueryEntry, SlowQueryListener } from '../core/slow-query-entry.interface';

/**
 * The latest slow calls, in a fixed-size ring (the oldest is overwritten),
 * plus listeners told about each one as it happens (for sampled auto-explain).
 */
export class SlowQueryLog {
  private readonly logger = new Logger(SlowQueryLog.name);
  private readonly ring: Array<SlowQueryEntry | undefined>;
  /** Index the next entry goes to. */
  private next = 0;
  private stored = 0;
  private readonly listeners = new Set<SlowQueryListener>();

  constructor(readonly capacity: number) {
    this.ring = new Array<SlowQueryEntry | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.stored;
  }

  add(entry: SlowQueryEntry): void {
    // Frozen: the same object goes to every listener and stays in the ring.
    Object.freeze(entry);
    if (this.capacity > 0) {
      this.ring[this.next] = entry;
      this.next = (this.next + 1) % this.capacity;
      this.stored = Math.min(this.stored + 1, this.capacity);
    }
    for (const listener of this.listeners) this.notify(listener, entry);
  }

  /** Stored entries (frozen), newest first. */
  entries(): Array<Readonly<SlowQueryEntry>> {
    const result: Array<Readonly<SlowQueryEntry>> = [];
    for (let i = 1; i <= this.stored; i++) {
      const entry = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (entry !== undefined) result.push(entry);
    }
    return result;
  }

  /** Subscribes `listener`; call the returned function to unsubscribe. */
  onSlowQuery(listener: SlowQueryListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  reset(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.stored = 0;
  }

  // A listener's failure must not fail, or even slow down, the query being recorded.
  private notify(listener: SlowQueryListener, entry: SlowQueryEntry): void {
    try {
      const result = listener(entry);
      if (result instanceof Promise) result.catch((error: unknown) => this.reportFailure(error));
    } catch (error) {
      this.reportFailure(error);
    }
  }

  private reportFailure(error: unknown): void {
    this.logger.warn(SLOW_QUERY_LISTENER_FAILED(error instanceof Error ? error.message : String(error)));
  }
}
