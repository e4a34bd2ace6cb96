import { LRUCache } from 'lru-cache';

/**
 * What the cache knows about one connection: the statements prepared on it, least recently
 * used first out, and the names that must not be prepared now (waiting for a DEALLOCATE, or
 * with one on its way).
 * Pure bookkeeping: the caller runs the DEALLOCATEs this asks for.
 *
 * One instance per connection, never shared: a name evicted here may still be live on another
 * connection, and reusing it there for a different purpose would run the wrong statement.
 *
 * @example
 * const statements = new ConnectionStatements(2);
 * statements.admit('dbo_a', 'SELECT $1');
 * statements.admit('dbo_b', 'SELECT $2');
 * statements.admit('dbo_c', 'SELECT $3'); // 'dbo_a': deallocate it on this connection
 */
export class ConnectionStatements {
  /** Statement name -> its SQL text, most recently used last. */
  private readonly prepared: LRUCache<string, string>;
  private readonly unsettledNames = new Set<string>();
  private readonly deallocatingNames = new Set<string>();

  constructor(private readonly capacity: number) {
    this.prepared = new LRUCache<string, string>({ max: capacity });
  }

  /** The text prepared under `name` (marking it most recently used), or undefined. */
  use(name: string): string | undefined {
    return this.prepared.get(name);
  }

  /**
   * Records `name` as prepared for `sql`. Returns the least recently used name it displaced when
   * the connection was full; the caller must deallocate that one on this connection.
   */
  admit(name: string, sql: string): string | undefined {
    let displaced: string | undefined;
    // Evicted here rather than by the LRU itself, so the caller learns the name and can DEALLOCATE it.
    if (this.prepared.size >= this.capacity && !this.prepared.has(name)) {
      const oldest = this.prepared.rkeys().next();
      if (!oldest.done) {
        displaced = oldest.value;
        this.prepared.delete(displaced);
      }
    }
    this.prepared.set(name, sql);
    return displaced;
  }

  /** Drops `name`: the server no longer holds it (or never did). */
  forget(name: string): void {
    this.prepared.delete(name);
  }

  /**
   * Drops `name` and remembers that the server may still hold it in a state that must not be
   * reused (an invalidated plan, or a statement pg may have closed): it must be deallocated
   * before the name is prepared again.
   */
  markUnsettled(name: string): void {
    this.prepared.delete(name);
    // A DEALLOCATE already on its way settles it: a failure arriving now came from a use sent before it
    // (nothing uses a blocked name), and a second DEALLOCATE could erase the record of the next Parse.
    if (!this.deallocatingNames.has(name)) this.unsettledNames.add(name);
  }

  /** Drops `name` while its DEALLOCATE is on its way; the name is blocked until `endDeallocation`. */
  beginDeallocation(name: string): void {
    this.prepared.delete(name);
    this.unsettledNames.delete(name);
    this.deallocatingNames.add(name);
  }

  /** The DEALLOCATE of `name` was answered: the name may be prepared again. */
  endDeallocation(name: string): void {
    this.deallocatingNames.delete(name);
  }

  /** Whether `name` must not be prepared now: it waits for a DEALLOCATE, or one is on its way. */
  isBlocked(name: string): boolean {
    return this.unsettledNames.has(name) || this.deallocatingNames.has(name);
  }

  /** Whether `name` waits for a DEALLOCATE not yet sent. */
  isUnsettled(name: string): boolean {
    return this.unsettledNames.has(name);
  }

  /** How many names wait for a DEALLOCATE not yet sent. */
  get unsettledCount(): number {
    return this.unsettledNames.size;
  }

  /** Names waiting for a DEALLOCATE not yet sent, oldest first. */
  unsettled(): string[] {
    return [...this.unsettledNames];
  }

  /** Statements currently prepared on the connection (as far as the cache knows). */
  get size(): number {
    return this.prepared.size;
  }
}
