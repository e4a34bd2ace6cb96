import { FORBIDDEN_SETTING, INVALID_SETTING, INVALID_SETTING_VALUE, SETTING_NOT_ALLOWED } from '../analysis.messages';

/** Settings an EXPLAIN may change for itself (SET LOCAL), as text. */
export type ExplainSettings = ReadonlyArray<readonly [name: string, value: string]>;

/**
 * Planner settings an EXPLAIN may change, besides every `enable_*` switch. An allow-list:
 * anything else (`standard_conforming_strings`, `search_path`, `role`, `session_replication_role`...)
 * could change how the text is read, which objects it reaches or what the run may do.
 * @publicApi
 */
export const PLANNER_SETTINGS: ReadonlySet<string> = new Set([
  'work_mem',
  'hash_mem_multiplier',
  'random_page_cost',
  'seq_page_cost',
  'cpu_tuple_cost',
  'cpu_index_tuple_cost',
  'cpu_operator_cost',
  'parallel_setup_cost',
  'parallel_tuple_cost',
  'effective_cache_size',
  'effective_io_concurrency',
  'jit',
  'jit_above_cost',
  'jit_inline_above_cost',
  'jit_optimize_above_cost',
  'join_collapse_limit',
  'from_collapse_limit',
  'geqo',
  'geqo_threshold',
  'plan_cache_mode',
  'default_statistics_target',
  'max_parallel_workers_per_gather',
  'min_parallel_table_scan_size',
  'min_parallel_index_scan_size',
  'constraint_exclusion',
  'cursor_tuple_fraction',
  'recursive_worktable_factor',
]);

/** The planner method switches: enable_seqscan, enable_hashjoin, enable_partitionwise_join... */
const PLANNER_SWITCH = /^enable_[a-z_]+$/;
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** A number, a word or a size ('64kB', '1.5', 'off', 'force_generic_plan'): nothing a value of these settings needs more. */
const SETTING_VALUE = /^[A-Za-z0-9_.\- ]{1,64}$/;
/** Settings that guard the run: refused with a message saying what to use instead. */
const RUN_GUARDS = new Set(['statement_timeout', 'transaction_read_only', 'default_transaction_read_only', 'role', 'session_authorization']);

export function isPlannerSetting(name: string): boolean {
  return PLANNER_SWITCH.test(name) || PLANNER_SETTINGS.has(name);
}

/**
 * Validates caller settings against the allow-list and turns values into the text
 * `set_config($1, $2, true)` takes (as bind parameters). Throws before anything is sent.
 */
export function explainSettings(settings: Readonly<Record<string, string | number | boolean>> | undefined): ExplainSettings {
  return Object.entries(settings ?? {}).map(([name, value]) => {
    if (!SETTING_NAME.test(name)) throw new RangeError(INVALID_SETTING(name));
    const lower = name.toLowerCase();
    if (RUN_GUARDS.has(lower)) throw new RangeError(FORBIDDEN_SETTING(name));
    if (!isPlannerSetting(lower)) throw new RangeError(SETTING_NOT_ALLOWED(name));
    const text = String(value);
    if (!SETTING_VALUE.test(text)) throw new RangeError(INVALID_SETTING_VALUE(name));
    return [lower, text] as const;
  });
}
