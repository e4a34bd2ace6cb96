import { uniqueSchema } from '../../../../tools/testing/test-env';
import { TableCatalog } from '../../src/lib/pg-catalog/dependency-catalog';
import type { CatalogQuery } from '../../src/lib/pg-catalog/catalog-query';
import { schemaWithPools } from './support/schema-with-pools';

describe('TableCatalog names and keys (against the primary)', () => {
  const schema = uniqueSchema('catalog');
  const other = `${schema}_other`;
  const { appPool } = schemaWithPools(
    schema,
    `
      CREATE SCHEMA ${other};
      CREATE TABLE ${schema}.users (id int PRIMARY KEY, email text);
      CREATE TABLE ${other}.users (id bigint PRIMARY KEY);
      CREATE TABLE ${schema}.order_lines (order_id int, line smallint, note text, PRIMARY KEY (order_id, line));
      CREATE TABLE ${schema}."MixedCase" (code varchar(10) PRIMARY KEY);
      CREATE TABLE ${schema}.sessions (token uuid PRIMARY KEY);
      CREATE TABLE ${schema}.events (id int, day date, PRIMARY KEY (day));
      CREATE TABLE ${schema}.logs (line text);
      CREATE TABLE ${schema}.derived (a int NOT NULL, id int GENERATED ALWAYS AS (a * 10) STORED PRIMARY KEY);
      CREATE TABLE ${schema}.labels (name text COLLATE "und-x-icu" PRIMARY KEY);
      CREATE COLLATION ${schema}.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
      CREATE TABLE ${schema}.nocase_labels (name text COLLATE ${schema}.nocase PRIMARY KEY);
      CREATE TABLE ${schema}.measures (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE ${schema}.measures_2024 PARTITION OF ${schema}.measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE ${schema}.cities (id int PRIMARY KEY, name text);
      CREATE TABLE ${schema}.capitals (country text) INHERITS (${schema}.cities);
      CREATE VIEW ${schema}.big_users AS SELECT * FROM ${schema}.users WHERE id > 100;
      CREATE VIEW ${schema}.today_users AS SELECT * FROM ${schema}.users WHERE email <> now()::text;
      CREATE TABLE ${schema}.secrets (id int PRIMARY KEY);
      ALTER TABLE ${schema}.secrets ENABLE ROW LEVEL SECURITY;
      CREATE MATERIALIZED VIEW ${schema}.user_count AS SELECT count(*) FROM ${schema}.users;
      CREATE SEQUENCE ${schema}.ticket_seq;
    `,
    { alsoDrop: [other] },
  );
  let queries: number;
  let catalog: TableCatalog;

  /** The pool's query (its connections have the test schema first on the search_path), every query counted. */
  const query: CatalogQuery = (sql, params) => {
    queries++;
    return appPool.query(sql, params);
  };

  beforeEach(() => {
    queries = 0;
    catalog = new TableCatalog(query);
  });

  describe('#resolve', () => {
    it('resolves unqualified and qualified names to the same canonical name', async () => {
      await expect(catalog.resolve({ name: 'users' })).resolves.toBe(`${schema}.users`);
      await expect(catalog.resolve({ schema, name: 'users' })).resolves.toBe(`${schema}.users`);
      await expect(catalog.resolve({ schema: other, name: 'users' })).resolves.toBe(`${other}.users`);
    });

    it('keeps the exact case of quoted names', async () => {
      await expect(catalog.resolve({ name: 'MixedCase' })).resolves.toBe(`${schema}.MixedCase`);
      await expect(catalog.resolve({ name: 'mixedcase' })).resolves.toBeUndefined();
    });

    it('returns undefined for a name no relation answers to', async () => {
      await expect(catalog.resolve({ name: 'nowhere' })).resolves.toBeUndefined();
    });

    it('maps a partition to the root of its tree', async () => {
      await expect(catalog.resolve({ name: 'measures_2024' })).resolves.toBe(`${schema}.measures`);
      await expect(catalog.resolve({ name: 'measures' })).resolves.toBe(`${schema}.measures`);
    });

    it('maps a legacy inheritance child to its parent', async () => {
      await expect(catalog.resolve({ name: 'capitals' })).resolves.toBe(`${schema}.cities`);
    });

    it('asks the catalog once per name', async () => {
      await catalog.resolve({ name: 'users' });
      const afterFirst = queries;
      await Promise.all([catalog.resolve({ name: 'users' }), catalog.resolve({ name: 'users' })]);
      expect(queries).toBe(afterFirst);
    });

    it('asks again after clear()', async () => {
      await catalog.resolve({ name: 'users' });
      const afterFirst = queries;
      catalog.clear();
      await catalog.resolve({ name: 'users' });
      expect(queries).toBeGreaterThan(afterFirst);
    });
  });

  describe('#primaryKey', () => {
    it('finds a single-column key', async () => {
      await expect(catalog.primaryKey(`${schema}.users`)).resolves.toEqual(['id']);
    });

    it('finds a composite key in key order', async () => {
      await expect(catalog.primaryKey(`${schema}.order_lines`)).resolves.toEqual(['order_id', 'line']);
      await expect(catalog.keyColumns(`${schema}.order_lines`)).resolves.toEqual([
        { name: 'order_id', type: 'integer' },
        { name: 'line', type: 'integer' },
      ]);
    });

    it('tells how key values compare', async () => {
      await expect(catalog.keyColumns(`${schema}.MixedCase`)).resolves.toEqual([{ name: 'code', type: 'text' }]);
      await expect(catalog.keyColumns(`${schema}.sessions`)).resolves.toEqual([{ name: 'token', type: 'uuid' }]);
      await expect(catalog.keyColumns(`${schema}.events`)).resolves.toEqual([{ name: 'day', type: 'other' }]);
      await expect(catalog.keyColumns(`${schema}.labels`)).resolves.toEqual([{ name: 'name', type: 'text' }]);
    });

    it('leaves keys that do not compare by spelling, or move with other columns, as other', async () => {
      await expect(catalog.keyColumns(`${schema}.nocase_labels`)).resolves.toEqual([{ name: 'name', type: 'other' }]);
      await expect(catalog.keyColumns(`${schema}.derived`)).resolves.toEqual([{ name: 'id', type: 'other' }]);
    });

    it('uses the key of the root for a partition tree', async () => {
      const root = await catalog.resolve({ name: 'measures_2024' });
      await expect(catalog.primaryKey(root ?? '')).resolves.toEqual(['id', 'at']);
    });

    it('returns undefined for a table without primary key', async () => {
      await expect(catalog.primaryKey(`${schema}.logs`)).resolves.toBeUndefined();
    });
  });

  describe('#readTargets', () => {
    it('depends on a plain table, a materialized view, itself alone', async () => {
      await expect(catalog.readTargets(`${schema}.users`)).resolves.toEqual([`${schema}.users`]);
      await expect(catalog.readTargets(`${schema}.user_count`)).resolves.toEqual([`${schema}.user_count`]);
    });

    it('depends on a view and the tables it reads', async () => {
      await catalog.resolve({ name: 'big_users' });
      await expect(catalog.readTargets(`${schema}.big_users`)).resolves.toEqual([`${schema}.big_users`, `${schema}.users`]);
    });

    it('refuses views over functions that are not IMMUTABLE, row-level security and sequences', async () => {
      await expect(catalog.readTargets(`${schema}.today_users`)).resolves.toBeUndefined();
      await expect(catalog.readTargets(`${schema}.secrets`)).resolves.toBeUndefined();
      await expect(catalog.readTargets(`${schema}.ticket_seq`)).resolves.toBeUndefined();
    });
  });
});
