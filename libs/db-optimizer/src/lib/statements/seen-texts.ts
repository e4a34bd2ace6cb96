import { LRUCache } from 'lru-cache';
import { SEEN_TEXTS_MAX_CHARS } from './statement-cache.constants';
import { statementName } from './statement-name';

/** One text's record: sightings so far, and its name once it qualified (hashed once, then reused). */
interface Sighting {
  count: number;
  name: string | undefined;
}

/**
 * Counts how often each SQL text has been seen, across all connections, and tells when a text
 * has repeated enough to be prepared. Bounded (least recently seen texts are forgotten and
 * start counting again), so one-off texts cannot grow it without limit.
 *
 * @example
 * const seen = new SeenTexts(1, 10_000);
 * seen.sight('SELECT * FROM t WHERE id = $1'); // undefined: first sighting
 * seen.sight('SELECT * FROM t WHERE id = $1'); // 'dbo_…': first repeat, prepare it
 */
export class SeenTexts {
  private readonly texts: LRUCache<string, Sighting>;

  /**
   * @param threshold sightings needed before a text qualifies (0: qualifies at once)
   * @param capacity texts tracked at most
   */
  constructor(
    private readonly threshold: number,
    capacity: number,
  ) {
    this.texts = new LRUCache<string, Sighting>({
      max: capacity,
      maxSize: SEEN_TEXTS_MAX_CHARS,
      // A text longer than the whole budget is never stored, so it simply never qualifies.
      sizeCalculation: (_sighting, sql) => Math.max(1, sql.length),
    });
  }

  /** Records one sighting of `sql`; returns its statement name when it should run prepared. */
  sight(sql: string): string | undefined {
    const sighting = this.texts.get(sql);
    if (sighting === undefined) {
      const name = this.threshold === 0 ? statementName(sql) : undefined;
      this.texts.set(sql, { count: 1, name });
      return name;
    }
    if (sighting.name !== undefined) return sighting.name;
    if (sighting.count >= this.threshold) {
      sighting.name = statementName(sql);
      return sighting.name;
    }
    sighting.count++;
    return undefined;
  }

  /** Texts currently tracked. */
  get size(): number {
    return this.texts.size;
  }
}
