import { createHash } from 'node:crypto';
import { STATEMENT_NAME_HASH_CHARS, STATEMENT_NAME_PREFIX } from './statement-cache.constants';

/**
 * The name a SQL text is prepared under: 'dbo_' + 32 hex characters of its SHA-256.
 * Derived from the text alone, so the same text gets the same name on every connection,
 * and short enough that PostgreSQL never truncates it (it cuts identifiers at 63 bytes,
 * which would make long distinct names collide).
 *
 * @example
 * statementName('SELECT * FROM users WHERE id = $1'); // 'dbo_3f1c…' (36 characters)
 */
export function statementName(sql: string): string {
  const digest = createHash('sha256').update(sql).digest('hex');
  return STATEMENT_NAME_PREFIX + digest.slice(0, STATEMENT_NAME_HASH_CHARS);
}
