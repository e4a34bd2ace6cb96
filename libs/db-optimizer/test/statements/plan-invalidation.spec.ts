import type { Client } from 'pg';
import { StatementCache } from '../../src/lib/statements/statement-cache';
import { statementName } from '../../src/lib/statements/statement-name';
import { schemaOnPrimary } from './support/statement-test-database';

describe('StatementCache after DDL changes a prepared statement\'s result type', () => {
  const db = schemaOnPrimary('stmt_ddl');
  let client: Client;
  let cache: StatementCache;
  let table: string;
  let sql: string;
  let tableCount = 0;

  beforeEach(async () => {
    table = `items_${++tableCount}`;
    sql = `SELECT * FROM ${table} WHERE id = $1`;
    client = await db.connect();
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, label text)`);
    await client.query(`INSERT INTO ${table} VALUES (1, 'one')`);
    cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
  });

  /** The change that gives the cached `SELECT *` another result type. */
  const addColumn = () => client.query(`ALTER TABLE ${table} ADD COLUMN extra int DEFAULT 7`);

  it('still answers a cached SELECT * after ALTER TABLE ... ADD COLUMN, and counts a reprepare', async () => {
    await cache.execute(client, sql, [1]);
    await cache.execute(client, sql, [1]);
    await addColumn();

    const after = await cache.execute(client, sql, [1]);

    expect(after).toMatchObject({ prepared: true, result: { rows: [{ id: 1, label: 'one', extra: 7 }] } });
    expect(cache.reprepares).toBe(1);
    expect(await db.preparedNames(client)).toEqual([statementName(sql)]);
  });

  it('rethrows inside a transaction, leaves the transaction to the caller, and re-prepares on the next use', async () => {
    await cache.execute(client, sql, [1]);
    await addColumn();

    await client.query('BEGIN');
    await expect(cache.execute(client, sql, [1])).rejects.toMatchObject({ code: '0A000' });
    // The transaction is left aborted for the caller (ReadyForQuery may land a tick after the error).
    await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: '25P02' });
    expect(client.getTransactionStatus()).toBe('E');
    await client.query('ROLLBACK');

    const after = await cache.execute(client, sql, [1]);
    expect(after).toMatchObject({ prepared: true, result: { rows: [{ id: 1, label: 'one', extra: 7 }] } });
    expect(cache.reprepares).toBe(0);
    expect(await db.preparedNames(client)).toEqual([statementName(sql)]);
  });

  it('runs the statement unnamed inside a later healthy transaction until it can be deallocated', async () => {
    await cache.execute(client, sql, [1]);
    await addColumn();
    await client.query('BEGIN');
    await client.query('SAVEPOINT s');
    await expect(cache.execute(client, sql, [1])).rejects.toMatchObject({ code: '0A000' });
    await client.query('ROLLBACK TO SAVEPOINT s');

    const inside = await cache.execute(client, sql, [1]);
    await client.query('COMMIT');

    expect(inside).toMatchObject({ prepared: false, result: { rows: [{ extra: 7 }] } });
    expect(await cache.execute(client, sql, [1])).toMatchObject({ prepared: true, result: { rows: [{ extra: 7 }] } });
  });
});
