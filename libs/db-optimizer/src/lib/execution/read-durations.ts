/** Statements whose durations are remembered; past it the oldest noted is forgotten (and measured again). */
export const READ_DURATIONS_CAPACITY = 10_000;

/**
 * How long each read statement takes on the server, as far as sharing a connection goes
 * (`multiplexReads`): a statement shares only once it has run on this instance, and while its
 * recent runs stayed at or under `shortReadMs`.
 *
 * Why: on a shared connection a read waits behind the reads ahead of it. A statement not measured
 * yet, or measured long, runs on a connection of its own, so a long report never holds up the
 * lookups queued behind it. The estimate is the slowest recent run, halved by each faster one:
 * one slow run keeps a statement apart for a few runs (a 1 s run, for six runs under 20 ms), not
 * for good. Keyed by the statement's text; past `capacity` texts the oldest noted is forgotten.
 *
 * @example
 * const durations = new ReadDurations(20);
 * durations.isShort(sql); // false: never measured
 * durations.note(sql, 0.4);
 * durations.isShort(sql); // true
 */
export class ReadDurations {
  private readonly estimates = new Map<string, number>();

  constructor(
    readonly shortReadMs: number,
    private readonly capacity = READ_DURATIONS_CAPACITY,
  ) {}

  /** Texts remembered. */
  get size(): number {
    return this.estimates.size;
  }

  /** Measured, and short enough to share a connection. */
  isShort(statement: string): boolean {
    const estimate = this.estimates.get(statement);
    return estimate !== undefined && estimate <= this.shortReadMs;
  }

  /** One run of `statement` took `ms` on the server. */
  note(statement: string, ms: number): void {
    const previous = this.estimates.get(statement);
    if (previous === undefined && this.estimates.size >= this.capacity) {
      const oldest = this.estimates.keys().next();
      if (!oldest.done) this.estimates.delete(oldest.value);
    }
    this.estimates.set(statement, previous === undefined ? ms : Math.max(ms, previous / 2));
  }
}
