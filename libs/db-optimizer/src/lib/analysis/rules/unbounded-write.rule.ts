import { tableNameFor } from './rule-helpers';
import type { AnalysisRule } from './suggestion.interface';

/** UPDATE or DELETE without WHERE: every row of the table changes. Almost always a mistake. */
export const unboundedWriteRule: AnalysisRule = {
  id: 'unbounded-write',
  source: 'statement',
  check(context) {
    const statement = context.statement;
    const top = statement?.blocks[0];
    if (!statement || !top || (statement.kind !== 'update' && statement.kind !== 'delete') || top.hasWhere) return [];
    const table = tableNameFor(context, top.relations[0]) ?? 'the table';
    const verb = statement.kind.toUpperCase();
    return [
      {
        ruleId: unboundedWriteRule.id,
        severity: 'critical',
        message: `${verb} without WHERE changes every row of ${table}.`,
        fix:
          statement.kind === 'delete'
            ? `Add a WHERE clause; to empty the table on purpose, use TRUNCATE ${table}.`
            : `Add a WHERE clause naming the rows to change.`,
      },
    ];
  },
};
