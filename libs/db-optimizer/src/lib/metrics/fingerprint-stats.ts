import { FingerprintEntry } from './fingerprint-entry';
import type { FingerprintOrder, FingerprintStatsQuery, FingerprintStatsSnapshot } from './fingerprint-stats.interface';
import type { QuerySample } from '../core/query-sample.interface';
import { toStoredSql } from './redact-sql';
import type { FleetFingerprint } from './fleet/fleet-snapshot';

/** Key and text of calls whose SQL did not parse: their texts differ, so none of them stands for the group. */
const UNPARSED_KEY = '';
const UNPARSED_TEXT = '(statement the parser could not read)';

const DEFAULT_LIMIT = 20;

/** Eviction order: fewest calls first, then the longest unused. */
const leastUsedFirst = (a: FingerprintEntry, b: FingerprintEntry): number =>
  a.calls - b.calls || a.lastSeen - b.lastSeen;

const sortKey = (orderBy: FingerprintOrder): ((entry: FingerprintEntry) => number) => {
  switch (orderBy) {
    case 'totalTime':
      return (entry) => entry.totalMs;
    case 'calls':
      return (entry) => entry.calls;
    case 'mean':
      return (entry) => entry.meanMs;
    default: {
      const unknown: never = orderBy;
      throw new TypeError(`Unknown orderBy "${String(unknown)}": use 'totalTime', 'calls' or 'mean'.`);
    }
  }
};

/**
 * Per-statement statistics in bounded memory: at most `maxEntries`
 * fingerprints. When a new one arrives at capacity, the `evictionBatch` least
 * used (fewest calls; ties: oldest `lastSeen`) are dropped in one sort, so the
 * O(n log n) cost is paid once per batch of newcomers rather than per insert,
 * and the newcomer always gets in (it competes from the next eviction on).
 */
export class FingerprintStats {
  private readonly entries = new Map<string, FingerprintEntry>();
  private readonly evictionBatch: number;

  constructor(
    private readonly maxEntries: number,
    evictionBatch?: number,
  ) {
    this.evictionBatch = Math.min(maxEntries, Math.max(1, evictionBatch ?? Math.ceil(maxEntries / 10)));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records one call and returns its entry (whose `normalizedSql` is the stored, redacted text). */
  record(sample: QuerySample, durationMs: number, nowMs: number): FingerprintEntry {
    const key = sample.fingerprint || UNPARSED_KEY;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.maxEntries) this.evictLeastUsed();
      const text = key === UNPARSED_KEY ? UNPARSED_TEXT : toStoredSql(sample.normalizedSql);
      entry = new FingerprintEntry(key, text, nowMs);
      this.entries.set(key, entry);
    }
    entry.record(sample, durationMs, nowMs);
    return entry;
  }

  /** The top entries by `orderBy` (descending), as detached snapshots. */
  top(query: FingerprintStatsQuery = {}): FingerprintStatsSnapshot[] {
    const key = sortKey(query.orderBy ?? 'totalTime');
    const limit = Math.max(0, Math.floor(query.limit ?? DEFAULT_LIMIT));
    return [...this.entries.values()]
      .sort((a, b) => key(b) - key(a) || b.calls - a.calls)
      .slice(0, limit)
      .map((entry) => entry.toSnapshot());
  }

  /** The `limit` heaviest (total time) entries in fleet-snapshot form. */
  topForFleet(limit: number): FleetFingerprint[] {
    return [...this.entries.values()]
      .sort((a, b) => b.totalMs - a.totalMs || b.calls - a.calls)
      .slice(0, limit)
      .map((entry) => entry.toFleet());
  }

  get(fingerprint: string): FingerprintStatsSnapshot | undefined {
    return this.entries.get(fingerprint)?.toSnapshot();
  }

  reset(): void {
    this.entries.clear();
  }

  private evictLeastUsed(): void {
    const victims = [...this.entries.values()].sort(leastUsedFirst).slice(0, this.evictionBatch);
    for (const victim of victims) this.entries.delete(victim.fingerprint);
  }
}
