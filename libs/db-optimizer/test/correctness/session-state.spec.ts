import { QueryRoutingError } from '@db-optimizer/core';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { sql, startInstance, TestInstance } from '../support/test-module';

// Issue #10, item 2: session state made inside a transaction never outlives it. The forms
// the parser sees are refused with the transaction-scoped alternative; what hides in a
// volatile user function (or DO) is reset with DISCARD ALL before the connection goes back.
// One connection in the pool: the next caller gets the very connection the transaction used.
describe('session state inside transactions', () => {
  const env = testEnv();
  const schema = uniqueSchema('session_state');
  let instance: TestInstance;

  beforeAll(async () => {
    await sql(
      env.primaryUrl,
      `CREATE SCHEMA ${schema};
       CREATE TABLE ${schema}.t (id int PRIMARY KEY, v int NOT NULL);
       INSERT INTO ${schema}.t VALUES (1, 0);
       CREATE FUNCTION ${schema}.set_tenant(t text) RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT set_config('app.tenant', t, false) $$;
       CREATE FUNCTION ${schema}.lock_forever(k bigint) RETURNS void VOLATILE LANGUAGE sql AS $$ SELECT pg_advisory_lock(k) $$;`,
    );
    instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 1 }, enableCache: true });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  /** What a later caller finds on the pooled connection. */
  const sessionSeenByNextCaller = async () =>
    (
      await instance.db.executeOptimizedQuery<Record<string, unknown>>(
        `SELECT current_setting('search_path') AS search_path,
                current_setting('statement_timeout') AS statement_timeout,
                coalesce(current_setting('app.tenant', true), '') AS tenant,
                (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()) AS advisory_locks,
                (SELECT count(*)::int FROM pg_listening_channels()) AS listening,
                (SELECT count(*)::int FROM pg_prepared_statements WHERE name NOT LIKE 'dbo\\_%') AS prepared,
                (SELECT count(*)::int FROM pg_cursors) AS cursors,
                (SELECT count(*)::int FROM pg_class WHERE relnamespace = pg_my_temp_schema()) AS temp_relations`,
        [],
        { useCache: false },
      )
    ).rows[0];

  let defaults: Record<string, unknown>;
  beforeAll(async () => {
    defaults = await sessionSeenByNextCaller();
  });

  it('starts from the defaults', () => {
    expect(defaults).toMatchObject({ tenant: '', advisory_locks: 0, listening: 0, prepared: 0, cursors: 0, temp_relations: 0 });
  });

  it.each([
    ['SET', 'SET search_path = tenant7, public', /SET LOCAL/],
    ['SET SESSION', 'SET SESSION statement_timeout = 1234', /SET LOCAL/],
    ['RESET', 'RESET search_path', /RESET/],
    ['set_config(..., false)', "SELECT set_config('app.tenant', 'tenant7', false)", /set_config\(name, value, true\)/],
    ['a session advisory lock', 'SELECT pg_advisory_lock(42)', /pg_advisory_xact_lock/],
    ['a shared session advisory lock', 'SELECT pg_try_advisory_lock_shared(42)', /pg_advisory_xact_lock/],
    ['LISTEN', 'LISTEN tenant7_events', /LISTEN/],
    ['PREPARE', 'PREPARE mine (int) AS SELECT $1', /PREPARE/],
    ['DECLARE ... WITH HOLD', 'DECLARE held CURSOR WITH HOLD FOR SELECT 1', /WITH HOLD/],
    ['a temp table without ON COMMIT DROP', 'CREATE TEMP TABLE scratch (a int)', /ON COMMIT DROP/],
    ['DISCARD', 'DISCARD TEMP', /DISCARD/],
  ])('refuses %s, and the next caller sees the defaults', async (_kind, statement, alternative) => {
    const attempt = instance.db.executeTransactionOptimized(async (tx) => {
      await tx.query(`UPDATE ${schema}.t SET v = v + 1 WHERE id = 1`);
      await tx.query(statement);
    });
    await expect(attempt).rejects.toBeInstanceOf(QueryRoutingError);
    await expect(attempt).rejects.toThrow(alternative);
    expect(await sessionSeenByNextCaller()).toEqual(defaults);
  });

  it.each([
    ['SET LOCAL', 'SET LOCAL search_path = tenant7, public'],
    ['set_config(..., true)', "SELECT set_config('app.tenant', 'tenant7', true)"],
    ['pg_advisory_xact_lock', 'SELECT pg_advisory_xact_lock(42)'],
    ['a temp table ON COMMIT DROP', 'CREATE TEMP TABLE scratch (a int) ON COMMIT DROP'],
    ['a cursor without HOLD', 'DECLARE plain CURSOR FOR SELECT 1'],
  ])('runs %s, which ends with the transaction', async (_kind, statement) => {
    await instance.db.executeTransactionOptimized(async (tx) => {
      await tx.query(statement);
    });
    expect(await sessionSeenByNextCaller()).toEqual(defaults);
  });

  it.each([
    ['a volatile function calling set_config(..., false)', `SELECT ${schema}.set_tenant('tenant7')`],
    ['a volatile function taking a session lock', `SELECT ${schema}.lock_forever(7)`],
    ['DO', `DO $$ BEGIN PERFORM set_config('app.tenant', 'tenant7', false); END $$`],
  ])('resets the connection after %s inside a transaction', async (_kind, statement) => {
    await instance.db.executeTransactionOptimized(async (tx) => {
      await tx.query(statement);
    });
    expect(await sessionSeenByNextCaller()).toEqual(defaults);
  });

  it('resets the connection after such a statement run alone, and prepared statements keep working', async () => {
    await instance.db.executeOptimizedQuery(`SELECT ${schema}.set_tenant($1)`, ['tenant7']);
    expect(await sessionSeenByNextCaller()).toEqual(defaults);
    // The statement cache forgot what DISCARD ALL deallocated: a repeated text prepares afresh.
    for (let round = 0; round < 3; round++) {
      expect((await instance.db.executeOptimizedQuery(`SELECT v FROM ${schema}.t WHERE id = $1`, [1], { useCache: false })).rows).toHaveLength(1);
      await instance.db.executeOptimizedQuery(`SELECT ${schema}.set_tenant($1)`, ['tenant7']);
    }
  });
});
