import { Logger } from '@nestjs/common';
import type { OptimizedQueryResult } from '../core/query-options.interface';
import type { CacheLevel } from '../core/query-sample.interface';
import { laterLsn } from '../core/lsn';
import { CachedEntry, cachedEntry, entryCovers, withDecoded } from './cached-entry';
import type { DataPositions } from './data-positions';
import type { MemoryCache } from './memory-cache';
import type { ReadPlan } from './read-plan';
import type { RedisL2 } from './redis-l2';
import { decodeResult, encodeResult, tryDecodeResult } from './result-codec';
import { copyDecoded, decodeForCopies } from './decoded-result';
import type { ResultCacheCounters } from './result-cache-counters';
import { SingleFlight } from './single-flight';
import { OWN_WRITE_L2_SKIP_MS } from './result-cache.constants';

/** Loads the rows from the database, from a server that has replayed `minLsn`. */
export type Loader<T> = (minLsn?: bigint) => Promise<OptimizedQueryResult<T>>;

/** The levels and policies the read path works with. */
export interface CacheReaderDeps {
  memory: MemoryCache;
  counters: ResultCacheCounters;
  recordLookup(level: CacheLevel, hit: boolean): void;
  /** An entry at `level` was skipped because it is older than the position the read requires. */
  recordConsistencyBypass(level: CacheLevel): void;
  /** Lower bounds of what each load's data includes (the position its entry records). */
  positions: DataPositions;
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

/** What one read found on its way, for the counters of reads that require a position. */
interface Trace {
  bypassed: boolean;
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
    const trace: Trace = { bypassed: false };
    const hit = memory.get(plan.memoryKey);
    if (hit && this.deps.servable(hit)) {
      if (entryCovers(hit, plan.requiredLsn)) {
        counters.memoryHits++;
        this.deps.recordLookup('memory', true);
        this.countPositionRead(plan, true);
        this.refreshIfAging(plan, hit, load);
        return this.fromMemory<T>(plan.memoryKey, hit);
      }
      this.bypass(trace, 'memory');
    }
    counters.memoryMisses++;
    this.deps.recordLookup('memory', false);
    let ranHere = false;
    const outcome = await this.flight.run(plan.memoryKey, () => {
      ranHere = true;
      return this.fetch(plan, ttlMs, load, trace);
    });
    if (ranHere && outcome.result) {
      this.countPositionRead(plan, outcome.level !== false);
      return outcome.result as OptimizedQueryResult<T>;
    }
    if (plan.requiredLsn !== undefined && !(outcome.entry && entryCovers(outcome.entry, plan.requiredLsn))) {
      // Joined a flight that loaded for a lower (or no) position: this caller loads its own.
      if (outcome.entry) this.bypass(trace, outcome.level || 'memory');
      this.countPositionRead(plan, false);
      return (await this.loadAndStore(plan, ttlMs, load)).result as OptimizedQueryResult<T>;
    }
    this.countPositionRead(plan, outcome.level !== false);
    if (outcome.entry) return decodeResult<T>(outcome.entry.payload, outcome.level || 'memory');
    // Not encodable: waiters share the rows array's items but get their own array and metadata.
    const shared = outcome.result as OptimizedQueryResult<T>;
    return { rows: [...shared.rows], metadata: { ...shared.metadata } };
  }

  /**
   * The caller's copy of a memory entry. The first hit decodes the payload once and keeps
   * it with the entry (re-stored, its size counted twice: roughly what the decoded rows
   * take), so later hits copy instead of parsing.
   */
  private fromMemory<T>(key: string, entry: CachedEntry): OptimizedQueryResult<T> {
    if (entry.decoded) return copyDecoded<T>(entry.decoded, 'memory');
    if (entry.decoded === null) return decodeResult<T>(entry.payload, 'memory');
    const decoded = decodeForCopies(entry.payload);
    if (decoded === undefined) {
      entry.decoded = null;
      return decodeResult<T>(entry.payload, 'memory');
    }
    this.deps.memory.set(key, withDecoded(entry, decoded));
    return copyDecoded<T>(decoded, 'memory');
  }

  /** L2, then the database; stores what the database returned in both levels. */
  private async fetch<T>(plan: ReadPlan, ttlMs: number, load: Loader<T>, trace: Trace): Promise<Outcome> {
    const l2 = this.deps.usableL2();
    if (l2 && this.madeNewHere(plan)) {
      this.deps.counters.redisSkippedAfterOwnWrite++;
    } else if (l2) {
      const entry = await l2.get(plan.sharedKey);
      const older = entry !== undefined && !entryCovers(entry, plan.requiredLsn);
      if (older) this.bypass(trace, 'redis');
      // Decoded once here: an entry this version cannot read is a miss, never an error for the caller.
      const result = entry !== undefined && !older && this.deps.servable(entry) ? tryDecodeResult(entry.payload, 'redis') : undefined;
      this.deps.recordLookup('redis', result !== undefined);
      if (entry && result) {
        this.deps.counters.redisHits++;
        this.deps.memory.set(plan.memoryKey, entry);
        return { entry, level: 'redis', result };
      }
      this.deps.counters.redisMisses++;
    } else if (this.deps.redisConfigured) {
      this.deps.counters.redisSkipped++;
      this.deps.recordLookup('redis', false);
    }
    return this.loadAndStore(plan, ttlMs, load);
  }

  /** This instance's own write bumped the newest version in the key less than `OWN_WRITE_L2_SKIP_MS` ago. */
  private madeNewHere(plan: ReadPlan): boolean {
    const at = plan.capture.bumpedHereAt;
    if (at === undefined) return false;
    const age = this.deps.now() - at;
    // A wall clock stepped back makes the age negative: ask Redis rather than skip for that long.
    return age >= 0 && age < OWN_WRITE_L2_SKIP_MS;
  }

  /** Loads from a server that has replayed what the key's versions and the caller require, and (re)places the entry. */
  private async loadAndStore<T>(plan: ReadPlan, ttlMs: number, load: Loader<T>): Promise<Outcome> {
    const loadedAt = this.deps.now();
    const loadLsn = laterLsn(plan.capture.minLsn, plan.requiredLsn);
    // Read before the load: only then is it a lower bound of what the rows include.
    const positionOf = this.deps.positions.before(loadLsn);
    const result = (await load(loadLsn)) as OptimizedQueryResult<unknown>;
    this.deps.counters.loads++;
    const payload = encodeResult(result);
    if (payload === undefined) {
      this.deps.counters.bypassed++;
      return { entry: undefined, level: false, result };
    }
    const entry = cachedEntry(payload, loadedAt, loadedAt + ttlMs, positionOf(result.metadata));
    this.deps.memory.set(plan.memoryKey, entry);
    this.deps.usableL2()?.set(plan.sharedKey, entry);
    return { entry, level: false, result };
  }

  /** Counts one skip per read; the read then loads fresh (from a server that has replayed the position) and refreshes the entry. */
  private bypass(trace: Trace, level: CacheLevel): void {
    this.deps.recordConsistencyBypass(level);
    if (trace.bypassed) return;
    trace.bypassed = true;
    this.deps.counters.consistencyBypasses++;
  }

  private countPositionRead(plan: ReadPlan, hit: boolean): void {
    if (plan.requiredLsn === undefined) return;
    this.deps.counters.consistencyReads++;
    if (hit) this.deps.counters.consistencyHits++;
  }

  /** Past `refreshAheadRatio` of its life, a hit reloads its entry in the background (once per key at a time). */
  private refreshIfAging<T>(plan: ReadPlan, entry: CachedEntry, load: Loader<T>): void {
    const ratio = this.deps.refreshAheadRatio;
    if (ratio <= 0 || this.flight.has(plan.memoryKey)) return;
    const refreshAt = entry.loadedAt + ratio * (entry.expiresAt - entry.loadedAt);
    if (this.deps.now() < refreshAt) return;
    this.deps.counters.refreshes++;
    this.flight.run(plan.memoryKey, () => this.loadAndStore(plan, entry.expiresAt - entry.loadedAt, load)).catch((error: unknown) => {
      // The caller already has its rows; the entry simply expires as it would have.
      this.logger.warn(`Background refresh of a cached result failed: ${(error as Error).message}`);
    });
  }
}
