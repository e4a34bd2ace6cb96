import { Logger } from '@nestjs/common';
import type { OptimizedQueryResult } from '../core/query-options.interface';
import type { CacheLevel } from '../core/query-sample.interface';
import { CachedEntry, cachedEntry } from './cached-entry';
import type { MemoryCache } from './memory-cache';
import type { ReadPlan } from './read-plan';
import type { RedisL2 } from './redis-l2';
import { decodeResult, encodeResult, tryDecodeResult } from './result-codec';
import type { ResultCacheCounters } from './result-cache-counters';
import { SingleFlight } from './single-flight';

/** Loads the rows from the database, from a server that has replayed `minLsn`. */
export type Loader<T> = (minLsn?: bigint) => Promise<OptimizedQueryResult<T>>;

/** The levels and policies the read path works with. */
export interface CacheReaderDeps {
  memory: MemoryCache;
  counters: ResultCacheCounters;
  recordLookup(level: CacheLevel, hit: boolean): void;
  /** L2 when Redis is configured and up; undefined otherwise. */
  usableL2(): RedisL2 | undefined;
  /** Redis is configured (so L2 lookups that are skipped count as misses). */
  redisConfigured: boolean;
  /** An entry may be served: always with Redis up or absent; while Redis is down, only a young one. */
  servable(entry: CachedEntry): boolean;
  refreshAheadRatio: number;
  now(): number;
}

/** What a flight hands to the callers that waited for it. */
interface Outcome {
  entry: CachedEntry | undefined;
  level: CacheLevel | false;
  /** The loaded result itself, for the caller that ran the load (and for waiters when it could not be encoded). */
  result: OptimizedQueryResult<unknown> | undefined;
}

/**
 * The read path of a cacheable read: L1, then (one caller per key) L2, then the database.
 * Every caller gets its own copy of the rows. A hit late in its entry's life refreshes it
 * in the background, so hot entries do not expire under load.
 */
export class CacheReader {
  private readonly logger = new Logger(CacheReader.name);
  private readonly flight = new SingleFlight<Outcome>();

  constructor(private readonly deps: CacheReaderDeps) {}

  /** Callers that waited for another caller's load of the same key. */
  get coalesced(): number {
    return this.flight.joined;
  }

  async read<T>(plan: ReadPlan, ttlMs: number, load: Loader<T>): Promise<OptimizedQueryResult<T>> {
    const { memory, counters } = this.deps;
    const hit = memory.get(plan.key);
    if (hit && this.deps.servable(hit)) {
      counters.memoryHits++;
      this.deps.recordLookup('memory', true);
      this.refreshIfAging(plan, hit, load);
      return decodeResult<T>(hit.payload, 'memory');
    }
    counters.memoryMisses++;
    this.deps.recordLookup('memory', false);
    let ranHere = false;
    const outcome = await this.flight.run(plan.key, () => {
      ranHere = true;
      return this.fetch(plan, ttlMs, load);
    });
    if (ranHere && outcome.result) return outcome.result as OptimizedQueryResult<T>;
    if (outcome.entry) return decodeResult<T>(outcome.entry.payload, outcome.level || 'memory');
    // Not encodable: waiters share the rows array's items but get their own array and metadata.
    const shared = outcome.result as OptimizedQueryResult<T>;
    return { rows: [...shared.rows], metadata: { ...shared.metadata } };
  }

  /** L2, then the database; stores what the database returned in both levels. */
  private async fetch<T>(plan: ReadPlan, ttlMs: number, load: Loader<T>): Promise<Outcome> {
    const l2 = this.deps.usableL2();
    if (l2) {
      const entry = await l2.get(plan.key);
      // Decoded once here: an entry this version cannot read is a miss, never an error for the caller.
      const result = entry !== undefined && this.deps.servable(entry) ? tryDecodeResult(entry.payload, 'redis') : undefined;
      this.deps.recordLookup('redis', result !== undefined);
      if (entry && result) {
        this.deps.counters.redisHits++;
        this.deps.memory.set(plan.key, entry);
        return { entry, level: 'redis', result };
      }
      this.deps.counters.redisMisses++;
    } else if (this.deps.redisConfigured) {
      this.deps.counters.redisSkipped++;
      this.deps.recordLookup('redis', false);
    }
    return this.loadAndStore(plan, ttlMs, load);
  }

  private async loadAndStore<T>(plan: ReadPlan, ttlMs: number, load: Loader<T>): Promise<Outcome> {
    const loadedAt = this.deps.now();
    const result = (await load(plan.capture.minLsn)) as OptimizedQueryResult<unknown>;
    this.deps.counters.loads++;
    const payload = encodeResult(result);
    if (payload === undefined) {
      this.deps.counters.bypassed++;
      return { entry: undefined, level: false, result };
    }
    const entry = cachedEntry(payload, loadedAt, loadedAt + ttlMs);
    this.deps.memory.set(plan.key, entry);
    this.deps.usableL2()?.set(plan.key, entry);
    return { entry, level: false, result };
  }

  /** Past `refreshAheadRatio` of its life, a hit reloads its entry in the background (once per key at a time). */
  private refreshIfAging<T>(plan: ReadPlan, entry: CachedEntry, load: Loader<T>): void {
    const ratio = this.deps.refreshAheadRatio;
    if (ratio <= 0 || this.flight.has(plan.key)) return;
    const refreshAt = entry.loadedAt + ratio * (entry.expiresAt - entry.loadedAt);
    if (this.deps.now() < refreshAt) return;
    this.deps.counters.refreshes++;
    this.flight.run(plan.key, () => this.loadAndStore(plan, entry.expiresAt - entry.loadedAt, load)).catch((error: unknown) => {
      // The caller already has its rows; the entry simply expires as it would have.
      this.logger.warn(`Background refresh of a cached result failed: ${(error as Error).message}`);
    });
  }
}
