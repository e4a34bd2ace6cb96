/** Prefix of every Redis key and channel of the result cache. */
export const RESULT_CACHE_REDIS_PREFIX = 'dbo';

/** Format of L2 entries, in their keys: instances of another release (another format) never read them. 2: entries carry their WAL position. */
export const RESULT_FORMAT_VERSION = 2;

/** Keyv namespace of L2 entries: their Redis keys read `db-optimizer:dbo:<namespace>:r2:<hash>`. */
export const RESULT_CACHE_KEYV_NAMESPACE = 'db-optimizer';

/** A read naming more rows than this depends on the whole table instead (smaller key, same safety). */
export const MAX_ROW_KEYS_PER_READ = 64;

/** A write naming more rows than this bumps its table's version instead (bounded messages). */
export const MAX_ROW_KEYS_PER_WRITE = 1000;

/**
 * For this long after this instance's own write made a key new (ms), a miss goes straight to the
 * database without asking Redis: only another instance could have stored an entry under the new
 * key since, and a round trip that almost always misses costs more than the rare load it saves.
 */
export const OWN_WRITE_L2_SKIP_MS = 1000;

/**
 * Stores into Redis wait this long (ms) for others to go out with them in one socket write. Short
 * against any TTL, and harmless: an entry is keyed by the versions it was loaded at.
 */
export const L2_WRITE_BATCH_MS = 2;

/** Longest wait for the connection to Redis at start before the cache starts without it (ms). */
export const REDIS_CONNECT_TIMEOUT_MS = 2000;

/** Longest wait for the primary's WAL position when Redis comes back (ms); without it the flush relies on what this instance knows. */
export const PRIMARY_LSN_TIMEOUT_MS = 1000;

/** Longest wait for a clean QUIT at shutdown before the socket is simply closed (ms). */
export const REDIS_QUIT_TIMEOUT_MS = 500;

/**
 * How long an answer from Redis that nobody waits on may take before it counts as lost: ioredis' own
 * per-command timeout (a backstop behind the callers' `cacheRedisTimeoutMs`) and the watch on a writer's
 * own echo. Well past one call's timeout, since a busy process or a Redis that has just restarted may answer
 * late, and a link taken down for that costs every instance a flush.
 */
export const lateRedisAnswerMs = (timeoutMs: number): number => Math.max(timeoutMs * 10, 2000);
