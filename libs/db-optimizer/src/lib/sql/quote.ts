import { scanSync } from 'libpg-query';

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_$]*$/;
// Keywords that may stand as column or table names without quotes (PostgreSQL's quote_ident leaves them bare too).
const BARE_KEYWORD_KINDS = new Set(['NO_KEYWORD', 'UNRESERVED_KEYWORD']);

/**
 * An identifier as PostgreSQL's `quote_ident` would write it: bare when it is
 * lower case and not a reserved word, double-quoted otherwise. Names come
 * from the parser and the catalog, which already hold them case-folded, so
 * `Orders` (created quoted) stays `"Orders"` and `orders` stays `orders`.
 * The keyword test uses the real scanner: requires loadSqlParser().
 */
export function quoteIdent(name: string): string {
  if (PLAIN_IDENTIFIER.test(name) && !isReservedWord(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table`, each part quoted as needed; the schema only when known. */
export function qualifiedName(schema: string | undefined, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/**
 * Always-quoted `"schema"."name"`, the form `to_regclass()` resolves exactly
 * (no case folding): used for catalog look-ups, never shown to users.
 */
export function regclassText(schema: string | undefined, name: string): string {
  const quote = (part: string): string => `"${part.replace(/"/g, '""')}"`;
  return schema ? `${quote(schema)}.${quote(name)}` : quote(name);
}

/**
 * A string constant for SQL text we generate (index expressions, never
 * caller data): standard-conforming quoting, an `E''` form is never needed.
 */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function isReservedWord(name: string): boolean {
  try {
    const token = scanSync(name).tokens[0];
    return token !== undefined && !BARE_KEYWORD_KINDS.has(token.keywordName);
  } catch {
    return true;
  }
}
