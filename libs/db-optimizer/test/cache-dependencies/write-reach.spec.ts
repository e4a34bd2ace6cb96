import { uniqueSchema } from '../../../../tools/testing/test-env';
import { TableCatalog } from '../../src/lib/pg-catalog/dependency-catalog';
import type { CatalogQuery } from '../../src/lib/pg-catalog/catalog-query';
import { schemaWithPools } from './support/schema-with-pools';

describe('TableCatalog write reach (against the primary)', () => {
  const schema = uniqueSchema('reach');
  const t = (name: string): string => `${schema}.${name}`;
  const { pool, appPool } = schemaWithPools(
    schema,
    `
      SET search_path = ${schema};
      CREATE TABLE customers (id int PRIMARY KEY);
      CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers ON DELETE CASCADE ON UPDATE CASCADE);
      CREATE TABLE order_lines (order_id int REFERENCES orders ON DELETE CASCADE, line int, PRIMARY KEY (order_id, line));
      CREATE TABLE line_notes (order_id int, line int, FOREIGN KEY (order_id, line) REFERENCES order_lines ON DELETE SET NULL);
      CREATE TABLE invoices (id int PRIMARY KEY, customer_id int REFERENCES customers ON DELETE RESTRICT);
      CREATE TABLE employees (id int PRIMARY KEY, manager_id int REFERENCES employees ON DELETE CASCADE);

      CREATE TABLE audit_log (at timestamptz DEFAULT now(), what text);
      CREATE TABLE counters (name text PRIMARY KEY, n int);
      CREATE FUNCTION bump_counter(which text) RETURNS void LANGUAGE sql SET search_path = ${schema} AS $$ UPDATE counters SET n = n + 1 WHERE name = which $$;
      CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO audit_log (what) VALUES (TG_OP);
        PERFORM bump_counter(TG_TABLE_NAME);
        RETURN NULL;
      END $$;
      CREATE TABLE products (id int PRIMARY KEY, name text);
      CREATE TRIGGER products_audit AFTER INSERT OR UPDATE ON products FOR EACH ROW EXECUTE FUNCTION audit();

      CREATE FUNCTION copy_anywhere() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        EXECUTE format('INSERT INTO %I SELECT $1.*', TG_ARGV[0]) USING NEW;
        RETURN NULL;
      END $$;
      CREATE TABLE dynamic_source (id int PRIMARY KEY);
      CREATE TRIGGER dynamic_copy AFTER INSERT ON dynamic_source FOR EACH ROW EXECUTE FUNCTION copy_anywhere('elsewhere');

      CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.id := NEW.id + 1; RETURN NEW; END $$;
      CREATE TABLE stamped (id int PRIMARY KEY);
      CREATE TRIGGER stamped_before BEFORE INSERT ON stamped FOR EACH ROW EXECUTE FUNCTION stamp();

      CREATE TABLE disabled_source (id int PRIMARY KEY);
      CREATE TRIGGER disabled_copy AFTER INSERT ON disabled_source FOR EACH ROW EXECUTE FUNCTION copy_anywhere('elsewhere');
      ALTER TABLE disabled_source DISABLE TRIGGER disabled_copy;

      CREATE TABLE ruled (id int PRIMARY KEY);
      CREATE RULE ruled_log AS ON DELETE TO ruled DO ALSO INSERT INTO audit_log (what) VALUES ('deleted');

      CREATE TABLE measures (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE measures_2024 PARTITION OF measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TRIGGER measures_audit AFTER DELETE ON measures_2024 FOR EACH ROW EXECUTE FUNCTION audit();
      RESET search_path;
    `,
  );
  /** Like the application's connections: the test schema on the search_path, where trigger code finds unqualified tables. */
  const query: CatalogQuery = (sql, params) => appPool.query(sql, params);
  /** A connection with the default search_path: only qualified names, or a function's own SET search_path, find the tables. */
  const plainQuery: CatalogQuery = (sql, params) => pool.query(sql, params);

  describe('#writeReach cascades', () => {
    it('follows ON DELETE CASCADE and SET NULL transitively', async () => {
      const reach = await new TableCatalog(query).writeReach(t('customers'), ['DELETE']);
      expect(reach).toMatchObject({ unknown: false, keysMayChange: false });
      expect(reach.tables.sort()).toEqual([t('line_notes'), t('order_lines'), t('orders')]);
    });

    it('follows ON UPDATE CASCADE for updates only as far as it goes', async () => {
      const reach = await new TableCatalog(query).writeReach(t('customers'), ['UPDATE']);
      expect(reach.tables).toEqual([t('orders')]);
    });

    it('reaches nothing from an INSERT into a parent', async () => {
      await expect(new TableCatalog(query).writeReach(t('customers'), ['INSERT'])).resolves.toEqual({ tables: [], unknown: false, keysMayChange: false });
    });

    it('reaches every referencing table on TRUNCATE, RESTRICT included', async () => {
      const reach = await new TableCatalog(query).writeReach(t('customers'), ['TRUNCATE']);
      expect(reach.tables.sort()).toEqual([t('invoices'), t('line_notes'), t('order_lines'), t('orders')].sort());
    });

    it('lists a self-referencing table as reached by its own cascade', async () => {
      await expect(new TableCatalog(query).writeReach(t('employees'), ['DELETE'])).resolves.toMatchObject({ tables: [t('employees')] });
    });
  });

  describe('#writeReach triggers', () => {
    it('finds the tables a trigger writes, through the functions it calls', async () => {
      const reach = await new TableCatalog(query).writeReach(t('products'), ['UPDATE']);
      expect(reach).toMatchObject({ unknown: false, keysMayChange: false });
      expect(reach.tables.sort()).toEqual([t('audit_log'), t('counters')]);
    });

    it('reaches nothing for an event the trigger does not fire on', async () => {
      await expect(new TableCatalog(query).writeReach(t('products'), ['DELETE'])).resolves.toMatchObject({ tables: [], unknown: false });
    });

    it('calls a trigger running dynamic SQL unknown', async () => {
      await expect(new TableCatalog(query).writeReach(t('dynamic_source'))).resolves.toMatchObject({
        unknown: true,
        reason: expect.stringMatching(/dynamic_copy.*dynamic SQL/),
      });
    });

    it("reports but does not flag unknown triggers under the 'ignore' policy", async () => {
      const reach = await new TableCatalog(query, { unknownTriggerPolicy: 'ignore' }).writeReach(t('dynamic_source'));
      expect(reach).toMatchObject({ unknown: false, reason: expect.stringMatching(/dynamic SQL/) });
    });

    it('ignores disabled triggers', async () => {
      await expect(new TableCatalog(query).writeReach(t('disabled_source'))).resolves.toMatchObject({ unknown: false, tables: [] });
    });

    it('says when a BEFORE ROW trigger may rewrite keys', async () => {
      await expect(new TableCatalog(query).writeReach(t('stamped'), ['INSERT'])).resolves.toMatchObject({ keysMayChange: true, unknown: false });
    });

    it('treats rules as unknown', async () => {
      await expect(new TableCatalog(query).writeReach(t('ruled'), ['DELETE'])).resolves.toMatchObject({ unknown: true, reason: expect.stringMatching(/rule ruled_log/) });
    });

    it('finds triggers of partitions under the root of the tree', async () => {
      const catalog = new TableCatalog(query);
      const root = await catalog.resolve({ schema, name: 'measures_2024' });
      expect(root).toBe(t('measures'));
      const reach = await catalog.writeReach(root ?? '', ['DELETE']);
      expect(reach.tables.sort()).toEqual([t('audit_log'), t('counters')]);
    });
  });

  describe('#functionReach', () => {
    it('finds what a called SQL function writes, under its own search_path', async () => {
      await expect(new TableCatalog(plainQuery).functionReach([`${schema}.bump_counter`])).resolves.toEqual({ tables: [t('counters')], unknown: false });
    });

    it('finds that built-ins write nothing', async () => {
      await expect(new TableCatalog(query).functionReach(['now', 'lower', 'pg_catalog.count'])).resolves.toEqual({ tables: [], unknown: false });
    });

    it('calls a function missing from the catalog unknown', async () => {
      await expect(new TableCatalog(query).functionReach([`${schema}.nothing_here`])).resolves.toMatchObject({ unknown: true });
    });

    it('calls a function writing a table that does not resolve unknown', async () => {
      await expect(new TableCatalog(plainQuery).writeReach(t('products'), ['INSERT'])).resolves.toMatchObject({
        unknown: true,
        reason: expect.stringMatching(/audit_log, which cannot be resolved/),
      });
    });
  });
});
