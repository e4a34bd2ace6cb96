import { LRUCache } from 'lru-cache';

/** Statement texts whose durations are remembered; past it the least recently noted is forgotten (and measured again). */
export const READ_DURATIONS_CAPACITY = 10_000;

/** Characters of SQL those texts may hold in all, so huge generated texts cannot fill memory. */
export const READ_DURATIONS_MAX_CHARS = 4 * 1024 * 1024;

/**
 * How long each read statement takes, as far as sharing a connection goes (`multiplexReads`): a
 * statement shares only once it has run on this instance, and while its recent runs stayed at or
 * under `shortReadMs`. The caller measures a run beyond the round trip (`ReadMultiplexer`).
 *
 * Why: on a shared connection a read waits behind the reads ahead of it. A statement not measured
 * yet, or measured long, runs on a connection of its own, so a long report never holds up the
 * lookups queued behind it. The estimate is the slowest recent run, halved by each faster one:
 * one slow run keeps a statement apart for a few runs (a 1 s run, for six runs under 20 ms), not
 * for good. Keyed by the statement's text, bounded in texts and in characters; a text longer than
 * the whole budget is never remembered, so it always runs apart.
 *
 * @example
 * const durations = new ReadDurations(20);
 * durations.isShort(sql); // false: never measured
 * durations.note(sql, 0.4);
 * durations.isShort(sql); // true
 */
export class ReadDurations {
  private readonly estimates: LRUCache<string, number>;

  constructor(
    readonly shortReadMs: number,
    capacity = READ_DURATIONS_CAPACITY,
    maxChars = READ_DURATIONS_MAX_CHARS,
  ) {
    this.estimates = new LRUCache<string, number>({ max: capacity, maxSize: maxChars, sizeCalculation: (_estimate, sql) => Math.max(1, sql.length) });
  }

  /** Texts remembered. */
  get size(): number {
    return this.estimates.size;
  }

  /** Measured, and short enough to share a connection. A look only: it does not make the text recent. */
  isShort(statement: string): boolean {
    const estimate = this.estimates.peek(statement);
    return estimate !== undefined && estimate <= this.shortReadMs;
  }

  /** One run of `statement` took `ms`. */
  note(statement: string, ms: number): void {
    const previous = this.estimates.peek(statement);
    this.estimates.set(statement, previous === undefined ? ms : Math.max(ms, previous / 2));
  }
}
