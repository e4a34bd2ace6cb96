import { loadSqlParser } from '../../sql/parser';
import { ORDERS, ruleContext } from './fixtures/rule-context';
import parallelLike from '../rules/fixtures/parallel-seq-scan.json';
import pkLookup from '../rules/fixtures/pk-lookup.json';
import selective from '../rules/fixtures/seq-scan-selective.json';
import { seqScanFilterRule } from './seq-scan-filter.rule';

describe('seqScanFilterRule', () => {
  beforeAll(() => loadSqlParser());

  it('suggests an index on the filtered column of a large table', () => {
    const context = ruleContext('SELECT * FROM shop.orders WHERE customer_id = $1', selective, [ORDERS]);
    expect(seqScanFilterRule.check(context)).toEqual([
      expect.objectContaining({
        ruleId: 'seq-scan-filter',
        severity: 'critical',
        node: { nodeType: 'Seq Scan', relation: 'shop.orders', path: '0' },
        fix: 'CREATE INDEX CONCURRENTLY ON shop.orders (customer_id)',
      }),
    ]);
  });

  it('suggests ANALYZE instead when an index on that column already exists', () => {
    const indexed = { ...ORDERS, indexes: [...ORDERS.indexes, { name: 'orders_customer_id_idx', columns: ['customer_id'], usable: true }] };
    const [suggestion] = seqScanFilterRule.check(ruleContext('SELECT * FROM shop.orders WHERE customer_id = 42', selective, [indexed]));
    expect(suggestion.fix).toBe('ANALYZE shop.orders');
    expect(suggestion.message).toContain('although an index on (customer_id) exists');
  });

  it('leaves tables under 10k rows alone', () => {
    const small = { ...ORDERS, rows: 9000 };
    expect(seqScanFilterRule.check(ruleContext('SELECT * FROM shop.orders WHERE customer_id = 42', selective, [small]))).toEqual([]);
  });

  it('counts rows over all parallel workers and suggests a trigram index for LIKE with a leading wildcard', () => {
    const [suggestion] = seqScanFilterRule.check(
      ruleContext("SELECT count(*) FROM shop.orders WHERE email LIKE '%ab'", parallelLike, [ORDERS]),
    );
    expect(suggestion.severity).toBe('critical');
    expect(suggestion.fix).toBe(
      'CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX CONCURRENTLY ON shop.orders USING gin (email gin_trgm_ops)',
    );
  });

  it('falls back to the plan numbers when the catalog does not know the table', () => {
    const [suggestion] = seqScanFilterRule.check(ruleContext('SELECT * FROM shop.orders WHERE customer_id = 42', selective));
    expect(suggestion.fix).toBe('CREATE INDEX CONCURRENTLY ON shop.orders (customer_id)');
  });

  it('says nothing about an index scan', () => {
    expect(seqScanFilterRule.check(ruleContext('SELECT * FROM shop.orders WHERE id = 42', pkLookup, [ORDERS]))).toEqual([]);
  });
});
