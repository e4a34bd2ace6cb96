import { matchesFunction } from '../../sql/sql-functions.constants';

/**
 * Built-ins whose effect a ROLLBACK does not undo, or that reach outside the
 * transaction: session advisory locks and their release, other backends,
 * sequences, large objects, remote servers (dblink), notifications, settings
 * and server-wide state. A statement calling one is planned, never run.
 * Matched on the last part of the name (a user function that shadows one is
 * treated the same way, which only costs the ANALYZE).
 */
const SIDE_EFFECT_FUNCTIONS: ReadonlySet<string> = new Set([
  'pg_advisory_lock',
  'pg_advisory_lock_shared',
  'pg_try_advisory_lock',
  'pg_try_advisory_lock_shared',
  'pg_advisory_unlock',
  'pg_advisory_unlock_shared',
  'pg_advisory_unlock_all',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_notify',
  'set_config',
  'setseed',
  'nextval',
  'setval',
  'txid_current',
  'pg_current_xact_id',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_logical_emit_message',
  'pg_promote',
  'pg_wal_replay_pause',
  'pg_wal_replay_resume',
  'pg_log_backend_memory_contexts',
  'pg_file_write',
  'pg_file_rename',
  'pg_file_unlink',
  'loread',
  'lowrite',
]);

/** Families: large objects (lo_import, lo_unlink...), dblink, replication slots and origins, statistics resets. */
const SIDE_EFFECT_PREFIXES: readonly string[] = ['lo_', 'dblink', 'pg_create_', 'pg_drop_replication', 'pg_replication_origin', 'pg_stat_reset'];

/** The first function (as the classifier names it) that must not run inside an analysis, if any. */
export function sideEffectFunction(functions: readonly string[]): string | undefined {
  return functions.find((name) => matchesFunction(name.toLowerCase().split('.').pop() ?? '', SIDE_EFFECT_FUNCTIONS, SIDE_EFFECT_PREFIXES));
}
