import { quoteIdent } from '../sql/quote';
import { tableNameFor } from './rule-helpers';
import type { AnalysisRule, Suggestion } from './suggestion.interface';

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
    const suggestions: Suggestion[] = [];
    const seen = new Set<string>();
    for (const block of context.statement?.blocks ?? []) {
      for (const predicate of block.predicates) {
        const wrapped = predicate.wrapped;
        if (!wrapped || !INDEXABLE.has(predicate.kind)) continue;
        const table = tableNameFor(context, predicate.column.relation);
        const expression = wrapped.sql ?? `${wrapped.function}(${quoteIdent(predicate.column.column)})`;
        if (seen.has(`${table ?? ''}:${expression}`)) continue;
        seen.add(`${table ?? ''}:${expression}`);
        suggestions.push({
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
        });
      }
    }
    return suggestions;
  },
};
