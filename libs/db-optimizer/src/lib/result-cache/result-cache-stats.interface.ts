/**
 * Where the result cache's entries are shared (see `ResultCacheStats.mode`).
 * @publicApi
 */
export type ResultCacheMode = 'shared' | 'local' | 'local-bounded';

/**
 * What `ResultCacheService.stats()` reports. Counts are since start.
 * @publicApi
 */
export interface ResultCacheStats {
  enabled: boolean;
  /**
   * How far entries are shared: `shared` with `redisUrl`; without it, `local` (one instance:
   * entries live until their TTL) or `local-bounded` (`instances` > 1: entries are served only
   * while younger than `cacheOutageMaxAgeMs`, since other instances' writes cannot be heard);
   * `off` with `enableCache: false`.
   */
  mode: ResultCacheMode | 'off';
  /** `none` without `redisUrl` (memory only); `down` during an outage. */
  redis: 'none' | 'up' | 'down';
  memory: {
    entries: number;
    /** Payload and key bytes held (bounded by `cacheMaxBytes`). */
    bytes: number;
    hits: number;
    misses: number;
  };
  redisLevel: {
    hits: number;
    misses: number;
    /** Lookups not sent because Redis was down. */
    skipped: number;
    /**
     * Lookups not sent because this instance itself made the key new a moment ago (its own
     * write bumped the newest version in it): Redis can hardly hold an entry for it yet.
     */
    skippedAfterOwnWrite: number;
    /** Failed or timed-out Redis calls. */
    errors: number;
  };
  /** Results loaded from the database to be cached (misses and refreshes). */
  loads: number;
  /** Background refreshes of hot entries before they expire. */
  refreshes: number;
  /** Misses that waited for another caller's load of the same key instead of querying. */
  coalesced: number;
  /** Reads that could not be cached (volatile functions, unknown dependencies, unencodable values...). */
  bypassed: number;
  /**
   * Cacheable reads carrying a required position (a consistency token, or a session key with a
   * known last write): `hits` were served from memory or Redis; `bypasses` found an entry older
   * than the position and loaded fresh instead. `bypasses / reads` is what read-your-writes costs.
   */
  consistency: { reads: number; hits: number; bypasses: number };
  /**
   * Notifications on the change channel dropped because their payload named no existing table
   * (anyone who can connect can NOTIFY): they neither invalidate nor grow any map.
   */
  droppedNotifications: number;
  /** Committed writes (and outside changes) this instance applied to the versions. */
  invalidations: number;
  /** Of which: everything dropped (DDL, unknown effects, end of a Redis outage). */
  flushes: number;
  /** Version changes received from other instances. */
  received: number;
  /** Times Redis went down. */
  outages: number;
  rowVersions: { held: number; evicted: number };
  /**
   * Version bumps this instance sent to Redis for committed writes, and writes that went with
   * another's bump (committed while it was on its way) instead of sending their own.
   */
  bumps: { sent: number; joined: number };
  /** Time from another instance sending a write's bump to this instance applying it (entries dropped). */
  crossInstanceWindowMs: { count: number; p50: number; p99: number; max: number };
}
