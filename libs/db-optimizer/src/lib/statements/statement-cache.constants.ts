/** Prefix of every statement name the cache creates, so they are easy to spot in `pg_prepared_statements`. */
export const STATEMENT_NAME_PREFIX = 'dbo_';

/**
 * Hex characters of the SQL text's SHA-256 kept in a name: 128 bits make a collision practically
 * impossible, and 'dbo_' + 32 stays far below PostgreSQL's 63-character identifier limit.
 */
export const STATEMENT_NAME_HASH_CHARS = 32;

/** Texts whose sightings are counted, at least this many... */
export const SEEN_TEXTS_MIN_CAPACITY = 10_000;
/** ...or this many per statement a connection may keep, whichever is larger. */
export const SEEN_TEXTS_PER_CACHED_STATEMENT = 10;
/** Characters of SQL the sighting counter may hold in all, so huge generated texts cannot fill memory. */
export const SEEN_TEXTS_MAX_CHARS = 16 * 1024 * 1024;

/** SQLSTATE of "cached plan must not change result type" (feature_not_supported), raised after DDL. */
export const SQLSTATE_FEATURE_NOT_SUPPORTED = '0A000';
/** SQLSTATE of "prepared statement ... already exists": the server holds a name pg does not know about. */
export const SQLSTATE_DUPLICATE_PREPARED_STATEMENT = '42P05';
/** SQLSTATE of "prepared statement ... does not exist" (invalid_sql_statement_name). */
export const SQLSTATE_INVALID_SQL_STATEMENT_NAME = '26000';
/** The server function that raises the invalidated-plan error; unlike the message, it is never translated. */
export const PLAN_REVALIDATION_ROUTINE = 'RevalidateCachedQuery';
