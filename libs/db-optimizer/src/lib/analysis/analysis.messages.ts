/**
 * Messages of the query-analysis folder, as sentences that name the problem
 * and the fix. SQL appears only in normalized form (constants replaced by $n).
 */

export const UNPARSEABLE_STATEMENT = (reason: string): string =>
  `The statement does not parse (${reason}), so it was not explained. Pass one valid SQL statement.`;

export const NOT_ONE_STATEMENT = (count: number): string =>
  `EXPLAIN takes exactly one statement, got ${count}. Explain each statement separately; nothing was run.`;

export const NOT_EXPLAINABLE = (statement: string): string =>
  `${statement} cannot be explained: EXPLAIN accepts SELECT, INSERT, UPDATE, DELETE, MERGE and VALUES. Nothing was run.`;

export const ALREADY_EXPLAIN = (): string =>
  'The statement is already an EXPLAIN: pass the statement itself and choose the options through analyzeExecutionPlan().';

export const INVALID_TIMEOUT = (timeoutMs: number): string =>
  `timeoutMs must be a positive whole number of milliseconds, got ${timeoutMs}.`;

export const INVALID_SETTING = (name: string): string =>
  `"${name}" is not a valid setting name for an EXPLAIN's settings (letters, digits, _ and . only).`;

export const FORBIDDEN_SETTING = (name: string): string =>
  `"${name}" cannot be changed through an EXPLAIN's settings: it guards the run itself ` +
  '(use timeoutMs for the statement timeout; the read-only mode and role are chosen for you).';

export const SETTING_NOT_ALLOWED = (name: string): string =>
  `"${name}" is not a planner setting an EXPLAIN may change. Allowed: every enable_* switch, work_mem, hash_mem_multiplier, ` +
  'the *_cost settings, effective_cache_size, effective_io_concurrency, jit*, join/from_collapse_limit, geqo, geqo_threshold, ' +
  'plan_cache_mode, default_statistics_target, max_parallel_workers_per_gather, min_parallel_*_scan_size, constraint_exclusion, ' +
  'cursor_tuple_fraction and recursive_worktable_factor (the full list is PLANNER_SETTINGS). Nothing was run.';

export const INVALID_SETTING_VALUE = (name: string): string =>
  `The value of setting "${name}" must be a number, a word or a size (letters, digits, _ . - and spaces, at most 64 characters), ` +
  "such as '64kB', '1.5' or 'off'. Nothing was run.";

export const EXPLAIN_FAILED = (where: string, normalizedSql: string, reason: string): string =>
  `EXPLAIN on the ${where} failed for "${normalizedSql}": ${reason}. The transaction was rolled back.`;

export const WRITE_ROLLED_BACK = (): string =>
  'EXPLAIN ANALYZE ran this statement for real on the primary, inside a transaction that was then rolled back: its row changes, ' +
  'trigger effects and NOTIFYs are undone, but sequences it advanced (nextval(), serial and identity defaults) stay advanced.';

export const PLANNED_ONLY = (): string =>
  'Planned only (analyze: false): times and actual row counts are absent, so rules that need them did not run.';

export const SIDE_EFFECT_FUNCTION = (name: string): string =>
  `Planned only, not run: ${name}() has effects a rollback does not undo (session locks, other sessions, sequences, ` +
  'large objects, remote servers, server state), so EXPLAIN ANALYZE was not used; times and actual rows are absent.';

export const VOLATILE_FUNCTION = (reason: string): string =>
  `Planned only, not run: ${reason}, and a VOLATILE function may have effects a rollback does not undo, ` +
  'so EXPLAIN ANALYZE was not used; times and actual rows are absent.';

export const PRIMARY_NOT_ANALYZED = (): string =>
  'Planned only, not run: no replica was usable and this analysis may not run statements on the primary ' +
  '(the slow-query explainer never runs a statement a second time there).';

export const HYPOPG_MISSING = (server: string): string =>
  `HypoPG is not available on ${server}: install the package (Debian: postgresql-15-hypopg) or ` +
  'create the extension, otherwise index advice falls back to pg_stats heuristics.';
