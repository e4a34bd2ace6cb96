import { createHash } from 'node:crypto';
import type { QueryClassification } from '../core/query-classification.interface';

const identities = new WeakMap<QueryClassification, string>();

/**
 * What stands for the SQL text in a cache key. The read path receives the classification,
 * not the text, and `normalizedSql` would merge texts that differ only in constants. The
 * parse tree holds every constant, name and operator of the statement, so its hash tells
 * apart any two texts that mean different things (texts differing only in comments or
 * spacing may get different keys, which costs a miss, never a wrong answer).
 *
 * Computed once per classification (the classifier caches them per text).
 * Undefined for an unparseable text (never cacheable anyway).
 */
export function statementIdentity(classification: QueryClassification): string | undefined {
  const known = identities.get(classification);
  if (known !== undefined) return known;
  if (classification.parseTree === undefined) return undefined;
  const identity = createHash('sha256').update(JSON.stringify(classification.parseTree)).digest('base64url');
  identities.set(classification, identity);
  return identity;
}
