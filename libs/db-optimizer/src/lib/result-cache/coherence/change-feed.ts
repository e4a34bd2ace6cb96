import { ChangeMessage, decodeChangeMessage } from './change-message';

interface Waiter {
  stamp: number;
  resolve: (heard: boolean) => void;
}

/**
 * The channel side of the versions: every message is applied in channel order (the order
 * of the bumps in Redis). A writer's own bump is applied when Redis answers it; `waitFor`
 * watches for its echo, whose absence means the channel is broken.
 */
export class ChangeFeed {
  private heardStamp = 0;
  private waiters: Waiter[] = [];
  private malformedCount = 0;

  constructor(private readonly apply: (message: ChangeMessage) => void) {}

  /** Messages that could not be read (ignored). */
  get malformed(): number {
    return this.malformedCount;
  }

  /** Handles one channel message. */
  receive(text: string): void {
    const message = decodeChangeMessage(text);
    if (!message) {
      this.malformedCount++;
      return;
    }
    this.apply(message);
    if (message.change.stamp > this.heardStamp) this.heardStamp = message.change.stamp;
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.stamp <= this.heardStamp) waiter.resolve(true);
      else still.push(waiter);
    }
    this.waiters = still;
  }

  /** Resolves true once a message with `stamp` (or a later one) was applied, false after `timeoutMs`. */
  waitFor(stamp: number, timeoutMs: number): Promise<boolean> {
    if (stamp <= this.heardStamp) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      // setImmediate: messages already received during an event-loop stall are handled first (see withTimeout).
      const giveUp = (): void => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        resolve(false);
      };
      const timer = setTimeout(() => setImmediate(giveUp), timeoutMs);
      timer.unref();
      const entry: Waiter = {
        stamp,
        resolve: (heard) => {
          clearTimeout(timer);
          resolve(heard);
        },
      };
      this.waiters.push(entry);
    });
  }
}
