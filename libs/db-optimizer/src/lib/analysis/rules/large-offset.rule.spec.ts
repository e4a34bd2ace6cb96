import { loadSqlParser } from '../../sql/parser';
import { ruleContext } from './fixtures/rule-context';
import { largeOffsetRule } from './large-offset.rule';

describe('largeOffsetRule', () => {
  beforeAll(() => loadSqlParser());

  it('suggests keyset pagination on the ORDER BY keys for OFFSET 1000 and more', () => {
    const [suggestion] = largeOffsetRule.check(ruleContext('SELECT id FROM orders ORDER BY created_at, id LIMIT 20 OFFSET 5000'));
    expect(suggestion.severity).toBe('warning');
    expect(suggestion.fix).toContain('WHERE (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT n');
  });

  it('reads the offset from a parameter value', () => {
    const sql = 'SELECT id FROM orders ORDER BY id LIMIT 20 OFFSET $1';
    expect(largeOffsetRule.check(ruleContext(sql, undefined, [], [2000]))).toHaveLength(1);
    expect(largeOffsetRule.check(ruleContext(sql, undefined, [], [40]))).toEqual([]);
    expect(largeOffsetRule.check(ruleContext(sql))).toEqual([]);
  });
});
