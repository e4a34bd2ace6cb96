// Defaults of the result-cache options, applied by resolveOptions().

/** Fraction of an entry's TTL after which a hit refreshes it in the background. */
export const DEFAULT_REFRESH_AHEAD_RATIO = 0.8;

/**
 * Longest wait for one Redis call, in ms. A Redis GET takes ~0.07 ms here: anything near
 * this bound means Redis is unwell, and the caller goes on with L1 and the database.
 */
export const DEFAULT_REDIS_TIMEOUT_MS = 100;

/**
 * While Redis is down this instance cannot hear of other instances' writes, so an L1 entry
 * is served only while it is younger than this (ms). It bounds cross-instance staleness
 * during an outage.
 */
export const DEFAULT_OUTAGE_MAX_AGE_MS = 1000;

/** Row versions kept in memory; an evicted one folds into its table's floor (see `VersionMap`). */
export const DEFAULT_MAX_ROW_VERSIONS = 100_000;

/** How often Redis is pinged, to notice a silent outage and the end of one (ms). */
export const DEFAULT_HEALTH_CHECK_INTERVAL_MS = 500;
