import { loadSqlParser } from '../../sql/parser';
import { QueryClassifier } from '../../classify/query-classifier';
import { CacheDependencyAnalyzer } from './cache-dependency-analyzer';
import { InMemoryTableCatalog } from '../../pg-catalog/testing/in-memory-dependency-catalog';
import type { InMemoryCatalogOptions } from '../../pg-catalog/testing/in-memory-dependency-catalog';

describe('CacheDependencyAnalyzer', () => {
  const classifier = new QueryClassifier(200);
  let catalog: InMemoryTableCatalog;
  let analyzer: CacheDependencyAnalyzer;
  const write = (sql: string, params: unknown[] = []) => analyzer.writeEffects(classifier.classify(sql), params);
  const rows = (table: string, ...rowKeys: string[]) => ({ table, rowKeys });
  const whole = (table: string) => ({ table });
  const effects = (...tables: object[]) => ({ flushAll: false, tables });

  function setUp(options: InMemoryCatalogOptions = {}): void {
    catalog = new InMemoryTableCatalog(
      [
        { name: 'public.users', primaryKey: ['id'], reach: { DELETE: ['public.orders'], UPDATE: ['public.orders'], TRUNCATE: ['public.orders'] } },
        { name: 'public.orders', primaryKey: ['id'], members: ['public.orders_2024'], reach: { DELETE: ['public.order_lines'] } },
        { name: 'public.order_lines', primaryKey: ['order_id', 'line'] },
        { name: 'public.audited', primaryKey: ['id'], reach: { INSERT: ['public.audit_log'], UPDATE: ['public.audit_log'] } },
        { name: 'public.audit_log' },
        { name: 'public.stamped', primaryKey: ['id'], keysMayChange: ['INSERT', 'UPDATE'] },
        { name: 'public.tree', primaryKey: ['id'], reach: { DELETE: ['public.tree'] } },
        { name: 'public.mystery', primaryKey: ['id'], unknown: { UPDATE: 'trigger t runs dynamic SQL' } },
        { name: 'public.logs' },
        { name: 'public.report' },
      ],
      options,
    );
    analyzer = new CacheDependencyAnalyzer(catalog);
  }

  beforeAll(() => loadSqlParser());
  beforeEach(() => setUp());

  describe('#writeEffects by row', () => {
    it('invalidates the row an UPDATE names by key, when the key is not set', async () => {
      await expect(write('UPDATE users SET name = $1 WHERE id = $2', ['x', 7])).resolves.toEqual(effects(rows('public.users', '7'), whole('public.orders')));
    });

    it('invalidates the row a DELETE names by key, and cascaded tables as a whole', async () => {
      await expect(write('DELETE FROM users WHERE id = $1', ['7'])).resolves.toEqual(effects(rows('public.users', '7'), whole('public.orders')));
    });

    it('invalidates the rows an INSERT gives keys for, and nothing it does not cascade to', async () => {
      await expect(write('INSERT INTO users (id, name) VALUES ($1, $2), (8, $3)', [7, 'a', 'b'])).resolves.toEqual(effects(rows('public.users', '7', '8')));
    });

    it('keeps ON CONFLICT (key) DO UPDATE row-level', async () => {
      const sql = 'INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name';
      await expect(write(sql, [7, 'a'])).resolves.toEqual(effects(rows('public.users', '7'), whole('public.orders')));
    });

    it('keeps ON CONFLICT DO NOTHING row-level whatever the conflict target', async () => {
      await expect(write('INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING', [7, 'a'])).resolves.toEqual(effects(rows('public.users', '7')));
    });

    it('names composite keys by every key column', async () => {
      await expect(write('DELETE FROM order_lines WHERE order_id = $1 AND line = ANY($2)', [1, [1, 2]])).resolves.toEqual(
        effects(rows('public.order_lines', '["1","1"]', '["1","2"]')),
      );
    });

    it('maps a write to a partition to the root, by row', async () => {
      await expect(write('UPDATE orders_2024 SET total = 0 WHERE id = $1', [5])).resolves.toEqual(effects(rows('public.orders', '5')));
    });
  });

  describe('#writeEffects by table', () => {
    it.each([
      ['an UPDATE that sets the key', 'UPDATE users SET id = $1 WHERE id = $2', [8, 7]],
      ['an UPDATE by another column', 'UPDATE users SET name = $1 WHERE email = $2', ['x', 'a@b.c']],
      ['an UPDATE with OR', 'UPDATE users SET name = $1 WHERE id = $2 OR id = $3', ['x', 1, 2]],
      ['a DELETE without WHERE', 'DELETE FROM users', []],
      ['an INSERT without the key', 'INSERT INTO users (name) VALUES ($1)', ['x']],
      ['an INSERT with DEFAULT for the key', 'INSERT INTO users (id, name) VALUES (DEFAULT, $1)', ['x']],
      ['an INSERT ... SELECT', 'INSERT INTO users (id, name) SELECT id, name FROM users WHERE id = $1', [1]],
      ['an INSERT without column list', 'INSERT INTO users VALUES ($1, $2)', [1, 'x']],
      ['ON CONFLICT on another column DO UPDATE', 'INSERT INTO users (id, email) VALUES ($1, $2) ON CONFLICT (email) DO UPDATE SET name = $3', [1, 'a', 'x']],
      ['ON CONFLICT ON CONSTRAINT DO UPDATE', 'INSERT INTO users (id) VALUES ($1) ON CONFLICT ON CONSTRAINT users_pkey DO UPDATE SET name = $2', [1, 'x']],
      ['ON CONFLICT DO UPDATE that sets the key', 'INSERT INTO users (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id + 1', [1]],
      ['a NULL key', 'DELETE FROM users WHERE id = $1', [null]],
      ['OVERRIDING USER VALUE', 'INSERT INTO users (id) OVERRIDING USER VALUE VALUES ($1)', [1]],
    ])('invalidates the whole table for %s', async (_label, sql, params) => {
      const result = await write(sql, params);
      expect(result.flushAll).toBe(false);
      expect(result.tables).toContainEqual(whole('public.users'));
    });

    it('invalidates a table whose BEFORE ROW triggers may rewrite keys as a whole', async () => {
      await expect(write('UPDATE stamped SET note = $1 WHERE id = $2', ['x', 1])).resolves.toEqual(effects(whole('public.stamped')));
    });

    it('invalidates a table its own cascade reaches back as a whole', async () => {
      await expect(write('DELETE FROM tree WHERE id = $1', [1])).resolves.toEqual(effects(whole('public.tree')));
    });

    it('invalidates tables written by triggers', async () => {
      await expect(write('INSERT INTO audited (id) VALUES ($1)', [1])).resolves.toEqual(effects(rows('public.audited', '1'), whole('public.audit_log')));
    });

    it('follows cascades per kind of write', async () => {
      await expect(write('MERGE INTO orders o USING users u ON o.user_id = u.id WHEN MATCHED THEN DELETE')).resolves.toEqual(
        effects(whole('public.orders'), whole('public.order_lines')),
      );
    });

    it('invalidates tables changed by data-modifying CTEs', async () => {
      const sql = 'WITH gone AS (DELETE FROM orders WHERE user_id = $1 RETURNING id) UPDATE users SET n = n - 1 WHERE id = $1';
      await expect(write(sql, [3])).resolves.toEqual(effects(rows('public.users', '3'), whole('public.orders'), whole('public.order_lines')));
    });

    it('invalidates what called functions write', async () => {
      setUp({ functions: { touch_logs: { tables: ['public.logs'] } } });
      await expect(write('UPDATE users SET name = touch_logs($1) WHERE id = $2', ['x', 1])).resolves.toEqual(
        effects(rows('public.users', '1'), whole('public.orders'), whole('public.logs')),
      );
    });

    it('truncates tables as a whole, with what references them', async () => {
      await expect(write('TRUNCATE users CASCADE')).resolves.toEqual(effects(whole('public.users'), whole('public.orders')));
    });

    it('treats schema-qualified and unqualified names alike', async () => {
      await expect(write('DELETE FROM public.users WHERE id = $1', [1])).resolves.toEqual(await write('DELETE FROM users WHERE id = $1', [1]));
    });
  });

  describe('#writeEffects DDL', () => {
    it('invalidates the tables DDL names and clears the catalog', async () => {
      await expect(write('ALTER TABLE users ADD COLUMN age int')).resolves.toEqual(effects(whole('public.users')));
      await expect(write('CREATE INDEX ON orders (user_id)')).resolves.toEqual(effects(whole('public.orders')));
      expect(catalog.clears).toBe(2);
    });

    it('leaves the tables DDL only reads alone', async () => {
      await expect(write('CREATE TABLE report AS SELECT * FROM users')).resolves.toEqual(effects(whole('public.report')));
    });

    it('flushes everything for DDL on tables that no longer resolve', async () => {
      await expect(write('DROP TABLE gone')).resolves.toMatchObject({ flushAll: true });
    });

    it.each([
      ['unparseable text', 'UPDATE users SET WHERE'],
      ['several statements', 'UPDATE users SET a = 1 WHERE id = 1; DELETE FROM logs'],
      ['DDL naming no table', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'],
      ['a DO block', 'DO $$ BEGIN DELETE FROM users; END $$'],
      ['an attached partition', 'ALTER TABLE orders ATTACH PARTITION orders_2026 FOR VALUES FROM (1) TO (2)'],
      ['a write to a table that does not resolve', 'DELETE FROM nowhere WHERE id = 1'],
      ['a trigger whose writes are unknown', 'UPDATE mystery SET a = 1 WHERE id = 1'],
    ])('flushes everything for %s', async (_label, sql) => {
      const result = await write(sql);
      expect(result.flushAll).toBe(true);
      expect(result.reason).toEqual(expect.any(String));
    });
  });

  describe('#writeEffects without effect', () => {
    it.each([['BEGIN'], ['COMMIT'], ["SET statement_timeout = '1s'"], ['SELECT * FROM users'], ['LISTEN x'], ['VACUUM users']])('invalidates nothing for %s', async (sql) => {
      await expect(write(sql)).resolves.toEqual(effects());
    });
  });

  describe('catalog failures', () => {
    it('flushes everything and clears the catalog when the catalog cannot be asked', async () => {
      jest.spyOn(catalog, 'writeReach').mockRejectedValueOnce(new Error('connection lost'));
      await expect(write('DELETE FROM users WHERE id = $1', [1])).resolves.toEqual({
        flushAll: true,
        reason: 'the catalog could not be asked (connection lost)',
        tables: [],
      });
      expect(catalog.clears).toBe(1);
    });
  });

  describe('unknownTriggerPolicy', () => {
    it("invalidates only what is known under 'ignore'", async () => {
      setUp({ unknownTriggerPolicy: 'ignore' });
      await expect(write('UPDATE mystery SET a = 1 WHERE id = $1', [1])).resolves.toEqual(effects(rows('public.mystery', '1')));
    });
  });
});
