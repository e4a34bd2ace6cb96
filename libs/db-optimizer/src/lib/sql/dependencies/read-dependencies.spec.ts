import { loadSqlParser } from '../../sql/parser';
import { QueryClassifier } from '../../classify/query-classifier';
import { CacheDependencyAnalyzer } from './cache-dependency-analyzer';
import * as readShapeModule from './read-shape';
import { InMemoryTableCatalog } from '../../pg-catalog/testing/in-memory-dependency-catalog';

describe('CacheDependencyAnalyzer', () => {
  const classifier = new QueryClassifier(100);
  const catalog = new InMemoryTableCatalog(
    [
      { name: 'public.users', primaryKey: ['id'] },
      { name: 'public.orders', primaryKey: ['id'], members: ['public.orders_2024', 'public.orders_2025'] },
      { name: 'public.order_lines', primaryKey: ['order_id', { name: 'line', type: 'integer' }] },
      { name: 'public.tags', primaryKey: [{ name: 'code', type: 'text' }] },
      { name: 'public.sessions', primaryKey: [{ name: 'token', type: 'uuid' }] },
      { name: 'public.active_users', readTargets: ['public.active_users', 'public.users'] },
      { name: 'public.remote', readTargets: null },
      { name: 'public.logs' },
      { name: 'app.users', primaryKey: ['id'] },
    ],
    { searchPath: ['public'] },
  );
  const analyzer = new CacheDependencyAnalyzer(catalog);
  const read = (sql: string, params: unknown[] = []) => analyzer.readDependencies(classifier.classify(sql), params);

  beforeAll(() => loadSqlParser());

  describe('#readDependencies by row', () => {
    it('depends on the row a primary-key equality names', async () => {
      await expect(read('SELECT * FROM users WHERE id = $1', [7])).resolves.toEqual({ tables: [{ table: 'public.users', rowKeys: ['7'] }] });
    });

    it('keeps row level with more conditions ANDed', async () => {
      await expect(read('SELECT name FROM users WHERE id = $1 AND status = $2', [7, 'active'])).resolves.toEqual({
        tables: [{ table: 'public.users', rowKeys: ['7'] }],
      });
    });

    it('reads the parameter on either side of the equality', async () => {
      await expect(read('SELECT * FROM users u WHERE $1 = u.id', ['7'])).resolves.toEqual({ tables: [{ table: 'public.users', rowKeys: ['7'] }] });
    });

    it('reads a constant written in the text, through a transparent cast', async () => {
      await expect(read("SELECT * FROM users WHERE id = '007'::int4")).resolves.toEqual({ tables: [{ table: 'public.users', rowKeys: ['7'] }] });
    });

    it('gives the same key to 7, "7" and " 07" for an integer key', async () => {
      for (const value of [7, '7', ' 07', 7n]) {
        await expect(read('SELECT * FROM users WHERE id = $1', [value])).resolves.toEqual({ tables: [{ table: 'public.users', rowKeys: ['7'] }] });
      }
    });

    it('keeps text keys apart that differ in spelling', async () => {
      await expect(read('SELECT * FROM tags WHERE code = $1', ['05'])).resolves.toEqual({ tables: [{ table: 'public.tags', rowKeys: ['05'] }] });
    });

    it('normalises uuid keys', async () => {
      await expect(read('SELECT * FROM sessions WHERE token = $1', ['{A0EEBC999C0B4EF8BB6D6BB9BD380A11}'])).resolves.toEqual({
        tables: [{ table: 'public.sessions', rowKeys: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'] }],
      });
    });

    it('depends on several rows for IN lists and = ANY($1)', async () => {
      await expect(read('SELECT * FROM users WHERE id IN ($1, $2, 3)', [1, 2])).resolves.toEqual({ tables: [{ table: 'public.users', rowKeys: ['1', '2', '3'] }] });
      await expect(read('SELECT * FROM users WHERE id = ANY($1::int[])', [[4, 5]])).resolves.toEqual({ tables: [{ table: 'public.users', rowKeys: ['4', '5'] }] });
    });

    it('uses every column of a composite key, in key order', async () => {
      await expect(read('SELECT * FROM order_lines WHERE line = $2 AND order_id = $1', [10, 2])).resolves.toEqual({
        tables: [{ table: 'public.order_lines', rowKeys: ['["10","2"]'] }],
      });
    });

    it('maps a partition to the root of its tree', async () => {
      await expect(read('SELECT * FROM orders_2024 WHERE id = $1', [1])).resolves.toEqual({ tables: [{ table: 'public.orders', rowKeys: ['1'] }] });
    });
  });

  describe('#readDependencies by table', () => {
    it.each([
      ['no WHERE', 'SELECT * FROM users', []],
      ['a range', 'SELECT * FROM users WHERE id > $1', [1]],
      ['OR', 'SELECT * FROM users WHERE id = $1 OR id = $2', [1, 2]],
      ['a pinned column that is not the key', 'SELECT * FROM users WHERE email = $1', ['a@b.c']],
      ['part of a composite key', 'SELECT * FROM order_lines WHERE order_id = $1', [1]],
      ['a NULL parameter', 'SELECT * FROM users WHERE id = $1', [null]],
      ['an integer key given a fraction', 'SELECT * FROM users WHERE id = $1', [1.5]],
      ['a cast that truncates', "SELECT * FROM tags WHERE code = $1::varchar(2)", ['abc']],
      ['a subquery', 'SELECT * FROM users WHERE id = $1 AND EXISTS (SELECT 1 FROM users x WHERE x.id = 2)', [1]],
      ['a key pinned twice', 'SELECT * FROM users WHERE id = $1 AND id = $2', [1, 2]],
    ])('depends on the whole table for %s', async (_label, sql, params) => {
      await expect(read(sql, params)).resolves.toEqual({ tables: [{ table: sql.includes('order_lines') ? 'public.order_lines' : sql.includes('tags') ? 'public.tags' : 'public.users' }] });
    });

    it('depends on every joined table as a whole', async () => {
      await expect(read('SELECT * FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id = $1', [1])).resolves.toEqual({
        tables: [{ table: 'public.users' }, { table: 'public.orders' }],
      });
    });

    it('depends on a view and its base tables', async () => {
      await expect(read('SELECT * FROM active_users WHERE id = $1', [1])).resolves.toEqual({
        tables: [{ table: 'public.active_users' }, { table: 'public.users' }],
      });
    });

    it('depends on a table without primary key as a whole', async () => {
      await expect(read('SELECT * FROM logs WHERE id = $1', [1])).resolves.toEqual({ tables: [{ table: 'public.logs' }] });
    });
  });

  describe('#readDependencies names', () => {
    it('resolves qualified and unqualified names to the same table', async () => {
      const qualified = await read('SELECT * FROM public.users WHERE public.users.id = $1', [3]);
      const unqualified = await read('SELECT * FROM users WHERE id = $1', [3]);
      expect(qualified).toEqual(unqualified);
    });

    it('keeps tables of the same name in different schemas apart', async () => {
      await expect(read('SELECT * FROM app.users WHERE id = $1', [3])).resolves.toEqual({ tables: [{ table: 'app.users', rowKeys: ['3'] }] });
    });
  });

  describe('#readDependencies refusals', () => {
    it.each([
      ['a table that does not resolve', 'SELECT * FROM nowhere'],
      ['a relation whose reads are not tracked', 'SELECT * FROM remote'],
      ['a statement the classifier finds not cacheable', 'SELECT now() FROM users'],
      ['a write', 'DELETE FROM users'],
      ['several statements', 'SELECT 1 FROM users; SELECT 2 FROM users'],
    ])('returns undefined (do not cache) for %s', async (_label, sql) => {
      await expect(read(sql)).resolves.toBeUndefined();
    });
  });

  describe('catalog failures', () => {
    it('does not cache a read whose dependencies the catalog cannot tell', async () => {
      jest.spyOn(catalog, 'resolve').mockRejectedValueOnce(new Error('connection lost'));
      await expect(read('SELECT * FROM users WHERE id = $1', [1])).resolves.toBeUndefined();
    });
  });

  describe('memoization', () => {
    it('analyses a text once and only substitutes parameters afterwards', async () => {
      const shapeOf = jest.spyOn(readShapeModule, 'readShapeOf');
      const classification = classifier.classify('SELECT * FROM users WHERE id = $1 AND deleted_at IS NULL');
      const first = await analyzer.readDependencies(classification, [1]);
      const second = await analyzer.readDependencies(classifier.classify('SELECT * FROM users WHERE id = $1 AND deleted_at IS NULL'), [2]);
      expect(first).toEqual({ tables: [{ table: 'public.users', rowKeys: ['1'] }] });
      expect(second).toEqual({ tables: [{ table: 'public.users', rowKeys: ['2'] }] });
      expect(shapeOf).toHaveBeenCalledTimes(1);
      shapeOf.mockRestore();
    });
  });
});
