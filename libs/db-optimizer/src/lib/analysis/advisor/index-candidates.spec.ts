import { loadSqlParser, parseSql } from '../../sql/parser';
import { TableStatsCatalog } from '../../pg-catalog/table-stats-catalog';
import { CUSTOMERS, ORDERS } from '../rules/fixtures/rule-context';
import { readStatementShape } from '../../sql/shape/read-statement-shape';
import type { StatementShape } from '../../sql/shape/statement-shape.interface';
import { indexCandidates } from './index-candidates';

const shapeOf = (sql: string): StatementShape => readStatementShape(parseSql(sql).stmts?.[0]?.stmt) as StatementShape;
const catalog = TableStatsCatalog.of([ORDERS, CUSTOMERS]);
const describeCandidates = (sql: string, max = 20): string[] =>
  indexCandidates(shapeOf(sql), catalog, max).map((candidate) => `${candidate.table.name}(${candidate.columns.join(',')})`);

describe('indexCandidates', () => {
  beforeAll(() => loadSqlParser());

  it('takes equality, range and first ORDER BY columns alone, then in pairs', () => {
    expect(describeCandidates('SELECT * FROM shop.orders WHERE customer_id = $1 AND a = $2 AND created_at > $3 ORDER BY email')).toEqual([
      'orders(customer_id)',
      'orders(a)',
      'orders(created_at)',
      'orders(email)',
      'orders(customer_id,a)',
      'orders(customer_id,created_at)',
      'orders(customer_id,email)',
      'orders(a,created_at)',
      'orders(a,email)',
    ]);
  });

  it('takes join keys for each side and skips what an index already leads with', () => {
    // orders(id) leads the primary key: not a candidate alone, still the range half of a pair.
    expect(describeCandidates('SELECT o.id FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id WHERE o.id > $1')).toEqual([
      'orders(customer_id)',
      'customers(id)',
      'orders(customer_id,id)',
    ]);
  });

  it('ignores conditions under OR, wrapped columns and tables the catalog does not know', () => {
    expect(describeCandidates('SELECT 1 FROM shop.orders WHERE (a = 1 OR b = 2) AND lower(email) = $1')).toEqual([]);
    expect(describeCandidates('SELECT 1 FROM elsewhere.things WHERE x = 1')).toEqual([]);
  });

  it('stops at the maximum', () => {
    expect(describeCandidates('SELECT 1 FROM shop.orders WHERE customer_id = 1 AND a = 2 AND b = 3', 2)).toHaveLength(2);
  });
});
