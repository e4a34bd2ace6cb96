// Defaults of the connection-sharing options (`multiplexReads`, `sharedReadMaxMs`), applied by resolveOptions().

/**
 * Reads in flight at once on one shared connection. On by default since reads share only once
 * their statement is measured short (`sharedReadMaxMs`), so a long read never holds up the short
 * ones behind it; measured in issue #13's notes (pk lookups at 8–128 callers: about 1.8x `pg` named).
 */
export const DEFAULT_MULTIPLEX_READS = 8;

/**
 * A statement shares connections while its recent runs took at most this long beyond the round trip
 * (ms): well above a lookup (well under 1 ms on the server) and the event loop's turns under the
 * bench's load, so a loaded instance does not stop sharing its lookups; well under a report.
 */
export const DEFAULT_SHARED_READ_MAX_MS = 20;
