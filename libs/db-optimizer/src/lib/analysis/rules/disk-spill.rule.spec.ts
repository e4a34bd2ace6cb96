import { loadSqlParser } from '../../sql/parser';
import { diskSpillRule } from './disk-spill.rule';
import hashBatches from '../rules/fixtures/hash-batches.json';
import hashAggSpill from '../rules/fixtures/hashagg-spill.json';
import pkLookup from '../rules/fixtures/pk-lookup.json';
import { ruleContext } from './fixtures/rule-context';
import sortSpill from '../rules/fixtures/sort-spill.json';

describe('diskSpillRule', () => {
  beforeAll(() => loadSqlParser());

  it('sizes work_mem at twice the disk space of a spilled sort', () => {
    // 4648 kB on disk: about 9.1 MB in memory, rounded up.
    expect(diskSpillRule.check(ruleContext('SELECT 1', sortSpill))).toEqual([
      expect.objectContaining({ severity: 'warning', node: { nodeType: 'Sort', path: '0' }, fix: "SET work_mem = '10MB'" }),
    ]);
  });

  it('reports a hash split into batches', () => {
    const [suggestion] = diskSpillRule.check(ruleContext('SELECT 1', hashBatches));
    expect(suggestion.message).toContain('Hash split into 4 batches');
    expect(suggestion.fix).toBe("SET work_mem = '1MB'");
  });

  it('reports a hash aggregate that wrote to disk', () => {
    const [suggestion] = diskSpillRule.check(ruleContext('SELECT 1', hashAggSpill));
    expect(suggestion.message).toContain('wrote 7240 kB to disk in 341 batches');
    expect(suggestion.fix).toBe("SET work_mem = '8MB'");
  });

  it('says nothing when everything fit in memory', () => {
    expect(diskSpillRule.check(ruleContext('SELECT 1', pkLookup))).toEqual([]);
  });
});
