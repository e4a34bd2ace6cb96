import { loadSqlParser } from '../../sql/parser';
import correlated from '../rules/fixtures/correlated-misestimate.json';
import { ORDERS, ruleContext } from './fixtures/rule-context';
import hashBatches from '../rules/fixtures/hash-batches.json';
import selective from '../rules/fixtures/seq-scan-selective.json';
import { rowEstimateRule } from './row-estimate.rule';

describe('rowEstimateRule', () => {
  beforeAll(() => loadSqlParser());

  it('flags a 100x underestimate on correlated columns and suggests dependency statistics', () => {
    const context = ruleContext('SELECT * FROM shop.orders WHERE a = 5 AND b = 5', correlated, [ORDERS]);
    expect(rowEstimateRule.check(context)).toEqual([
      expect.objectContaining({
        ruleId: 'row-estimate',
        severity: 'warning',
        fix: 'CREATE STATISTICS shop.orders_a_b_stats (dependencies) ON a, b FROM shop.orders; ANALYZE shop.orders',
      }),
    ]);
    expect(rowEstimateRule.check(context)[0].message).toContain('expected 2 rows per loop but got 200 (100x under)');
  });

  it('is critical from 1000x and suggests ANALYZE for a single filtered column', () => {
    const plan = structuredClone(selective);
    plan[0].Plan['Plan Rows'] = 1;
    plan[0].Plan['Actual Rows'] = 5000;
    const [suggestion] = rowEstimateRule.check(ruleContext('SELECT * FROM shop.orders WHERE customer_id = 42', plan, [ORDERS]));
    expect(suggestion.severity).toBe('critical');
    expect(suggestion.fix).toBe('ANALYZE shop.orders');
  });

  it('reports the misestimate where it starts, not again on every node above it', () => {
    const plan = structuredClone(hashBatches);
    const outerScan = plan[0].Plan.Plans[0];
    outerScan['Plan Rows'] = 100;
    const suggestions = rowEstimateRule.check(ruleContext('SELECT 1', plan));
    expect(suggestions.map((suggestion) => suggestion.node?.path)).toEqual(['0.0']);
  });

  it('stays quiet when estimates are right', () => {
    expect(rowEstimateRule.check(ruleContext('SELECT * FROM shop.orders WHERE customer_id = 42', selective, [ORDERS]))).toEqual([]);
  });
});
