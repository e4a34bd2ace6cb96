import { Client } from 'pg';
import { testEnv, uniqueSchema } from '../../../../tools/testing/test-env';
import { waitFor } from '../../../../tools/testing/wait-for';
import {
  CHANGE_CHANNEL,
  ChangeNotificationListener,
  installChangeNotifications,
  removeChangeNotifications,
} from '../../src/lib/result-cache/coherence/change-notifications';
import type { CatalogQuery } from '../../src/lib/pg-catalog/catalog-query';
import { schemaWithPools } from './support/schema-with-pools';

describe('installChangeNotifications (against the primary)', () => {
  const schema = uniqueSchema('notify');
  const marker = `${schema}:marker`;
  const { pool } = schemaWithPools(
    schema,
    `CREATE TABLE ${schema}.users (id int PRIMARY KEY, name text);
     CREATE TABLE ${schema}."Audit Trail" (id int);
     CREATE TABLE ${schema}.measures (id int, at date NOT NULL) PARTITION BY RANGE (at);
     CREATE TABLE ${schema}.measures_2024 PARTITION OF ${schema}.measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
     CREATE VIEW ${schema}.user_names AS SELECT name FROM ${schema}.users;`,
  );
  const query: CatalogQuery = (sql, params) => pool.query(sql, params);
  let writer: Client;
  let listener: ChangeNotificationListener;
  let changes: string[];

  const triggerCount = async (): Promise<number> => {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND t.tgname = 'db_optimizer_change_notify'`,
      [schema],
    );
    return rows[0].n as number;
  };

  beforeAll(async () => {
    // A plain client, as any other program writing to the database would be.
    writer = new Client({ connectionString: testEnv().primaryUrl });
    await writer.connect();
    changes = [];
    // Other test files notify the same channel meanwhile: keep this file's tables and marker only.
    listener = new ChangeNotificationListener(testEnv().primaryUrl, (table) => {
      if (table.startsWith(`${schema}.`) || table === marker) changes.push(table);
    });
    await listener.start();
  });

  afterAll(async () => {
    await listener.stop();
    await writer.end();
  });

  beforeEach(() => {
    changes.length = 0;
  });

  it('returns canonical names and notifies writes made by a plain client', async () => {
    await expect(installChangeNotifications(query, [`${schema}.users`, `${schema}.Audit Trail`])).resolves.toEqual([
      `${schema}.users`,
      `${schema}.Audit Trail`,
    ]);
    await writer.query(`INSERT INTO ${schema}.users VALUES (1, 'a')`);
    await writer.query(`DELETE FROM ${schema}."Audit Trail"`);
    await waitFor(() => changes.length >= 2, { what: 'two change notifications' });
    expect(changes).toEqual([`${schema}.users`, `${schema}.Audit Trail`]);
  });

  it('notifies only once the transaction commits, and never on rollback', async () => {
    await installChangeNotifications(query, [`${schema}.users`]);
    await writer.query('BEGIN');
    await writer.query(`UPDATE ${schema}.users SET name = 'b'`);
    await writer.query('ROLLBACK');
    await writer.query(`TRUNCATE ${schema}.users`);
    await waitFor(() => changes.length >= 1, { what: 'the TRUNCATE notification' });
    expect(changes).toEqual([`${schema}.users`]);
  });

  it('announces a write to a partition under the name of the root', async () => {
    await expect(installChangeNotifications(query, [`${schema}.measures`])).resolves.toEqual([`${schema}.measures`]);
    await writer.query(`INSERT INTO ${schema}.measures_2024 VALUES (1, '2024-05-01')`);
    await waitFor(() => changes.length >= 1, { what: 'the partition notification' });
    expect(changes).toEqual([`${schema}.measures`]);
  });

  it('is idempotent: installing again leaves one trigger per table and one notification per write', async () => {
    await installChangeNotifications(query, [`${schema}.users`]);
    const before = await triggerCount();
    await installChangeNotifications(query, [`${schema}.users`]);
    expect(await triggerCount()).toBe(before);
    await writer.query(`INSERT INTO ${schema}.users VALUES (2, 'c')`);
    await writer.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, marker]);
    await waitFor(() => changes.includes(marker), { what: 'the marker notification' });
    expect(changes).toEqual([`${schema}.users`, marker]);
  });

  it('refuses a table that does not exist, naming it, and installs nothing', async () => {
    const before = await triggerCount();
    await expect(installChangeNotifications(query, [`${schema}.users`, `${schema}.nope`])).rejects.toThrow(
      `Cannot install change notifications on "${schema}.nope": no such table`,
    );
    expect(await triggerCount()).toBe(before);
  });

  it('refuses a view and names that are not strings', async () => {
    await expect(installChangeNotifications(query, [`${schema}.user_names`])).rejects.toThrow(/it is a view, not a table/);
    await expect(installChangeNotifications(query, [''])).rejects.toThrow(/non-empty strings/);
  });

  it('removes the triggers and the unused function, and skips tables that are gone', async () => {
    await installChangeNotifications(query, [`${schema}.users`, `${schema}.Audit Trail`, `${schema}.measures`]);
    await removeChangeNotifications(query, [`${schema}.users`, `${schema}.Audit Trail`, `${schema}.measures`, `${schema}.gone`]);
    expect(await triggerCount()).toBe(0);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`, [schema]);
    expect(rows[0].n).toBe(0);
    await writer.query(`INSERT INTO ${schema}.users VALUES (3, 'd')`);
    await writer.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, marker]);
    await waitFor(() => changes.includes(marker), { what: 'the marker notification' });
    expect(changes).toEqual([marker]);
  });
});
