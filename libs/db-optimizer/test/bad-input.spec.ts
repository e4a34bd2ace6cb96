import { QueryRoutingError } from '@db-optimizer/core';
import { PoolManagerService } from '../src/lib/pool/pool-manager.service';
import { testEnv, uniqueSchema } from '@db-optimizer/cluster';
import { expectPoolSettled } from './support/pool-probes';
import { sql, startInstance, TestInstance } from './support/test-module';

describe('bad input', () => {
  const env = testEnv();
  const schema = uniqueSchema('bad_input');
  let instance: TestInstance;

  beforeAll(async () => {
    await sql(env.primaryUrl, `CREATE SCHEMA ${schema}`);
    await sql(env.primaryUrl, `CREATE TABLE ${schema}.notes (id serial PRIMARY KEY, body text NOT NULL)`);
    instance = await startInstance({ primaryUrl: env.primaryUrl, primaryPool: { min: 1, max: 3 } });
  });

  afterAll(async () => {
    await instance?.close();
    await sql(env.primaryUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  const poolIntact = () => expectPoolSettled(instance.get(PoolManagerService).primary);

  it.each([
    ['an unknown table', 'SELECT * FROM no_such_table_here', '42P01'],
    ['a syntax error', 'SELECT FROM WHERE', '42601'],
    ['a NOT NULL violation', `INSERT INTO ${schema}.notes (body) VALUES (NULL)`, '23502'],
    ['a division by zero', 'SELECT 1 / 0', '22012'],
  ])('keeps the SQLSTATE of %s and leaves the pool intact', async (_name, text, code) => {
    await expect(instance.db.executeOptimizedQuery(text)).rejects.toMatchObject({ code });
    await poolIntact();
    const { rows } = await instance.db.executeOptimizedQuery('SELECT 1 AS ok');
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('binds values as parameters: SQL inside a value is stored as text, never run', async () => {
    const hostile = `x'); DROP TABLE ${schema}.notes; --`;
    await instance.db.executeOptimizedQuery(`INSERT INTO ${schema}.notes (body) VALUES ($1)`, [hostile]);
    const { rows } = await instance.db.executeOptimizedQuery<{ body: string }>(`SELECT body FROM ${schema}.notes WHERE body = $1`, [hostile], {
      forcePrimary: true,
    });
    expect(rows).toEqual([{ body: hostile }]);
  });

  it.each([
    ['an empty string', ''],
    ['a number', 42],
    ['undefined', undefined],
  ])('rejects %s as SQL with a message that says what to pass', async (_name, value) => {
    await expect(instance.db.executeOptimizedQuery(value as never)).rejects.toThrow(/must be a non-empty SQL string/);
  });

  it('rejects params that are not an array', async () => {
    await expect(instance.db.executeOptimizedQuery('SELECT $1::int', 5 as never)).rejects.toThrow(/params must be an array/);
  });

  it('refuses transaction control outside executeTransactionOptimized', async () => {
    await expect(instance.db.executeOptimizedQuery('BEGIN')).rejects.toBeInstanceOf(QueryRoutingError);
    await poolIntact();
  });

  it('refuses session state that would leak to the next user of the connection', async () => {
    await expect(instance.db.executeOptimizedQuery("SET search_path = 'elsewhere'")).rejects.toThrow(/changes session state/);
  });

  it('rejects a malformed consistency token, naming it', async () => {
    await expect(instance.db.executeOptimizedQuery('SELECT 1', [], { consistencyToken: 'not-a-token' })).rejects.toThrow(
      /consistencyToken "not-a-token" is not a token/,
    );
  });
});
