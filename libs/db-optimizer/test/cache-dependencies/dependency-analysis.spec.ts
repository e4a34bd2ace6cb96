import { uniqueSchema } from '../../../../tools/testing/test-env';
import { CacheDependencyAnalyzer } from '../../src/lib/sql/dependencies/cache-dependency-analyzer';
import { TableCatalog } from '../../src/lib/pg-catalog/dependency-catalog';
import { NOT_HELD } from '../../src/lib/sql/dependencies/cache-dependencies.interface';
import type { CatalogQuery } from '../../src/lib/pg-catalog/catalog-query';
import { loadSqlParser } from '../../src/lib/sql/parser';
import { QueryClassifier } from '../../src/lib/classify/query-classifier';
import { schemaWithPools } from './support/schema-with-pools';

describe('CacheDependencyAnalyzer with the real catalog (against the primary)', () => {
  const schema = uniqueSchema('deps');
  const t = (name: string): string => `${schema}.${name}`;
  const classifier = new QueryClassifier(100);
  const { appPool } = schemaWithPools(
    schema,
    `
      CREATE TABLE ${schema}.customers (id int PRIMARY KEY, name text);
      CREATE TABLE ${schema}.orders (id int PRIMARY KEY, customer_id int REFERENCES ${schema}.customers ON DELETE CASCADE);
      CREATE TABLE ${schema}.audit_log (what text);
      CREATE FUNCTION ${schema}.audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO audit_log (what) VALUES (TG_OP); RETURN NULL; END $$;
      CREATE TABLE ${schema}.products (id int PRIMARY KEY, name text);
      CREATE TRIGGER products_audit AFTER UPDATE ON ${schema}.products FOR EACH ROW EXECUTE FUNCTION ${schema}.audit();
      CREATE TABLE ${schema}.events (id int PRIMARY KEY, kind text) PARTITION BY HASH (id);
      CREATE TABLE ${schema}.events_0 PARTITION OF ${schema}.events FOR VALUES WITH (MODULUS 2, REMAINDER 0);
      CREATE TABLE ${schema}.events_1 PARTITION OF ${schema}.events FOR VALUES WITH (MODULUS 2, REMAINDER 1);
      CREATE VIEW ${schema}.customer_names AS SELECT id, name FROM ${schema}.customers;
    `,
  );
  let queries: number;
  let analyzer: CacheDependencyAnalyzer;
  const read = (sql: string, params: unknown[] = []) => analyzer.readDependencies(classifier.classify(sql), params);
  const write = (sql: string, params: unknown[] = []) => analyzer.writeEffects(classifier.classify(sql), params);

  beforeAll(() => loadSqlParser());

  beforeEach(() => {
    queries = 0;
    const query: CatalogQuery = (sql, params) => {
      queries++;
      // The application's connections: the test schema on their search_path.
      return appPool.query(sql, params);
    };
    analyzer = new CacheDependencyAnalyzer(new TableCatalog(query));
  });

  it('reads by row and writes by row meet on the same canonical key', async () => {
    await expect(read('SELECT name FROM customers WHERE id = $1', ['42'])).resolves.toEqual({ tables: [{ table: t('customers'), rowKeys: ['42'] }] });
    await expect(write(`UPDATE ${schema}.customers SET name = $1 WHERE id = $2`, ['x', 42])).resolves.toEqual({
      flushAll: false,
      tables: [{ table: t('customers'), rowKeys: ['42'] }],
    });
  });

  it('invalidates the deleted parent row and the cascaded child table', async () => {
    await expect(write('DELETE FROM customers WHERE id = $1', [42])).resolves.toEqual({
      flushAll: false,
      tables: [{ table: t('customers'), rowKeys: ['42'] }, { table: t('orders') }],
    });
  });

  it('does not cascade an INSERT into the parent', async () => {
    await expect(write('INSERT INTO customers (id, name) VALUES ($1, $2)', [43, 'y'])).resolves.toEqual({
      flushAll: false,
      tables: [{ table: t('customers'), rowKeys: ['43'] }],
    });
  });

  it('drops cached reads of the table a trigger writes', async () => {
    await expect(write('UPDATE products SET name = $1 WHERE id = $2', ['x', 1])).resolves.toEqual({
      flushAll: false,
      tables: [{ table: t('products'), rowKeys: ['1'] }, { table: t('audit_log') }],
    });
  });

  it('maps reads and writes of partitions to the root, by row', async () => {
    await expect(read('SELECT * FROM events WHERE id = $1', [5])).resolves.toEqual({ tables: [{ table: t('events'), rowKeys: ['5'] }] });
    await expect(write('UPDATE events_1 SET kind = $1 WHERE id = $2', ['k', 5])).resolves.toEqual({
      flushAll: false,
      tables: [{ table: t('events'), rowKeys: ['5'] }],
    });
  });

  it('answers a read at once from the catalog answers it holds, as asking would, and says when it holds none', async () => {
    const reads: Array<[string, unknown[]]> = [
      ['SELECT name FROM customers WHERE id = $1', [42]],
      ['SELECT name FROM customers WHERE id = ANY($1)', [[1, 2]]],
      ['SELECT count(*) FROM customers', []],
      ['SELECT kind FROM events_1 WHERE id = $1', [3]],
      ['SELECT name FROM customer_names WHERE id = $1', [1]],
      ['SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1', [1]],
      ['SELECT * FROM no_such_table WHERE id = $1', [1]],
    ];
    expect(analyzer.heldReadDependencies(classifier.classify(reads[0][0]), reads[0][1])).toBe(NOT_HELD);
    for (const [sql, params] of reads) {
      const classification = classifier.classify(sql);
      const asked = await analyzer.readDependencies(classification, params);
      expect({ sql, held: analyzer.heldReadDependencies(classification, params) }).toEqual({ sql, held: asked });
    }
    // Every kind of answer came up: rows, whole tables, a view's base table, nothing cacheable.
    const answers = await Promise.all(reads.map(([sql, params]) => read(sql, params)));
    expect(answers).toContainEqual({ tables: [{ table: t('events'), rowKeys: ['3'] }] });
    expect(answers).toContainEqual({ tables: [{ table: t('customer_names') }, { table: t('customers') }] });
    expect(answers).toContainEqual(undefined);
  });

  it('answers repeated statements from its caches, without catalog queries', async () => {
    await read('SELECT name FROM customers WHERE id = $1', [1]);
    await write('DELETE FROM customers WHERE id = $1', [1]);
    const warm = queries;
    for (let id = 2; id < 50; id++) {
      await read('SELECT name FROM customers WHERE id = $1', [id]);
      await write('DELETE FROM customers WHERE id = $1', [id]);
    }
    expect(queries).toBe(warm);
  });

  it('sees new triggers after DDL run through it', async () => {
    await expect(write('DELETE FROM products WHERE id = $1', [1])).resolves.toEqual({ flushAll: false, tables: [{ table: t('products'), rowKeys: ['1'] }] });
    const ddl = `CREATE TRIGGER products_delete_audit AFTER DELETE ON ${schema}.products FOR EACH ROW EXECUTE FUNCTION ${schema}.audit()`;
    await appPool.query(ddl);
    await expect(write(ddl)).resolves.toEqual({ flushAll: false, tables: [{ table: t('products') }] });
    await expect(write('DELETE FROM products WHERE id = $1', [1])).resolves.toEqual({
      flushAll: false,
      tables: [{ table: t('products'), rowKeys: ['1'] }, { table: t('audit_log') }],
    });
  });
});
