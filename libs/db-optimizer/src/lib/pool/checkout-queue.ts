import { performance } from 'node:perf_hooks';

/** Served waiters kept before the line is compacted: dropping them one by one would copy the array per caller. */
const COMPACT_AFTER = 256;

/** One caller waiting for a client. */
export interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  /** The clock's reading when it started waiting. */
  since: number;
}

/**
 * Callers waiting for a client of a full pool, first come first served, each for at most
 * `timeoutMs`.
 *
 * Every waiter gets the same timeout, so their deadlines come in the order they joined, and
 * one timer for the oldest waiter's deadline serves them all. pg-pool's own queue makes and
 * clears a timer for every caller that waits; at a few hundred callers over a full pool that
 * was a timer made, unref'd and cleared per query.
 *
 * @example
 * const queue = new CheckoutQueue<PoolClient>(5000, (waitedMs) => new PoolExhaustedError('primary', 10, waitedMs));
 * const client = await queue.wait();   // elsewhere, when a client comes back: queue.serve(client)
 */
export class CheckoutQueue<T> {
  /** Waiters from `head` on; the served ones before it are dropped in batches (`shift()` moves the whole array each time). */
  private waiters: Array<Waiter<T> | undefined> = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `timedOut` builds the error a waiter gets after `timeoutMs`, from how long it waited; `now` is the clock, in ms. */
  constructor(
    private readonly timeoutMs: number,
    private readonly timedOut: (waitedMs: number) => Error,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get length(): number {
    return this.waiters.length - this.head;
  }

  /** Waits in line; settles with what `serve()` hands over, or the timeout's error. */
  wait(): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({ resolve, reject, since: this.now() });
      this.timer ??= this.arm(this.timeoutMs);
    });
  }

  /** Hands `value` to the oldest waiter. Returns false when nobody waits (the caller keeps it). */
  serve(value: T): boolean {
    const waiter = this.take();
    if (waiter === undefined) return false;
    waiter.resolve(value);
    return true;
  }

  /**
   * Takes the oldest waiter out of line, for the caller to settle itself (a new connection
   * opened for it). Undefined when nobody waits.
   */
  take(): Waiter<T> | undefined {
    if (this.head === this.waiters.length) return undefined;
    const waiter = this.waiters[this.head];
    this.waiters[this.head++] = undefined;
    if (this.head === this.waiters.length) {
      this.waiters.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    return waiter;
  }

  /** The oldest waiter, still in line. */
  private get oldest(): Waiter<T> | undefined {
    return this.waiters[this.head];
  }

  /** Fails every waiter, each with its own error from `error()` (the pool closed, the server is down), and stops the timer. */
  rejectAll(error: () => Error): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (let waiter = this.take(); waiter !== undefined; waiter = this.take()) waiter.reject(error());
  }

  /**
   * One timer, left running while waiters come and go: when it fires, it fails the waiters
   * whose time is up and sets itself for the next oldest. Served waiters cost it nothing.
   */
  private arm(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.expire(), delayMs);
    // As pg-pool's own: a caller waiting for a client does not keep the process alive.
    timer.unref();
    return timer;
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.now();
    for (let oldest = this.oldest; oldest !== undefined && now - oldest.since >= this.timeoutMs; oldest = this.oldest) {
      this.take();
      oldest.reject(this.timedOut(now - oldest.since));
    }
    const next = this.oldest;
    if (next !== undefined) this.timer = this.arm(this.timeoutMs - (now - next.since));
  }
}
