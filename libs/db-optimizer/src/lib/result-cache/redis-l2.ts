import { redisKeyOf } from './cache-key';
import type { Cache } from 'cache-manager';
import { CachedEntry, parseEntry, serializeEntry } from './cached-entry';
import { RESULT_FORMAT_VERSION } from './result-cache.constants';
import type { ResultCacheCounters } from './result-cache-counters';
import { CallTimeoutError, withTimeout } from '../core/with-timeout';

/** What L2 reports about Redis (the link). */
export interface L2FailureSink {
  /** A call timed out: worth checking, not yet an outage. */
  suspect(reason: string): void;
  /** A call failed: an outage. */
  markDown(reason: string): void;
}

/**
 * L2: entries in Redis through cache-manager. Every call is bounded by `timeoutMs`; a
 * failure is a miss for the caller, and a suspicion (timeout) or an outage (error) for the
 * link. Nothing here throws.
 */
export class RedisL2 {
  constructor(
    private readonly cache: Cache,
    private readonly prefix: string,
    private readonly timeoutMs: number,
    private readonly counters: ResultCacheCounters,
    private readonly link: L2FailureSink,
  ) {}

  async get(key: string): Promise<CachedEntry | undefined> {
    try {
      return parseEntry(await withTimeout(this.cache.get<string>(this.keyOf(key)), this.timeoutMs, 'Redis GET'));
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  /** Stores without making the caller wait: the entry is an optimization, the caller already has its rows. */
  set(key: string, entry: CachedEntry): void {
    const ttlMs = Math.floor(entry.expiresAt - Date.now());
    if (ttlMs <= 0) return;
    withTimeout(this.cache.set(this.keyOf(key), serializeEntry(entry), ttlMs), this.timeoutMs, 'Redis SET').catch((error: unknown) =>
      this.fail(error),
    );
  }

  private keyOf(key: string): string {
    return `${this.prefix}:r${RESULT_FORMAT_VERSION}:${redisKeyOf(key)}`;
  }

  private fail(error: unknown): void {
    this.counters.redisErrors++;
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof CallTimeoutError) this.link.suspect(reason);
    else this.link.markDown(reason);
  }
}
