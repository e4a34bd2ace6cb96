import type { RawStmt } from 'libpg-query';

/**
 * The text of the single parsed statement, without surrounding whitespace or
 * a trailing semicolon, so it can follow `EXPLAIN (...)` or `PREPARE x AS`.
 * The parser's locations are UTF-8 byte offsets, hence the Buffer.
 */
export function statementText(sql: string, statement: RawStmt): string {
  const bytes = Buffer.from(sql, 'utf8');
  const start = statement.stmt_location ?? 0;
  const end = statement.stmt_len ? start + statement.stmt_len : bytes.length;
  return bytes.subarray(start, end).toString('utf8').trim().replace(/;\s*$/, '');
}
