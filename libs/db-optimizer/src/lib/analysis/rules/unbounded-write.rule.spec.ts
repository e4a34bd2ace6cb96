import { loadSqlParser } from '../../sql/parser';
import { ORDERS, ruleContext } from './fixtures/rule-context';
import { unboundedWriteRule } from './unbounded-write.rule';

describe('unboundedWriteRule', () => {
  beforeAll(() => loadSqlParser());

  it('is critical for DELETE without WHERE and points at TRUNCATE', () => {
    expect(unboundedWriteRule.check(ruleContext('DELETE FROM orders', undefined, [ORDERS]))).toEqual([
      expect.objectContaining({ severity: 'critical', fix: 'Add a WHERE clause; to empty the table on purpose, use TRUNCATE shop.orders.' }),
    ]);
  });

  it('is critical for UPDATE without WHERE', () => {
    expect(unboundedWriteRule.check(ruleContext('UPDATE shop.orders SET flag = true'))[0]).toMatchObject({
      severity: 'critical',
      message: 'UPDATE without WHERE changes every row of shop.orders.',
    });
  });

  it('accepts writes with a WHERE, and inserts', () => {
    expect(unboundedWriteRule.check(ruleContext('DELETE FROM shop.orders WHERE id = $1'))).toEqual([]);
    expect(unboundedWriteRule.check(ruleContext('INSERT INTO shop.orders (id) VALUES (1)'))).toEqual([]);
  });
});
