import { InvalidConsistencyTokenError } from './errors/invalid-consistency-token.error';
import { INVALID_CONSISTENCY_TOKEN, INVALID_PARAMS_ARGUMENT, INVALID_SESSION_KEY, INVALID_SQL_ARGUMENT } from './errors/messages';

/** Longest session key accepted: keys come from outside (headers), and each one is remembered. */
export const MAX_SESSION_KEY_LENGTH = 256;

/** A WAL position as PostgreSQL prints it: two hex numbers of at most 32 bits each. */
const TOKEN_FORMAT = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

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

/**
 * Checks the read-your-writes inputs of a call before anything runs: a bounded session key,
 * and a token in the format writes return (typed error, so apps can answer 400).
 */
export function assertConsistencyInputs(options: { sessionKey?: unknown; consistencyToken?: unknown }): void {
  const { sessionKey, consistencyToken } = options;
  if (sessionKey !== undefined && (typeof sessionKey !== 'string' || sessionKey.length === 0 || sessionKey.length > MAX_SESSION_KEY_LENGTH)) {
    throw new TypeError(INVALID_SESSION_KEY(MAX_SESSION_KEY_LENGTH));
  }
  if (consistencyToken !== undefined && (typeof consistencyToken !== 'string' || !TOKEN_FORMAT.test(consistencyToken))) {
    throw new InvalidConsistencyTokenError(INVALID_CONSISTENCY_TOKEN(consistencyToken));
  }
}
