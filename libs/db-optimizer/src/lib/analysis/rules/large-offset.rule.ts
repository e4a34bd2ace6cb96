import { quoteIdent } from '../../sql/quote';
import { LARGE_OFFSET } from './rule-thresholds.constants';
import type { AnalysisRule } from './suggestion.interface';

/**
 * OFFSET of 1000 or more (constant, or a parameter whose value is known):
 * PostgreSQL still reads and throws away every skipped row, so deep pages get
 * slower and slower. Keyset pagination seeks straight to the page.
 */
export const largeOffsetRule: AnalysisRule = {
  id: 'large-offset',
  source: 'statement',
  check(context) {
    const block = context.statement?.blocks.find((candidate) => (candidate.offset ?? 0) >= LARGE_OFFSET);
    if (!block) return [];
    const keys = block.orderBy.map((key) => quoteIdent(key.column));
    const seek =
      keys.length === 0
        ? 'WHERE id > $1 ORDER BY id LIMIT n'
        : keys.length === 1
          ? `WHERE ${keys[0]} > $1 ORDER BY ${keys[0]} LIMIT n`
          : `WHERE (${keys.join(', ')}) > (${keys.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY ${keys.join(', ')} LIMIT n`;
    return [
      {
        ruleId: largeOffsetRule.id,
        severity: 'warning',
        message: `OFFSET ${block.offset} reads and discards ${block.offset} rows before returning any; deeper pages get slower.`,
        fix:
          `Use keyset pagination: remember the last row's sort key and ask for the next page with ${seek} ` +
          '(the sort key must be unique: add the primary key as the last key).',
      },
    ];
  },
};
