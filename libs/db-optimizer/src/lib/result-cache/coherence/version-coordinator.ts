import { performance } from 'node:perf_hooks';
import type { ChangeFeed } from './change-feed';
import type { ResultCacheCounters } from '../result-cache-counters';
import type { RedisLink } from './redis-link';
import type { RedisVersions } from './redis-versions';
import type { TableScope, VersionChange } from './version-change';
import type { VersionCapture, VersionMap } from './version-map';
import { withTimeout } from '../../core/with-timeout';

/** The Redis side of the versions, present when `redisUrl` is set. */
export interface VersionRedis {
  versions: RedisVersions;
  feed: ChangeFeed;
  link: RedisLink;
  timeoutMs: number;
}

/**
 * Where a committed write's version bump goes: through Redis when the link is up (one
 * script bumps, stores and publishes; the write returns once its own message has come
 * back, so every bump ordered before it is applied here too), or straight into this
 * instance's map with a local stamp when Redis is absent or down.
 */
export class VersionCoordinator {
  private redis: VersionRedis | undefined;
  private localCount = 0;

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
  }

  capture(dependencies: readonly TableScope[]): VersionCapture {
    return this.map.capture(dependencies);
  }

  /** Makes a committed write visible to every later read of this instance, and to other instances when Redis is up. */
  async commit(change: Omit<VersionChange, 'stamp'>): Promise<void> {
    this.counters.invalidations++;
    if (change.flushAll) this.counters.flushes++;
    const redis = this.redis;
    if (redis?.link.healthy) {
      try {
        await this.viaRedis(redis, change);
        return;
      } catch (error) {
        redis.link.markDown((error as Error).message);
      }
    }
    this.applyLocally(change);
  }

  /**
   * Bumps through Redis and waits to hear it back on the channel. Throws when either
   * step fails; the caller decides what that means (outage, failed recovery).
   */
  async viaRedis(redis: VersionRedis, change: Omit<VersionChange, 'stamp'>): Promise<number> {
    // The map's highest stamp goes along: stamps handed out locally stay below Redis' next ones.
    const stamp = await withTimeout(redis.versions.bump(change, this.map.highest, epochMs()), redis.timeoutMs, 'Redis version bump');
    if (!(await redis.feed.waitFor(stamp, redis.timeoutMs))) {
      throw new Error(`version bump ${stamp} was not heard back on the channel within ${redis.timeoutMs} ms`);
    }
    return stamp;
  }

  /** A local stamp, above every stamp seen: unique on this instance. */
  applyLocally(change: Omit<VersionChange, 'stamp'>): void {
    this.localCount++;
    this.map.apply({ ...change, stamp: this.map.highest + 1 });
  }
}

/** Wall-clock ms with sub-ms precision: instances on one machine compare them directly. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}
