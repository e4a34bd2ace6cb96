import { redisKeyOf } from './cache-key';
import type { Cache } from 'cache-manager';
import { CachedEntry, parseEntry, serializeEntry } from './cached-entry';
import { L2_WRITE_BATCH_MS, RESULT_FORMAT_VERSION } from './result-cache.constants';
import type { ResultCacheCounters } from './result-cache-counters';
import { CallTimeoutError, withTimeout } from '../core/with-timeout';

/** The part of a socket batching uses. */
export interface CorkableSocket {
  cork(): void;
  uncork(): void;
}

/** What L2 reports about Redis (the link), and asks of it. */
export interface L2FailureSink {
  /** Up: stores may be sent. */
  readonly healthy: boolean;
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
  private pending: Array<{ key: string; entry: CachedEntry }> = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** Stores sent and not answered yet (settled ones remove themselves; never rejected). */
  private readonly inFlight = new Set<Promise<unknown>>();

  /**
   * @param socket the socket under the store's client now (a single server's; a cluster has one per node,
   *   and its stores are then batched in time only)
   */
  constructor(
    private readonly cache: Cache,
    private readonly prefix: string,
    private readonly timeoutMs: number,
    private readonly counters: ResultCacheCounters,
    private readonly link: L2FailureSink,
    private readonly socket: () => CorkableSocket | undefined = () => undefined,
  ) {}

  async get(key: string): Promise<CachedEntry | undefined> {
    try {
      return parseEntry(await withTimeout(this.cache.get<string>(this.keyOf(key)), this.timeoutMs, 'Redis GET'));
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  /**
   * Stores without making the caller wait: the entry is an optimization, the caller already has
   * its rows. Stores are sent in batches, `L2_WRITE_BATCH_MS` after the first of a batch, with
   * the client's socket corked while they are issued, so a burst of loads costs one socket write
   * instead of one each (a socket write is most of what a store costs). An entry is keyed by the versions
   * it was loaded at, so a store that lands a moment later can never be a stale one.
   */
  set(key: string, entry: CachedEntry): void {
    this.pending.push({ key, entry });
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => this.flush(), L2_WRITE_BATCH_MS);
      this.flushTimer.unref();
    }
  }

  /** Sends the stores still waiting for their batch now, and resolves once every store sent so far has been answered (or failed). */
  async drain(): Promise<void> {
    if (this.pending.length > 0) {
      clearTimeout(this.flushTimer);
      this.flush();
    }
    await Promise.all([...this.inFlight]);
  }

  /** Drops stores not sent yet (the link is stopping): nothing may be sent on clients being closed. */
  discardPending(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.pending = [];
  }

  private flush(): void {
    this.flushTimer = undefined;
    const batch = this.pending;
    this.pending = [];
    // Redis went down since these were queued: nothing to send them on (entries are only an optimization).
    if (!this.link.healthy) return;
    const socket = this.socket();
    if (socket) {
      socket.cork();
      // Uncorked as soon as the microtasks now queued have run: cache-manager's promise chains reach the
      // socket within them, while no I/O callback can run, so no other command (a bump, a ping, a GET)
      // ever waits in the cork for a later turn of the event loop, where a stall could time it out.
      // Scheduled before the stores are issued, so nothing thrown below can leave the socket corked.
      queueMicrotask(() => process.nextTick(() => socket.uncork()));
    }
    const now = Date.now();
    for (const { key, entry } of batch) {
      const ttlMs = Math.floor(entry.expiresAt - now);
      if (ttlMs <= 0) continue;
      const sent: Promise<void> = withTimeout(this.cache.set(this.keyOf(key), serializeEntry(entry), ttlMs), this.timeoutMs, 'Redis SET').then(
        () => void this.inFlight.delete(sent),
        (error: unknown) => {
          this.inFlight.delete(sent);
          this.fail(error);
        },
      );
      this.inFlight.add(sent);
    }
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
