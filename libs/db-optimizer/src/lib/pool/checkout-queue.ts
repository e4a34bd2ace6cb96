import { performance } from 'node:perf_hooks';

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
  private readonly waiters: Array<Waiter<T>> = [];
  private timer: NodeJS.Timeout | undefined;

  /** `timedOut` builds the error a waiter gets after `timeoutMs`, from how long it waited; `now` is the clock, in ms. */
  constructor(
    private readonly timeoutMs: number,
    private readonly timedOut: (waitedMs: number) => Error,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get length(): number {
    return this.waiters.length;
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
    const waiter = this.waiters.shift();
    if (waiter === undefined) return false;
    waiter.resolve(value);
    return true;
  }

  /**
   * Takes the oldest waiter out of line, for the caller to settle itself (a new connection
   * opened for it). Undefined when nobody waits.
   */
  take(): Waiter<T> | undefined {
    return this.waiters.shift();
  }

  /** Fails every waiter with `error` (the pool closed) and stops the timer. */
  rejectAll(error: Error): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
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
    while (this.waiters.length > 0 && now - this.waiters[0].since >= this.timeoutMs) {
      const waiter = this.waiters.shift()!;
      waiter.reject(this.timedOut(now - waiter.since));
    }
    if (this.waiters.length > 0) this.timer = this.arm(this.timeoutMs - (now - this.waiters[0].since));
  }
}
