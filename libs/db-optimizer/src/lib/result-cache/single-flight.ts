/**
 * Runs one call per key at a time: callers arriving while it runs get its promise
 * instead of starting their own (stampede protection on a cache miss).
 *
 * @example
 * const flight = new SingleFlight<string>();
 * const [a, b] = await Promise.all([flight.run('k', load), flight.run('k', load)]); // load ran once
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();
  private joinedCount = 0;

  /** Calls that joined a running call instead of starting one. */
  get joined(): number {
    return this.joinedCount;
  }

  /** Keys with a call running. */
  get size(): number {
    return this.inFlight.size;
  }

  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) {
      this.joinedCount++;
      return running;
    }
    // Started a microtask later, so the key is registered before the work can settle.
    const started: Promise<T> = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      });
    this.inFlight.set(key, started);
    return started;
  }
}
