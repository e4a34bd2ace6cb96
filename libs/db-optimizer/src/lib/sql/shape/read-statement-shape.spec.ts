import { loadSqlParser, parseSql } from '../parser';
import { readStatementShape } from './read-statement-shape';

const shapeOf = (sql: string, params: unknown[] = []) => readStatementShape(parseSql(sql).stmts?.[0]?.stmt, params);

describe('readStatementShape', () => {
  beforeAll(() => loadSqlParser());

  it('resolves aliased columns of joins and WHERE to their tables', () => {
    const shape = shapeOf('SELECT o.id FROM shop.orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = $1 AND c.region IN (1, 2)');
    const [block] = shape?.blocks ?? [];
    expect(block.relations).toEqual([
      { schema: 'shop', name: 'orders', alias: 'o' },
      { schema: undefined, name: 'customers', alias: 'c' },
    ]);
    expect(block.predicates.map((p) => [p.kind, p.column.relation?.name, p.column.column, p.joinedTo?.column])).toEqual([
      ['equality', 'customers', 'id', 'customer_id'],
      ['equality', 'orders', 'customer_id', 'id'],
      ['equality', 'orders', 'status', undefined],
      ['in', 'customers', 'region', undefined],
    ]);
  });

  it('marks conditions under OR as not conjunctive and reads ranges, NULL tests and wrapped columns', () => {
    const [block] = shapeOf('SELECT 1 FROM t WHERE (a = 1 OR b = 2) AND c BETWEEN 1 AND 5 AND d IS NULL AND lower(e) = $1')?.blocks ?? [];
    expect(block.predicates.map((p) => [p.kind, p.column.column, p.conjunctive, p.wrapped?.sql])).toEqual([
      ['equality', 'a', false, undefined],
      ['equality', 'b', false, undefined],
      ['range', 'c', true, undefined],
      ['null', 'd', true, undefined],
      ['equality', 'e', true, 'lower(e)'],
    ]);
  });

  it('makes a block of each subquery and CTE body, and does not take CTE names for tables', () => {
    const shape = shapeOf('WITH recent AS (SELECT * FROM orders WHERE created_at > $1) SELECT * FROM recent r WHERE r.id IN (SELECT order_id FROM items WHERE sku = $2)');
    expect(shape?.blocks.map((block) => [block.topLevel, block.relations.map((r) => r.name)])).toEqual([
      [true, []],
      [false, ['orders']],
      [false, ['items']],
    ]);
  });

  it('reads LIMIT, OFFSET, ORDER BY, SELECT * and aggregates of the top level', () => {
    const [block] = shapeOf('SELECT * FROM t ORDER BY created_at DESC, id LIMIT 10 OFFSET $1', [3000])?.blocks ?? [];
    expect(block).toMatchObject({ hasLimit: true, offset: 3000, selectsStar: true, aggregates: false, hasWhere: false });
    expect(block.orderBy.map((key) => key.column)).toEqual(['created_at', 'id']);
    expect(shapeOf('SELECT count(*) FROM t')?.blocks[0].aggregates).toBe(true);
  });

  it('reads the target and WHERE of UPDATE and DELETE', () => {
    expect(shapeOf('UPDATE shop.orders SET a = 1')?.blocks[0]).toMatchObject({ hasWhere: false, relations: [{ schema: 'shop', name: 'orders' }] });
    expect(shapeOf('DELETE FROM orders o USING customers c WHERE c.id = o.customer_id')).toMatchObject({ kind: 'delete', blocks: [{ hasWhere: true }] });
  });

  it('returns undefined for statements EXPLAIN does not take', () => {
    expect(shapeOf('VACUUM orders')).toBeUndefined();
  });

  it('keeps no constant from the text', () => {
    const shape = shapeOf("SELECT * FROM users WHERE email LIKE '%secret-domain.com' AND name = 'Alice' OFFSET 10");
    expect(JSON.stringify(shape)).not.toMatch(/secret|Alice/);
  });
});
