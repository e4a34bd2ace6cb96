/**
 * Built-in functions the classifier knows by name. Names are matched on their
 * last part (`pg_catalog.nextval` is `nextval`): a user function that shadows
 * one of these is treated the same way, which errs towards the primary.
 * Anything not listed here is left to the catalog check (FunctionVolatilityCatalog).
 */

/**
 * Functions that write, or fail on a hot standby, or do the wrong thing there
 * (advisory locks and set_config succeed on a standby but lock/set nothing the
 * primary sees): the statement must run on the primary.
 */
export const WRITE_FUNCTIONS: ReadonlySet<string> = new Set([
  'nextval',
  'setval',
  'currval',
  'lastval',
  'txid_current',
  'txid_current_if_assigned',
  'pg_current_xact_id',
  'pg_current_xact_id_if_assigned',
  'pg_notify',
  'set_config',
  'setseed',
  'loread',
  'lowrite',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_logical_emit_message',
]);

/** Prefixes of function families that write or hold locks (lo_import, pg_try_advisory_xact_lock, dblink_exec...). */
export const WRITE_FUNCTION_PREFIXES: readonly string[] = ['lo_', 'pg_advisory', 'pg_try_advisory', 'dblink'];

/**
 * Write functions whose effect outlives the statement on that connection
 * (session-level advisory locks, session settings, dblink connections):
 * the client must stay pinned.
 */
export const SESSION_FUNCTIONS: ReadonlySet<string> = new Set([
  'set_config',
  'setseed',
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'dblink_connect',
  'dblink_connect_u',
  'dblink_open',
]);

/**
 * Words the date/time input functions turn into the current time ('now', 'today'...): a string
 * holding one, cast to (or compared with) a date/time value, changes with every run. 'epoch'
 * and 'infinity' are constants. Matched in every string constant and string parameter, since
 * the parser cannot tell which of them end up as dates.
 */
export const TIME_WORDS = /\b(now|today|tomorrow|yesterday)\b/i;

/**
 * Functions that give a different answer on each call, or per session, but
 * write nothing: fine on a replica, never cached.
 */
export const NON_DETERMINISTIC_FUNCTIONS: ReadonlySet<string> = new Set([
  'now',
  'statement_timestamp',
  'transaction_timestamp',
  'clock_timestamp',
  'timeofday',
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'current_setting',
  'current_database',
  'current_schema',
  'current_schemas',
  'current_query',
  'pg_backend_pid',
  'inet_client_addr',
  'inet_client_port',
  'inet_server_addr',
  'inet_server_port',
  'txid_current_snapshot',
  'pg_current_snapshot',
  'pg_is_in_recovery',
  'pg_last_wal_replay_lsn',
  'pg_current_wal_lsn',
]);

/** Prefixes of non-deterministic function families (uuid-ossp's uuid_generate_v4...). */
export const NON_DETERMINISTIC_PREFIXES: readonly string[] = ['uuid_generate', 'pg_stat_', 'has_'];

/**
 * Built-in aggregates recognised by name. Aggregate syntax (`count(*)`,
 * `DISTINCT`, `ORDER BY`, `FILTER`, `WITHIN GROUP`) marks the rest.
 */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'array_agg',
  'string_agg',
  'json_agg',
  'jsonb_agg',
  'json_object_agg',
  'jsonb_object_agg',
  'json_agg_strict',
  'jsonb_agg_strict',
  'json_object_agg_strict',
  'jsonb_object_agg_strict',
  'json_object_agg_unique',
  'jsonb_object_agg_unique',
  'json_object_agg_unique_strict',
  'jsonb_object_agg_unique_strict',
  'xmlagg',
  'bool_and',
  'bool_or',
  'every',
  'bit_and',
  'bit_or',
  'bit_xor',
  'any_value',
  'range_agg',
  'range_intersect_agg',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_avgx',
  'regr_avgy',
  'regr_count',
  'regr_intercept',
  'regr_r2',
  'regr_slope',
  'regr_sxx',
  'regr_sxy',
  'regr_syy',
  'percentile_cont',
  'percentile_disc',
  'mode',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
]);

/** True when `name` (last part, lower case) is in `names` or starts with one of `prefixes`. */
export function matchesFunction(name: string, names: ReadonlySet<string>, prefixes: readonly string[] = []): boolean {
  return names.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}
