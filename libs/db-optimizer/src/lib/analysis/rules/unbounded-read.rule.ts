import { LARGE_TABLE_ROWS } from './rule-thresholds.constants';
import { formatCount, tableNameFor } from './rule-helpers';
import type { AnalysisRule } from './suggestion.interface';

/**
 * A top-level SELECT with neither WHERE nor LIMIT over a large table (10k+
 * rows, from the catalog): it returns the whole table to the application.
 * Aggregates (one row per group) are fine. Needs table sizes: silent without a database.
 */
export const unboundedReadRule: AnalysisRule = {
  id: 'unbounded-read',
  source: 'statement',
  check(context) {
    const top = context.statement?.blocks[0];
    if (context.statement?.kind !== 'select' || !top?.topLevel || top.hasWhere || top.hasLimit || top.aggregates) return [];
    const largest = top.relations
      .map((relation) => ({ relation, rows: context.tables.find(relation.schema, relation.name)?.rows ?? 0 }))
      .sort((a, b) => b.rows - a.rows)[0];
    if (!largest || largest.rows < LARGE_TABLE_ROWS) return [];
    const table = tableNameFor(context, largest.relation) ?? largest.relation.name;
    return [
      {
        ruleId: unboundedReadRule.id,
        severity: 'warning',
        message: `SELECT without WHERE or LIMIT returns all of ${table} (about ${formatCount(largest.rows)} rows) to the application.`,
        fix: 'Filter with WHERE, or page through the rows with LIMIT and keyset pagination (WHERE id > $1 ORDER BY id LIMIT 100).',
      },
    ];
  },
};
