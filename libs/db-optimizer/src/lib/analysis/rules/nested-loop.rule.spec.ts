import { loadSqlParser } from '../../sql/parser';
import { CUSTOMERS, ORDERS, ruleContext } from './fixtures/rule-context';
import indexedLoop from '../rules/fixtures/nested-loop-index.json';
import manyScans from '../rules/fixtures/nested-loop-many-seq.json';
import fewScans from '../rules/fixtures/nested-loop-seq.json';
import { nestedLoopRule } from './nested-loop.rule';

describe('nestedLoopRule', () => {
  beforeAll(() => loadSqlParser());

  it('suggests an index on the inner table\'s join key when it is scanned on every loop', () => {
    const sql = 'SELECT o.id, c.name FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id WHERE o.id <= 1500';
    expect(nestedLoopRule.check(ruleContext(sql, manyScans, [ORDERS, CUSTOMERS]))).toEqual([
      expect.objectContaining({
        severity: 'warning',
        node: { nodeType: 'Nested Loop', path: '0.0' },
        fix: 'CREATE INDEX CONCURRENTLY ON shop.customers (id)',
      }),
    ]);
  });

  it('ignores an inner side that ran fewer than 1000 times', () => {
    const sql = 'SELECT c.name, o.id FROM shop.customers c JOIN shop.orders o ON o.customer_id = c.id WHERE c.id < 30';
    expect(nestedLoopRule.check(ruleContext(sql, fewScans))).toEqual([]);
  });

  it('notes many index lookups that take most of the time, pointing at statistics and hash joins', () => {
    const sql = 'SELECT c.name, o.id FROM shop.customers c JOIN shop.orders o ON o.id = c.id';
    const [suggestion] = nestedLoopRule.check(ruleContext(sql, indexedLoop));
    expect(suggestion).toMatchObject({ severity: 'info', fix: 'ANALYZE shop.customers, then compare the plan with SET enable_nestloop = off' });
  });
});
