import { loadSqlParser } from '../../sql/parser';
import { CUSTOMERS, ORDERS, ruleContext } from './fixtures/rule-context';
import { unboundedReadRule } from './unbounded-read.rule';

describe('unboundedReadRule', () => {
  beforeAll(() => loadSqlParser());

  it('warns when a whole large table goes to the application', () => {
    expect(unboundedReadRule.check(ruleContext('SELECT id, email FROM orders', undefined, [ORDERS]))).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('all of shop.orders (about 100k rows)') }),
    ]);
  });

  it('accepts a LIMIT, a WHERE, an aggregate or a small table', () => {
    const tables = [ORDERS, CUSTOMERS];
    expect(unboundedReadRule.check(ruleContext('SELECT id FROM shop.orders LIMIT 10', undefined, tables))).toEqual([]);
    expect(unboundedReadRule.check(ruleContext('SELECT id FROM shop.orders WHERE flag', undefined, tables))).toEqual([]);
    expect(unboundedReadRule.check(ruleContext('SELECT count(*) FROM shop.orders', undefined, tables))).toEqual([]);
    expect(unboundedReadRule.check(ruleContext('SELECT id FROM shop.customers', undefined, tables))).toEqual([]);
  });

  it('needs table sizes: silent without a catalog', () => {
    expect(unboundedReadRule.check(ruleContext('SELECT id FROM shop.orders'))).toEqual([]);
  });
});
