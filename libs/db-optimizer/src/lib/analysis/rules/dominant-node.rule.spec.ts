import { loadSqlParser } from '../../sql/parser';
import { dominantNodeRule } from './dominant-node.rule';
import pkLookup from '../rules/fixtures/pk-lookup.json';
import { ruleContext } from './fixtures/rule-context';
import sortSpill from '../rules/fixtures/sort-spill.json';

describe('dominantNodeRule', () => {
  beforeAll(() => loadSqlParser());

  it('names the node with the largest exclusive time', () => {
    // Sort: 89.3 ms in total, 11.3 ms of it in the scan below: 78 ms of 93.3 ms on its own.
    const [suggestion] = dominantNodeRule.check(ruleContext('SELECT 1', sortSpill));
    expect(suggestion).toMatchObject({ ruleId: 'dominant-node', severity: 'warning', node: { nodeType: 'Sort', path: '0' } });
    expect(suggestion.message).toContain('takes 84% of the execution time');
  });

  it('says nothing about a one-node plan or a fast query', () => {
    expect(dominantNodeRule.check(ruleContext('SELECT 1', pkLookup))).toEqual([]);
  });
});
