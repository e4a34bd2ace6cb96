import { quoteIdent } from '../sql/quote';
import { tableNameFor } from './rule-helpers';
import type { AnalysisRule, Suggestion } from './suggestion.interface';

/**
 * `LIKE '%x'` / `ILIKE '%x'` (pattern known from a constant or the
 * parameter's value): a b-tree cannot search from the middle of a string, so
 * every row is read. A trigram GIN index (pg_trgm) serves both.
 */
export const leadingWildcardRule: AnalysisRule = {
  id: 'leading-wildcard',
  source: 'statement',
  check(context) {
    const suggestions: Suggestion[] = [];
    const seen = new Set<string>();
    for (const block of context.statement?.blocks ?? []) {
      for (const predicate of block.predicates) {
        if (!predicate.leadingWildcard || predicate.wrapped) continue;
        const table = tableNameFor(context, predicate.column.relation);
        const column = quoteIdent(predicate.column.column);
        const key = `${table ?? ''}.${column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const operator = predicate.kind === 'ilike' ? 'ILIKE' : 'LIKE';
        suggestions.push({
          ruleId: leadingWildcardRule.id,
          severity: 'warning',
          message: `${operator} with a leading wildcard on ${column} cannot use a b-tree index: every row${table ? ` of ${table}` : ''} is read.`,
          fix: `CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX CONCURRENTLY ON ${table ?? '<table>'} USING gin (${column} gin_trgm_ops)`,
        });
      }
    }
    return suggestions;
  },
};
