import { quoteIdent } from '../../sql/quote';
import { suggestPerPredicate } from './rule-helpers';
import type { AnalysisRule } from './suggestion.interface';

const INDEXABLE = new Set(['equality', 'in', 'range']);

/**
 * A filtered column wrapped in a function or cast (`lower(email) = $1`,
 * `created_at::date = $1`): an index on the column cannot serve it. Either
 * index the expression itself, or rewrite the condition on the bare column
 * (`created_at >= $1 AND created_at < $1 + 1`).
 */
export const functionOnColumnRule: AnalysisRule = {
  id: 'function-on-column',
  source: 'statement',
  check(context) {
    return suggestPerPredicate(context, (predicate, table) => {
      const wrapped = predicate.wrapped;
      if (!wrapped || !INDEXABLE.has(predicate.kind)) return undefined;
      const expression = wrapped.sql ?? `${wrapped.function}(${quoteIdent(predicate.column.column)})`;
      return {
        key: `${table ?? ''}:${expression}`,
        suggestion: {
          ruleId: functionOnColumnRule.id,
          severity: 'warning',
          message:
            `The condition on ${expression} wraps column ${quoteIdent(predicate.column.column)} in ` +
            `${wrapped.function === 'cast' ? 'a cast' : `${wrapped.function}()`}: an index on the column cannot serve it. ` +
            'Index the expression, or rewrite the condition on the bare column.',
          fix:
            table && wrapped.sql
              ? `CREATE INDEX CONCURRENTLY ON ${table} ((${wrapped.sql}))`
              : `Index the expression: CREATE INDEX CONCURRENTLY ON <table> ((${expression})).`,
        },
      };
    });
  },
};
