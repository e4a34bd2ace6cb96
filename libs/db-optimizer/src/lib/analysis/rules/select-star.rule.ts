import type { AnalysisRule } from './suggestion.interface';

/**
 * `SELECT *` at the top of a query: it ships every column (wide text and
 * JSON included), defeats index-only scans, and breaks callers when columns
 * are added. `EXISTS (SELECT * ...)` and subqueries are left alone.
 */
export const selectStarRule: AnalysisRule = {
  id: 'select-star',
  source: 'statement',
  check(context) {
    const top = context.statement?.blocks[0];
    if (context.statement?.kind !== 'select' || !top?.topLevel || !top.selectsStar) return [];
    return [
      {
        ruleId: selectStarRule.id,
        severity: 'info',
        message:
          'SELECT * returns every column: more bytes on the wire, no index-only scan, ' +
          'and results that change shape when a column is added.',
        fix: 'List only the columns the caller uses: SELECT id, name ... instead of SELECT *.',
      },
    ];
  },
};
