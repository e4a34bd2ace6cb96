import { loadSqlParser } from '../../sql/parser';
import { ruleContext } from './fixtures/rule-context';
import { selectStarRule } from './select-star.rule';

describe('selectStarRule', () => {
  beforeAll(() => loadSqlParser());

  it('flags SELECT * and SELECT t.* at the top level', () => {
    expect(selectStarRule.check(ruleContext('SELECT * FROM shop.orders WHERE id = 1'))).toEqual([
      expect.objectContaining({ ruleId: 'select-star', severity: 'info' }),
    ]);
    expect(selectStarRule.check(ruleContext('SELECT o.* FROM shop.orders o'))).toHaveLength(1);
  });

  it('leaves explicit columns and EXISTS (SELECT * ...) alone', () => {
    expect(selectStarRule.check(ruleContext('SELECT id, email FROM shop.orders'))).toEqual([]);
    expect(selectStarRule.check(ruleContext('SELECT id FROM shop.customers c WHERE EXISTS (SELECT * FROM shop.orders o WHERE o.customer_id = c.id)'))).toEqual([]);
  });
});
