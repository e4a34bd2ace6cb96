import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';
import { CheckoutQueue, type Waiter } from './checkout-queue';

/** What the line needs from the pool it serves. */
export interface FullPoolLineHost {
  /** The pool's current limit on open connections. */
  limit(): number;
  /** Connections open or opening. */
  totalCount(): number;
  /** The pool is closing: nobody will be served again. */
  closing(): boolean;
  /** The server's breaker is open: connecting would fail at once. */
  breakerOpen(): boolean;
  /** An idle client taken out of the pool, or undefined. */
  takeIdle(): PoolClient | undefined;
  /** Opens a connection (counted in `totalCount` at once). */
  connect(): Promise<PoolClient>;
  /** Books a failed `connect()` (the breaker) and returns the error its caller gets. */
  connectFailed(error: unknown, waitedMs: number): Error;
  /** The error for a caller failed because the server is unreachable. */
  unreachable(): Error;
  /** The error for a caller who waited `waitedMs` for nothing. */
  exhausted(waitedMs: number): Error;
}

/**
 * Callers waiting for a client of a full pool, and the rules that serve them: first come
 * first served, an idle client or a new connection as soon as either is there, each caller
 * within its `acquireTimeoutMs`. The pool calls `serve()` whenever a client came back, a
 * connection closed or the limit grew.
 */
export class FullPoolLine {
  private readonly queue: CheckoutQueue<PoolClient>;

  constructor(
    private readonly host: FullPoolLineHost,
    private readonly acquireTimeoutMs: number,
  ) {
    this.queue = new CheckoutQueue(acquireTimeoutMs, (waitedMs) => host.exhausted(waitedMs));
  }

  get length(): number {
    return this.queue.length;
  }

  /** Waits in line for a client. */
  wait(): Promise<PoolClient> {
    const turn = this.queue.wait();
    // In line behind others while a slot is free (a connection just closed): open one for the first.
    if (this.host.totalCount() < this.host.limit()) this.serve();
    return turn;
  }

  /**
   * Serves callers in line, oldest first: an idle client each, then new connections while the
   * limit allows. Cheap when nobody waits.
   */
  serve(): void {
    while (this.queue.length > 0 && !this.host.closing()) {
      const client = this.host.takeIdle();
      if (client !== undefined) {
        this.queue.serve(client);
        continue;
      }
      if (this.host.totalCount() >= this.host.limit()) return;
      // The pool counts the new client at once, so the loop sees the slot taken.
      this.connectFor(this.queue.take()!);
    }
  }

  /**
   * A connection that failed to open freed its slot (pg-pool says nothing of it): the next
   * caller in line tries, unless the breaker opened, which fails them all at once.
   */
  afterFailedConnect(): void {
    if (this.queue.length === 0) return;
    if (this.host.breakerOpen()) this.queue.rejectAll(() => this.host.unreachable());
    else this.serve();
  }

  /** Fails every caller in line, each with its own error from `error()`. */
  failAll(error: () => Error): void {
    this.queue.rejectAll(error);
  }

  /**
   * Opens a connection for a caller taken out of line, within what is left of its
   * `acquireTimeoutMs` (the connect's own timeout would start it over). A connection that
   * comes after the caller gave up goes to the next one in line.
   */
  private connectFor(waiter: Waiter<PoolClient>): void {
    let gaveUp = false;
    const timer = setTimeout(() => {
      gaveUp = true;
      waiter.reject(this.host.exhausted(performance.now() - waiter.since));
    }, Math.max(0, this.acquireTimeoutMs - (performance.now() - waiter.since)));
    timer.unref();
    this.host.connect().then(
      (client) => {
        clearTimeout(timer);
        if (!gaveUp) return waiter.resolve(client);
        client.release();
        this.serve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        const failure = this.host.connectFailed(error, performance.now() - waiter.since);
        if (!gaveUp) waiter.reject(failure);
        this.afterFailedConnect();
      },
    );
  }
}
