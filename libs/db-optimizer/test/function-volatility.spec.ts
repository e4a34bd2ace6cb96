import { Pool } from 'pg';
import { testEnv, uniqueSchema } from '../../../tools/testing/test-env';
import { FunctionVolatilityCatalog } from '../src/lib/pg-catalog/function-volatility';
import type { CatalogQuery } from '../src/lib/pg-catalog/catalog-query';

describe('FunctionVolatilityCatalog (against the primary)', () => {
  const schema = uniqueSchema('volatility');
  let pool: Pool;
  let catalogQueries: string[][];
  let failNext: boolean;
  let catalog: FunctionVolatilityCatalog;

  /** The pool's query, counting each catalog look-up by the name it asks for. */
  const countingQuery: CatalogQuery = async (sql, params) => {
    catalogQueries.push((params ?? []).map(String));
    if (failNext) {
      failNext = false;
      throw new Error('connection lost');
    }
    return pool.query(sql, params);
  };

  beforeAll(async () => {
    pool = new Pool({ connectionString: testEnv().primaryUrl, max: 4 });
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`
      CREATE FUNCTION ${schema}.bump() RETURNS int LANGUAGE sql VOLATILE AS 'SELECT 1';
      CREATE FUNCTION ${schema}.double_it(x int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT x * 2';
      CREATE FUNCTION ${schema}.pure_but_unsafe(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
      CREATE FUNCTION ${schema}.today_name() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS 'SELECT to_char(now(), ''Day'')';
      CREATE FUNCTION ${schema}.overloaded(x int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT x';
      CREATE FUNCTION ${schema}.overloaded(x text) RETURNS text LANGUAGE sql VOLATILE PARALLEL SAFE AS 'SELECT x';
      CREATE FUNCTION ${schema}.random() RETURNS int LANGUAGE sql VOLATILE AS 'SELECT 4';
      CREATE FUNCTION ${schema}."MixedCase"() RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 1';
    `);
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  beforeEach(() => {
    catalogQueries = [];
    failNext = false;
    catalog = new FunctionVolatilityCatalog(countingQuery);
  });

  describe('#assess', () => {
    it('marks a VOLATILE function created here as not read-safe', async () => {
      await expect(catalog.assess([`${schema}.bump`])).resolves.toMatchObject({
        readSafe: false,
        deterministic: false,
        reason: `${schema}.bump() is VOLATILE`,
      });
    });

    it('says only VOLATILE and unknown functions may write', async () => {
      await expect(catalog.assess([`${schema}.bump`])).resolves.toMatchObject({ mayWrite: true });
      await expect(catalog.assess([`${schema}.double_it`])).resolves.toMatchObject({ mayWrite: false });
      await expect(catalog.assess(['now', 'random'])).resolves.toMatchObject({ mayWrite: false });
      await expect(catalog.assess(['no_such_function_anywhere'])).resolves.toMatchObject({ mayWrite: true });
    });

    it('marks an IMMUTABLE PARALLEL SAFE function as read-safe and deterministic', async () => {
      await expect(catalog.assess([`${schema}.double_it`])).resolves.toMatchObject({ readSafe: true, deterministic: true });
    });

    it('routes by volatility alone: an IMMUTABLE function left PARALLEL UNSAFE (the default) is read-safe', async () => {
      await expect(catalog.assess([`${schema}.pure_but_unsafe`])).resolves.toEqual({
        readSafe: true,
        deterministic: true,
        mayWrite: false,
        mayKeepSessionState: false,
      });
    });

    it('marks now() and a STABLE function as read-safe but not deterministic', async () => {
      await expect(catalog.assess(['now'])).resolves.toMatchObject({ readSafe: true, deterministic: false, reason: 'now() is STABLE' });
      await expect(catalog.assess([`${schema}.today_name`])).resolves.toMatchObject({ readSafe: true, deterministic: false });
    });

    it('marks nextval as not read-safe', async () => {
      await expect(catalog.assess(['nextval'])).resolves.toMatchObject({ readSafe: false, reason: 'nextval() is VOLATILE' });
      await expect(catalog.assess(['pg_catalog.nextval'])).resolves.toMatchObject({ readSafe: false });
    });

    it('marks a function pg_proc does not know as not read-safe', async () => {
      await expect(catalog.assess(['lower', 'no_such_function_anywhere'])).resolves.toMatchObject({
        readSafe: false,
        deterministic: false,
        reason: 'unknown function no_such_function_anywhere()',
      });
      await expect(catalog.assess([`${schema}.lower`])).resolves.toMatchObject({ readSafe: false });
    });

    it('lets the harmless volatile built-ins through, but only from pg_catalog', async () => {
      await expect(catalog.assess(['random', 'gen_random_uuid', 'clock_timestamp'])).resolves.toMatchObject({
        readSafe: true,
        deterministic: false,
      });
      await expect(catalog.assess([`${schema}.random`])).resolves.toMatchObject({ readSafe: false });
    });

    it('treats a name as volatile when any of its overloads is', async () => {
      await expect(catalog.assess([`${schema}.overloaded`])).resolves.toMatchObject({ readSafe: false, deterministic: false });
    });

    it('finds aggregates as immutable and safe', async () => {
      await expect(catalog.assess(['count', 'sum', 'lower'])).resolves.toMatchObject({ readSafe: true, deterministic: true });
    });

    it('matches names case-insensitively, as the classifier lower-cases them', async () => {
      await expect(catalog.assess([`${schema}.mixedcase`])).resolves.toMatchObject({ readSafe: true, deterministic: true });
    });

    it('needs no catalog query for a statement without functions', async () => {
      await expect(catalog.assess([])).resolves.toMatchObject({ readSafe: true, deterministic: true });
      expect(catalogQueries).toHaveLength(0);
    });

    it('shares one catalog query between concurrent look-ups of the same name', async () => {
      const results = await Promise.all([catalog.assess(['upper']), catalog.assess(['upper']), catalog.assess(['upper', 'upper'])]);
      expect(results).toEqual([
        { readSafe: true, deterministic: true, mayWrite: false, mayKeepSessionState: false },
        { readSafe: true, deterministic: true, mayWrite: false, mayKeepSessionState: false },
        { readSafe: true, deterministic: true, mayWrite: false, mayKeepSessionState: false },
      ]);
      expect(catalogQueries).toEqual([['upper', 'null']]);
    });

    it('answers later look-ups from its cache', async () => {
      await catalog.assess(['upper', `${schema}.bump`]);
      await catalog.assess([`${schema}.bump`, 'upper']);
      expect(catalogQueries).toHaveLength(2);
      expect(catalog.size).toBe(2);
    });

    it('rejects when the catalog query fails, and asks again next time', async () => {
      failNext = true;
      await expect(catalog.assess(['upper'])).rejects.toThrow('connection lost');
      await expect(catalog.assess(['upper'])).resolves.toMatchObject({ readSafe: true, deterministic: true });
      expect(catalogQueries).toHaveLength(2);
    });
  });

  describe('#volatilityOf', () => {
    it('reports the cached volatility, undefined before a look-up or for an unknown name', async () => {
      expect(catalog.volatilityOf('now')).toBeUndefined();
      await catalog.assess(['now', `${schema}.bump`, `${schema}.double_it`, 'no_such_function_anywhere']);
      expect(catalog.volatilityOf('now')).toBe('s');
      expect(catalog.volatilityOf(`${schema}.bump`)).toBe('v');
      expect(catalog.volatilityOf(`${schema}.double_it`)).toBe('i');
      expect(catalog.volatilityOf('no_such_function_anywhere')).toBeUndefined();
    });
  });

  describe('#clear', () => {
    it('forgets every answer, so the next look-up asks the catalog', async () => {
      await catalog.assess(['now']);
      catalog.clear();
      expect(catalog.volatilityOf('now')).toBeUndefined();
      await catalog.assess(['now']);
      expect(catalogQueries).toHaveLength(2);
    });
  });
});
