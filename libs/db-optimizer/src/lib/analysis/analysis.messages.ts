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

export const EXPLAIN_FAILED = (where: string, normalizedSql: string, reason: string): string =>
  `EXPLAIN on the ${where} failed for "${normalizedSql}": ${reason}. The transaction was rolled back.`;

export const WRITE_ROLLED_BACK = (): string =>
  'EXPLAIN ANALYZE ran this statement for real on the primary, inside a transaction that was then rolled back: its row changes, ' +
  'trigger effects and NOTIFYs are undone, but sequences it advanced (nextval(), serial and identity defaults) stay advanced.';

export const PLANNED_ONLY = (): string =>
  'Planned only (analyze: false): times and actual row counts are absent, so rules that need them did not run.';

export const HYPOPG_MISSING = (server: string): string =>
  `HypoPG is not available on ${server}: install the package (Debian: postgresql-15-hypopg) or ` +
  'create the extension, otherwise index advice falls back to pg_stats heuristics.';
