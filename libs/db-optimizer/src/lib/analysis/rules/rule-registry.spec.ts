import { loadSqlParser } from '../../sql/parser';
import { ORDERS, ruleContext } from './fixtures/rule-context';
import selective from '../rules/fixtures/seq-scan-selective.json';
import { ANALYSIS_RULES, runRules } from './rule-registry';

describe('runRules', () => {
  beforeAll(() => loadSqlParser());

  it('has one rule per id', () => {
    expect(new Set(ANALYSIS_RULES.map((rule) => rule.id)).size).toBe(ANALYSIS_RULES.length);
  });

  it('runs plan and statement rules and sorts the suggestions most severe first', () => {
    const suggestions = runRules(ruleContext('SELECT * FROM shop.orders WHERE customer_id = 42', selective, [ORDERS]));
    expect(suggestions.map((suggestion) => [suggestion.ruleId, suggestion.severity])).toEqual([
      ['seq-scan-filter', 'critical'],
      ['select-star', 'info'],
    ]);
  });

  it('runs only statement rules without a plan', () => {
    const suggestions = runRules(ruleContext('DELETE FROM shop.orders'));
    expect(suggestions.map((suggestion) => suggestion.ruleId)).toEqual(['unbounded-write']);
  });
});
