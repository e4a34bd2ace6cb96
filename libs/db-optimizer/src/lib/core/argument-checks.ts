import { INVALID_PARAMS_ARGUMENT, INVALID_SQL_ARGUMENT } from './errors/messages';

/** Rejects what is not SQL text before anything is sent. */
export function assertSql(sql: unknown, what = 'sql'): asserts sql is string {
  if (typeof sql !== 'string' || sql.trim().length === 0) throw new TypeError(INVALID_SQL_ARGUMENT(what));
}

/** Parameters are always bound, never spliced into the text. */
export function normalizeParams(params: unknown): unknown[] {
  if (params === undefined || params === null) return [];
  if (!Array.isArray(params)) throw new TypeError(INVALID_PARAMS_ARGUMENT());
  return params as unknown[];
}
