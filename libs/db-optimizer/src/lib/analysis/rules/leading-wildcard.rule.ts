import { quoteIdent } from '../../sql/quote';
import { suggestPerPredicate } from './rule-helpers';
import type { AnalysisRule } from './suggestion.interface';

/**
 * `LIKE '%x'` / `ILIKE '%x'` (pattern known from a constant or the
 * parameter's value): a b-tree cannot search from the middle of a string, so
 * every row is read. A trigram GIN index (pg_trgm) serves both.
 */
export const leadingWildcardRule: AnalysisRule = {
  id: 'leading-wildcard',
  source: 'statement',
  check(context) {
    return suggestPerPredicate(context, (predicate, table) => {
      if (!predicate.leadingWildcard || predicate.wrapped) return undefined;
      const column = quoteIdent(predicate.column.column);
      const operator = predicate.kind === 'ilike' ? 'ILIKE' : 'LIKE';
      return {
        key: `${table ?? ''}.${column}`,
        suggestion: {
          ruleId: leadingWildcardRule.id,
          severity: 'warning',
          message: `${operator} with a leading wildcard on ${column} cannot use a b-tree index: every row${table ? ` of ${table}` : ''} is read.`,
          fix: `CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX CONCURRENTLY ON ${table ?? '<table>'} USING gin (${column} gin_trgm_ops)`,
        },
      };
    });
  },
};
