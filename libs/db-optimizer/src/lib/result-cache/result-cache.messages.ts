/**
 * Messages of the result cache, as sentences that name the problem and the fix.
 * Kept beside the cache until the lead folds them into errors/messages.ts.
 */
export const INVALID_CACHE_TTL = (value: unknown): string =>
  `ttlSeconds must be a positive number of seconds (or 0 to skip the cache for this call), got ${String(value)}. ` +
  'Pass e.g. { ttlSeconds: 60 }, or { useCache: false }.';


export const CACHE_LOCAL_ONLY = (ttlSeconds: number): string =>
  'The result cache is instance-local (no redisUrl): writes made through other instances or outside the module are seen ' +
  `here only after an entry's TTL (cacheTtlSeconds ${ttlSeconds}), or at once on tables covered by installChangeNotifications() ` +
  '(NOTIFY through PostgreSQL, no Redis needed; call it on every instance). Running several instances? Set redisUrl, or instances.';

export const CACHE_LOCAL_BOUNDED = (instances: number, maxAgeMs: number): string =>
  `The result cache has no redisUrl and instances is ${instances}: other instances' writes cannot be heard, so cached ` +
  `results are served only while younger than ${maxAgeMs} ms (cacheOutageMaxAgeMs). Set redisUrl to share entries and invalidations.`;

export const LISTENING_WITHOUT_REDIS = (tables: readonly string[]): string =>
  `Change notifications are installed on ${tables.length} table(s) (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''}): ` +
  'listening, so writes to them by other instances or outside the module invalidate here without Redis.';

export const NOT_LISTENING_AT_START = (reason: string): string =>
  `Could not look up or listen to installed change notifications at start (${reason}); other instances' writes are seen ` +
  'here only after the TTL. Call installChangeNotifications() on this instance to listen.';

export const REDIS_DOWN = (reason: string): string =>
  `Redis for the result cache is unavailable (${reason}); serving from memory and the database, ` +
  'with in-memory entries capped in age until Redis is back. Check that Redis is running and reachable at redisUrl.';

export const REDIS_BACK = (epoch: string): string =>
  `Redis for the result cache is back; every entry cached before or during the outage was dropped (epoch ${epoch}).`;

export const REDIS_NOT_REACHABLE_AT_START = (timeoutMs: number): string =>
  `Redis for the result cache did not answer within ${timeoutMs} ms at start; the cache runs on memory only ` +
  'and connects when Redis answers. Check redisUrl and that Redis is running.';

export const REDIS_PACKAGES_MISSING = (missing: string, packages: readonly string[]): string =>
  `Redis is configured (redisUrl, redisCluster or redisSentinel), but the package "${missing}" is not installed. With Redis, the result cache and fleet metrics need ` +
  `${packages.join(', ')} (optional peers of @db-optimizer/core): run \`npm install ${packages.join(' ')}\`, or configure no Redis.`;

export const NOT_A_LEGACY_REDIS_STORE = (missing: string[]): string =>
  `The store returned by cache-manager-ioredis-yet lacks ${missing.join(', ')}; ` +
  'install a cache-manager-ioredis-yet 2.x release (the cache-manager v5 store interface).';

export const KEYS_REFUSED = (): string =>
  'The result cache never lists Redis keys (KEYS/SCAN block Redis); entries are found by versioned keys only.';

export const INVALIDATION_FAILED = (reason: string): string =>
  `Working out what a committed write invalidates failed (${reason}); every cached result was dropped to stay correct. ` +
  'If this repeats, check the catalog queries of the dependency analyzer.';

export const CHANGE_NOTIFICATIONS_NEED_CACHE = (): string =>
  'installChangeNotifications() needs the result cache: set enableCache: true in the module options.';

export const ECHO_NOT_HEARD = (stamp: number, timeoutMs: number): string =>
  `version bump ${stamp} was not heard back on the change channel within ${timeoutMs} ms, so other instances may not hear ` +
  'this instance\'s writes either; treating Redis as down until the link is checked again';
