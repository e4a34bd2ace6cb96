/**
 * Clients the pool took back from its callers and keeps for the next checkout, instead of
 * handing each one to pg-pool and taking it out again. A round trip through pg-pool costs
 * an `'error'` listener added and removed, `'release'` and `'acquire'` events, an idle item
 * and a release closure made per query: keeping clients took a quarter off a query's cost in
 * the module when the database answers at once (issue #13's notes).
 *
 * Last in, first out, like pg-pool's idle list: the most recently used client is the
 * warmest. Clients nobody took for a whole `sweepMs` go back to pg-pool at the next sweep,
 * so its idle timeout, `maxLifetimeSeconds` and `end()` see them as they would have: a busy
 * pool keeps what it uses, a quiet one gives everything back within two sweeps.
 *
 * @example
 * const kept = new KeptClients<PoolClient>((client) => client.release(), 1000);
 * kept.keep(client);            // on release
 * const next = kept.take();     // on checkout, before pg-pool's idle list
 */
export class KeptClients<T> {
  /** Oldest at index 0. */
  private readonly clients: T[] = [];
  /** How many clients at the bottom of the stack nobody took since the last sweep. */
  private untouched = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `handBack` returns one client to pg-pool; `sweepMs` is how long an unused client may stay kept, at least. */
  constructor(
    private readonly handBack: (client: T) => void,
    private readonly sweepMs: number,
  ) {}

  get length(): number {
    return this.clients.length;
  }

  keep(client: T): void {
    this.clients.push(client);
    this.timer ??= this.arm();
  }

  /** The most recently kept client, or undefined. */
  take(): T | undefined {
    const client = this.clients.pop();
    if (this.clients.length < this.untouched) this.untouched = this.clients.length;
    return client;
  }

  /** Takes `client` out of the stack (its connection failed while kept). Returns whether it was kept. */
  remove(client: T): boolean {
    const index = this.clients.indexOf(client);
    if (index < 0) return false;
    this.clients.splice(index, 1);
    if (index < this.untouched) this.untouched--;
    return true;
  }

  /** Hands every kept client back (the pool shrinks or ends) and stops the sweep. */
  handBackAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.untouched = 0;
    for (const client of this.clients.splice(0)) this.handBack(client);
  }

  /** Hands back the clients nobody took since the last sweep, oldest first; the rest wait for the next one. */
  private sweep(): void {
    this.timer = undefined;
    for (const client of this.clients.splice(0, this.untouched)) this.handBack(client);
    this.untouched = this.clients.length;
    if (this.clients.length > 0) this.timer = this.arm();
  }

  private arm(): NodeJS.Timeout {
    const timer = setTimeout(() => this.sweep(), this.sweepMs);
    // Only a sweep: whether the process may exit is the kept clients' sockets' to say, not this timer's.
    timer.unref();
    return timer;
  }
}
