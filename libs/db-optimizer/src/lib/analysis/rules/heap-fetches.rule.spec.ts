import { loadSqlParser } from '../../sql/parser';
import indexOnly from '../rules/fixtures/index-only-heap-fetches.json';
import { ruleContext } from './fixtures/rule-context';
import { heapFetchesRule } from './heap-fetches.rule';

describe('heapFetchesRule', () => {
  beforeAll(() => loadSqlParser());

  it('is critical when every row of an index-only scan came from the heap', () => {
    expect(heapFetchesRule.check(ruleContext('SELECT kind FROM shop.events WHERE kind < 10', indexOnly))).toEqual([
      expect.objectContaining({ severity: 'critical', fix: 'VACUUM (ANALYZE) shop.events' }),
    ]);
  });

  it('grades by the share of rows fetched: info above 0, warning above 40%', () => {
    const plan = structuredClone(indexOnly);
    plan[0].Plan['Heap Fetches'] = 250;
    expect(heapFetchesRule.check(ruleContext('SELECT 1', plan))[0].severity).toBe('warning');
    plan[0].Plan['Heap Fetches'] = 5;
    expect(heapFetchesRule.check(ruleContext('SELECT 1', plan))[0].severity).toBe('info');
    plan[0].Plan['Heap Fetches'] = 0;
    expect(heapFetchesRule.check(ruleContext('SELECT 1', plan))).toEqual([]);
  });
});
