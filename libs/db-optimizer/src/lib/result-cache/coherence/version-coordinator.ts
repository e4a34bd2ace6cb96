import { performance } from 'node:perf_hooks';
import type { ChangeFeed } from './change-feed';
import type { ResultCacheCounters } from '../result-cache-counters';
import type { RedisLink } from './redis-link';
import type { RedisVersions } from './redis-versions';
import type { TableScope, VersionChange } from './version-change';
import type { VersionCapture, VersionMap } from './version-map';
import { withTimeout } from '../../core/with-timeout';
import { laterLsn } from '../../core/lsn';
import { latestLsnOf, latestMarkOf, mergeVersionChanges, withUnpositionedMark } from '../write-effects';
import { GroupedBumps } from './grouped-bumps';
import { ECHO_NOT_HEARD } from '../result-cache.messages';
import { lateRedisAnswerMs } from '../result-cache.constants';

/** Local changes kept for publishing once Redis is back; past this many, one flush bump replaces them. */
const MAX_UNPUBLISHED = 1000;
/** Rounds of publishing before coming back gives up for this attempt (new local changes kept arriving). */
const MAX_PUBLISH_ROUNDS = 10;

/** The Redis side of the versions, present when `redisUrl` is set. */
export interface VersionRedis {
  versions: RedisVersions;
  feed: ChangeFeed;
  link: RedisLink;
  timeoutMs: number;
}

/**
 * Where a committed write's version bump goes: through Redis when the link is up (one
 * script bumps, stores and publishes, one round trip), or straight into this instance's
 * map with a local stamp when Redis is absent or down.
 *
 * The writer applies its own bump as soon as Redis answers, with the stamp Redis gave it and
 * the latest WAL position Redis holds for those counters: its next read builds a new key
 * and loads from a server that has replayed this write and any bump ordered before it on
 * the same counters. It does not wait for its own message to come back; a message that
 * never comes back within the timeout still takes the link down (the channel is broken),
 * only no longer on the write's time. Writes that commit while a bump is on its way go
 * together in the next one (`GroupedBumps`): one round trip for many under concurrent writes.
 */
export class VersionCoordinator {
  private redis: VersionRedis | undefined;
  private localCount = 0;
  /** Applied locally while Redis is configured but could not take them: other instances have not heard of them. */
  private unpublished: Array<Omit<VersionChange, 'stamp'>> = [];
  private unpublishedOverflow = false;
  private grouped: GroupedBumps | undefined;

  constructor(
    readonly map: VersionMap,
    private readonly counters: ResultCacheCounters,
  ) {}

  /** Changes applied with a local stamp (no Redis, or Redis down): other instances never heard of them. */
  get appliedLocally(): number {
    return this.localCount;
  }

  attach(redis: VersionRedis): void {
    this.redis = redis;
    this.grouped = new GroupedBumps(
      (change) => this.viaRedis(redis, change),
      () => redis.link.healthy,
    );
  }

  /** Bumps sent to Redis for committed writes, and writes that went with another's bump. */
  get bumpStats(): { sent: number; joined: number } {
    return this.grouped?.stats ?? { sent: 0, joined: 0 };
  }

  capture(dependencies: readonly TableScope[]): VersionCapture {
    return this.map.capture(dependencies);
  }

  /** Makes a committed write visible to every later read of this instance, and to other instances when Redis is up. */
  async commit(change: Omit<VersionChange, 'stamp'>): Promise<void> {
    this.counters.invalidations++;
    if (change.flushAll) this.counters.flushes++;
    const redis = this.redis;
    if (redis?.link.healthy && this.grouped) {
      try {
        await this.grouped.submit(change);
        return;
      } catch (error) {
        redis.link.markDown((error as Error).message);
      }
    }
    this.applyLocally(change);
  }

  /**
   * Bumps through Redis and applies the change here at once. Throws when the bump fails;
   * the caller decides what that means (outage, failed recovery).
   */
  async viaRedis(redis: VersionRedis, change: Omit<VersionChange, 'stamp'>): Promise<number> {
    // The map's highest stamp goes along: stamps handed out locally stay below Redis' next ones.
    const bumped = await withTimeout(redis.versions.bump(change, this.map.highest, epochMs()), redis.timeoutMs, 'Redis version bump');
    this.map.apply({ ...change, stamp: bumped.value, lsn: laterLsn(change.lsn, bumped.lsn) }, Date.now());
    this.watchEcho(redis, bumped.value);
    return bumped.value;
  }

  /** Other instances hear of the bump on the channel: if this one does not hear its own in time, the channel is broken. */
  private watchEcho(redis: VersionRedis, stamp: number): void {
    const windowMs = lateRedisAnswerMs(redis.timeoutMs);
    void redis.feed.waitFor(stamp, windowMs).then((heard) => {
      if (!heard) redis.link.markDown(ECHO_NOT_HEARD(stamp, windowMs));
    });
  }

  /** A local stamp, above every stamp seen: unique on this instance. With Redis configured, kept to publish later. */
  applyLocally(change: Omit<VersionChange, 'stamp'>): void {
    this.localCount++;
    this.map.apply({ ...change, stamp: this.map.highest + 1 });
    if (!this.redis) return;
    if (this.unpublished.length < MAX_UNPUBLISHED) this.unpublished.push(change);
    else this.unpublishedOverflow = true;
  }

  /** A flush about to be bumped through Redis covers every change applied before it: nothing left to publish. */
  coverUnpublished(): void {
    this.unpublished = [];
    this.unpublishedOverflow = false;
  }

  /**
   * Publishes, as one bump per round, the changes applied locally while Redis could not take
   * them (writes keep committing while Redis comes back). Throws when Redis fails or local
   * changes keep arriving; what was not published stays queued for the next attempt.
   */
  async publishUnpublished(redis: VersionRedis): Promise<void> {
    for (let round = 0; round < MAX_PUBLISH_ROUNDS; round++) {
      if (this.unpublished.length === 0 && !this.unpublishedOverflow) return;
      const merged = this.unpublishedOverflow
        ? withUnpositionedMark({ flushAll: true, tables: [], lsn: laterLsn(latestLsnOf(this.unpublished), this.map.latestLsn) }, latestMarkOf(this.unpublished))
        : mergeVersionChanges(this.unpublished);
      this.coverUnpublished();
      try {
        await this.viaRedis(redis, merged);
      } catch (error) {
        this.unpublished.unshift(merged);
        throw error;
      }
    }
    throw new Error('changes kept being applied locally while coming back; trying again');
  }
}

/** Wall-clock ms with sub-ms precision: instances on one machine compare them directly. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
