import { fingerprintSync, loadModule, normalizeSync, parseSync, scanSync } from 'libpg-query';
import type { ParseResult, ScanToken } from 'libpg-query';

export type { ParseResult } from 'libpg-query';

/** How to fix a classify() that ran before the parser was ready. */
export const SQL_PARSER_NOT_LOADED = (): string =>
  'The SQL parser (libpg-query) is not loaded yet: await loadSqlParser() once at startup, before classifying statements.';

let loading: Promise<void> | undefined;
let loaded = false;

/**
 * Loads libpg-query's WebAssembly module. Call once at startup; later calls
 * share the first load. The `*Sync` helpers below need it.
 *
 * @example
 * await loadSqlParser();
 * const tree = parseSql('SELECT 1');
 * @publicApi
 */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule().then(
    () => {
      loaded = true;
    },
    (error: unknown) => {
      // Let the next call try again instead of caching the failure forever.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** True once loadSqlParser() has resolved. */
export function isSqlParserLoaded(): boolean {
  return loaded;
}

/** Parses SQL into libpg-query's JSON tree. Throws the parser's error for bad SQL. */
export function parseSql(sql: string): ParseResult {
  assertLoaded();
  return parseSync(sql);
}

const HEX = /^[0-9a-f]+$/;

/**
 * libpg-query fingerprint, or undefined when the library fails. Some failures
 * come back as error text instead of an exception ("Invalid input: ..."), so
 * the result is checked to be hex.
 */
export function fingerprintSql(sql: string): string | undefined {
  assertLoaded();
  try {
    const fingerprint = fingerprintSync(sql);
    return HEX.test(fingerprint) ? fingerprint : undefined;
  } catch {
    return undefined;
  }
}

// Texts normalizeSync returns instead of throwing; no SQL statement starts so.
const NORMALIZE_ERRORS = /^(Invalid input|syntax error|deparse error|ERROR|Failed)/;

/**
 * The text with every constant replaced by `$n` and comments removed, or
 * undefined when the library fails.
 *
 * normalizeSync keeps comments, which may carry data, and leaves the
 * constants of some statements alone (EXECUTE, PREPARE, CREATE VIEW, COMMENT,
 * column defaults...): a second pass over the scanner's tokens removes them.
 * Pass `maskLeftoverLiterals: false` for texts of SELECT/INSERT/UPDATE/DELETE/
 * MERGE only, whose constants normalizeSync does replace: what it keeps there
 * is structure (`ORDER BY 1`, `numeric(10,2)`), and the scan costs as much as
 * the parse.
 */
export function normalizeSql(sql: string, { maskLeftoverLiterals = true } = {}): string | undefined {
  assertLoaded();
  let normalized: string;
  try {
    normalized = normalizeSync(sql);
  } catch {
    return undefined;
  }
  if (NORMALIZE_ERRORS.test(normalized)) return undefined;
  if (maskLeftoverLiterals && MAY_HOLD_LITERALS.test(normalized)) return maskLiterals(normalized);
  if (MAY_HOLD_COMMENTS.test(normalized)) return stripComments(normalized);
  return normalized;
}

/**
 * The tokens of the text on one line, with literals replaced by `$n`
 * (numbered after the text's own parameters) and comments dropped. Works on
 * text that does not parse, so it can still be logged; empty when even the
 * scanner rejects it (an unterminated string, for instance).
 */
export function maskLiterals(sql: string): string {
  assertLoaded();
  const tokens = scanTokens(sql);
  if (!tokens) return '';
  let counter = highestParameter(tokens);
  return rebuild(tokens, (token) => (isLiteral(token) ? `$${++counter}` : token.text));
}

function stripComments(sql: string): string {
  const tokens = scanTokens(sql);
  return tokens ? rebuild(tokens, (token) => token.text) : '';
}

/**
 * Cheap tests for what the second pass removes: a quote, a dollar quote, a
 * number standing alone (not in an identifier like t1 or a parameter like
 * $12), a comment. Most normalized texts have none and skip the scan.
 */
const MAY_HOLD_COMMENTS = /--|\/\*/;
const MAY_HOLD_LITERALS = /'|\$(?!\d)|(?<![\w$])\d|--|\/\*/;

const COMMENT_TOKENS = new Set(['C_COMMENT', 'SQL_COMMENT']);
const LITERAL_TOKENS = new Set(['SCONST', 'USCONST', 'ICONST', 'FCONST', 'BCONST', 'XCONST']);
// The scanner names some literal tokens UNKNOWN (U&'..', B'..', X'..'): recognise them by their opening.
const QUOTED_LITERAL = /^(?:[eEbBxXnN]|[uU]&)?'/;

function isLiteral(token: ScanToken): boolean {
  return LITERAL_TOKENS.has(token.tokenName) || QUOTED_LITERAL.test(token.text);
}

function highestParameter(tokens: ScanToken[]): number {
  let highest = 0;
  for (const token of tokens) {
    if (token.tokenName === 'PARAM') highest = Math.max(highest, Number(token.text.slice(1)) || 0);
  }
  return highest;
}

/**
 * Joins the tokens on one line, a single space wherever whitespace or a
 * comment separated them. Token offsets are UTF-8 byte offsets, so they are
 * only compared with each other, never used to slice the string.
 */
function rebuild(tokens: ScanToken[], render: (token: ScanToken) => string): string {
  let text = '';
  let end = 0;
  let pendingGap = false;
  for (const token of tokens) {
    // Between tokens there is only whitespace; a comment counts as whitespace too.
    pendingGap ||= token.start > end;
    end = token.end;
    if (COMMENT_TOKENS.has(token.tokenName)) {
      pendingGap = true;
      continue;
    }
    if (pendingGap && text !== '') text += ' ';
    pendingGap = false;
    text += render(token);
  }
  return text;
}

function scanTokens(sql: string): ScanToken[] | undefined {
  try {
    return scanSync(sql).tokens;
  } catch {
    return undefined;
  }
}

function assertLoaded(): void {
  if (!loaded) throw new Error(SQL_PARSER_NOT_LOADED());
}
