import type { Client, FieldDef } from 'pg';
import { StatementCache } from '../../src/lib/statements/statement-cache';
import { schemaOnPrimary } from './support/statement-test-database';

describe('StatementCache results, named or unnamed', () => {
  const db = schemaOnPrimary('stmt_parity', (schema) => [
    `CREATE TABLE ${schema}.samples (
       id int PRIMARY KEY, small smallint, big bigint, amount numeric(12,4), label text,
       at timestamptz, doc json, docb jsonb, tags text[], scores int[], missing text
     )`,
  ]);
  let client: Client;
  const at = new Date('2024-02-29T12:34:56.789Z');

  beforeAll(async () => {
    client = await db.connect();
    await client.query(
      'INSERT INTO samples VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL), ($11, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)',
      [1, 7, '9007199254740993', '12345678.1234', 'héllo', at, JSON.stringify({ a: [1, 'x'] }), { b: true }, ['a', 'b'], [1, 2, 3], 2],
    );
  });

  const sql = `SELECT id, small, big, amount, label, at, doc, docb, tags, scores, missing,
                      $2::bigint AS big_param, $3::jsonb AS json_param, $4::int[] AS array_param
                 FROM samples WHERE id = ANY($1::int[]) ORDER BY id`;
  const params = [[1, 2], '9007199254740995', { nested: { n: 1 } }, [4, 5]];
  const shape = (fields: FieldDef[]) => fields.map(({ name, dataTypeID }) => ({ name, dataTypeID }));

  it('returns the same rows and column types for ints, bigint, numeric, text, timestamptz, json, arrays and null', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 1, perConnectionCapacity: 10 });
    const unnamed = await cache.execute(client, sql, params);
    const named = await cache.execute(client, sql, params);
    const namedAgain = await cache.execute(client, sql, params);

    expect([unnamed.prepared, named.prepared, namedAgain.prepared]).toEqual([false, true, true]);
    expect(named.result.rows).toEqual(unnamed.result.rows);
    expect(namedAgain.result.rows).toEqual(unnamed.result.rows);
    expect(shape(named.result.fields)).toEqual(shape(unnamed.result.fields));
    expect(named.result.rowCount).toBe(2);
    expect(named.result.rows[0]).toEqual({
      id: 1,
      small: 7,
      big: '9007199254740993',
      amount: '12345678.1234',
      label: 'héllo',
      at,
      doc: { a: [1, 'x'] },
      docb: { b: true },
      tags: ['a', 'b'],
      scores: [1, 2, 3],
      missing: null,
      big_param: '9007199254740995',
      json_param: { nested: { n: 1 } },
      array_param: [4, 5],
    });
    expect(named.result.rows[1]).toMatchObject({ id: 2, big: null, doc: null, tags: null });
  });

  it('returns the same command and row count for a write', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 1, perConnectionCapacity: 10 });
    const update = 'UPDATE samples SET label = label WHERE id = $1';
    const unnamed = await cache.execute(client, update, [1]);
    const named = await cache.execute(client, update, [1]);

    expect(named.prepared).toBe(true);
    expect({ command: named.result.command, rowCount: named.result.rowCount }).toEqual({
      command: unnamed.result.command,
      rowCount: unnamed.result.rowCount,
    });
  });
});
