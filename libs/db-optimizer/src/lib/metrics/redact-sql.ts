import { MAX_STORED_SQL_LENGTH } from './metrics.constants';

/**
 * SQL tokens that matter for redaction, matched in one left-to-right pass so
 * that, e.g., a digit inside a quoted identifier or a `--` inside a string is
 * seen as part of the enclosing token.
 */
const TOKEN = new RegExp(
  [
    String.raw`(?<comment>--[^\n]*|/\*[\s\S]*?\*/)`,
    String.raw`(?<identifier>"(?:[^"]|"")*")`,
    String.raw`(?<placeholder>\$\d+)`,
    String.raw`(?<dollarQuoted>\$(?<tag>[A-Za-z_]\w*)?\$[\s\S]*?\$\k<tag>\$)`,
    // E'...' honours backslash escapes; the others only doubled quotes. An
    // unterminated quote hides everything after it rather than leak it.
    String.raw`(?<string>[eE]'(?:[^'\\]|''|\\[\s\S])*'|(?:[bBxXnN]|[uU]&)?'(?:[^']|'')*'|'[\s\S]*)`,
    String.raw`(?<number>(?<![\w$.])(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)`,
  ].join('|'),
  'g',
);

/**
 * Anything that could start a literal or a comment: quotes, `--`, `/*`, a
 * digit that does not belong to a name or a `$n`, a `$` not followed by a
 * digit. Normalized texts usually have none, and skip the full pass (~5 µs).
 */
const MAY_HOLD_LITERAL = /['"]|--|\/\*|(?<![\w$.])\.?\d|\$(?!\d)/;

/**
 * Replaces every literal (strings, dollar-quoted bodies, numbers) with `?` and
 * drops comments; keeps identifiers and `$n` placeholders.
 *
 * Callers are meant to pass libpg-query's normalized text, which has no
 * literals left; this is the second line of defence for when a raw text gets
 * through, so metrics never hold a customer's value or a password.
 */
export function redactSqlLiterals(sql: string): string {
  if (!MAY_HOLD_LITERAL.test(sql)) return sql;
  return sql.replace(TOKEN, (match: string, ...args: unknown[]) => {
    const groups = args[args.length - 1] as Record<string, string | undefined>;
    if (groups['identifier'] !== undefined || groups['placeholder'] !== undefined) return match;
    if (groups['comment'] !== undefined) return ' ';
    return '?';
  });
}

/** The text metrics keep for a statement: redacted, then cut to a bounded length. */
export function toStoredSql(sql: string, maxLength: number = MAX_STORED_SQL_LENGTH): string {
  // An untyped caller passing no text must not make recording throw on the query path.
  const redacted = redactSqlLiterals(typeof sql === 'string' ? sql : '').trim();
  return redacted.length <= maxLength ? redacted : `${redacted.slice(0, maxLength - 1)}…`;
}
