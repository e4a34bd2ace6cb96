import * as pg from 'pg';
import type { Client, FieldDef, QueryResult } from 'pg';
import { RAW_ROWS } from '../../src/lib/core/result-shape';
import { describeOnceQueryClass, describeOnceQueryClassWithReplay, type PgQueryClass } from '../../src/lib/statements/describe-once-query';
import { StatementCache } from '../../src/lib/statements/statement-cache';
import { schemaOnPrimary } from './support/statement-test-database';

/** Counts what pg sends and receives on `client`'s connection: Describe messages out, RowDescription messages in. */
function countDescribes(client: Client): { sent: number; answered: number } {
  const counts = { sent: 0, answered: 0 };
  const connection = (client as unknown as { connection: NodeJS.EventEmitter & { describe(message: unknown): void } }).connection;
  const describe = connection.describe.bind(connection);
  connection.describe = (message: unknown) => {
    counts.sent++;
    describe(message);
  };
  connection.on('rowDescription', () => counts.answered++);
  return counts;
}

/** Runs one query object of `Query` (a query class, as the cache builds it) on `client`. */
function runQuery(client: Client, Query: PgQueryClass, config: object): Promise<QueryResult> {
  return new Promise<QueryResult>((resolve, reject) => {
    client.query(new Query(config, undefined, (error, result) => (error ? reject(error) : resolve(result))) as never);
  });
}

/** What a result's columns say, without pg's message bookkeeping. */
const columnsOf = (fields: FieldDef[]) => fields.map(({ name, dataTypeID, tableID, columnID, format }) => ({ name, dataTypeID, tableID, columnID, format }));

describe('StatementCache describes a named statement once per connection', () => {
  const db = schemaOnPrimary('stmt_describe', (schema) => [
    `CREATE TABLE ${schema}.items (id int PRIMARY KEY, label text NOT NULL, price numeric NOT NULL, seen timestamptz NOT NULL DEFAULT now())`,
    `INSERT INTO ${schema}.items SELECT g, 'item ' || g, g * 1.5, '2026-11-30T00:00:00Z' FROM generate_series(1, 20) g`,
  ]);
  let client: Client;
  let cache: StatementCache;

  beforeEach(async () => {
    client = await db.connect();
    cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
  });

  it('sends no Describe after the first run, with rows and fields equal to what pg itself returns', async () => {
    const sql = 'SELECT id, label, price, seen FROM items WHERE id = $1';
    const counts = countDescribes(client);
    const runs = [];
    for (const id of [1, 2, 3]) runs.push((await cache.execute(client, sql, [id])).result);
    const described = { ...counts };
    const byPg = await client.query({ text: sql, values: [3] });

    expect(described).toEqual({ sent: 1, answered: 1 });
    expect(runs.map((result) => result.rows)).toEqual([1, 2, 3].map((id) => [{ id, label: `item ${id}`, price: (id * 1.5).toFixed(1), seen: new Date('2026-11-30T00:00:00Z') }]));
    expect(runs[2]).toMatchObject({ command: 'SELECT', rowCount: 1 });
    expect(columnsOf(runs[2].fields)).toEqual(columnsOf(byPg.fields));
  });

  it('skips the Describe of a statement without rows too, and counts its rows', async () => {
    const sql = 'UPDATE items SET label = label WHERE id <= $1';
    const counts = countDescribes(client);
    const first = await cache.execute(client, sql, [2]);
    const second = await cache.execute(client, sql, [5]);

    expect(counts).toEqual({ sent: 1, answered: 0 });
    expect([first.result.rowCount, second.result.rowCount]).toEqual([2, 5]);
    expect([first.result.fields, second.result.fields]).toEqual([[], []]);
    expect(second.result.command).toBe('UPDATE');
  });

  it('keeps the rows of a SELECT of no columns (a RowDescription of none is not NoData), in either shape', async () => {
    const sql = 'SELECT FROM items WHERE id <= $1';
    const counts = countDescribes(client);
    const first = await cache.execute(client, sql, [3]);
    const second = await cache.execute(client, sql, [2]);
    const raw = await cache.execute(client, sql, [4], RAW_ROWS);

    expect(counts.sent).toBe(1);
    expect([first.result.rows, second.result.rows, raw.result.rows]).toEqual([[{}, {}, {}], [{}, {}], [[], [], [], []]]);
    expect(second.result.rowCount).toBe(2);
  });

  it('fails only the run whose type parser throws on a skipped Describe, and the connection answers the next run', async () => {
    const sql = 'SELECT id, label FROM items WHERE id = $1';
    await cache.execute(client, sql, [1]);
    const throwing = { types: { getTypeParser: () => { throw new Error('no parser for this type'); } } };

    await expect(cache.execute(client, sql, [2], throwing as never)).rejects.toThrow('no parser for this type');
    expect((await cache.execute(client, sql, [3])).result.rows).toEqual([{ id: 3, label: 'item 3' }]);
    expect(client.getTransactionStatus()).toBe('I');
  });

  it('applies a type parser set after the first run, and again after a skipped one, as pg does, and keeps columns named alike or __proto__', async () => {
    const sql = 'SELECT $1::numeric AS amount, 1 AS "__proto__", 2 AS twice, 3 AS twice';
    const first = await cache.execute(client, sql, ['1.5']);
    client.setTypeParser(1700, (value: string) => Number(value));
    const second = await cache.execute(client, sql, ['2.5']);
    const byPg = await client.query({ text: sql, values: ['2.5'] });
    // Again after a skipped run: a replay that kept the parsers it looked up would miss this one.
    client.setTypeParser(1700, (value: string) => `amount ${value}`);
    const third = await cache.execute(client, sql, ['3.5']);

    expect(first.result.rows[0].amount).toBe('1.5');
    expect(second.result.rows).toEqual(byPg.rows);
    expect(second.result.rows[0].amount).toBe(2.5);
    expect(Object.getOwnPropertyDescriptor(second.result.rows[0], '__proto__')?.value).toBe(1);
    expect(second.result.rows[0].twice).toBe(3);
    expect(third.result.rows[0].amount).toBe('amount 3.5');
  });

  it('where the probe refuses the replay, hands a skipped run its columns through pg\'s own handler: the same rows, parsers and fields', async () => {
    const Query = describeOnceQueryClassWithReplay((pg.Client as unknown as { Query: PgQueryClass }).Query, false);
    const handled = jest.spyOn(Query.prototype as { handleRowDescription(message: unknown): void }, 'handleRowDescription');
    const run = (name: string, text: string, values: unknown[]) => runQuery(client, Query, { name, text, values });
    const sql = 'SELECT $1::numeric AS amount, 1 AS "__proto__", 2 AS twice, 3 AS twice, label FROM items WHERE id = $2';
    const none = 'SELECT FROM items WHERE id <= $1';
    const counts = countDescribes(client);
    try {
      await run('dbo_fallback_columns', sql, ['1.5', 1]);
      client.setTypeParser(1700, (value: string) => Number(value));
      const skipped = await run('dbo_fallback_columns', sql, ['2.5', 2]);
      await run('dbo_fallback_none', none, [3]);
      const noneSkipped = await run('dbo_fallback_none', none, [3]);
      const described = { ...counts };
      const byPg = await client.query({ text: sql, values: ['2.5', 2] });

      // One Describe per statement, yet pg's handler ran on every run: the skipped ones were handed their columns.
      expect(described).toEqual({ sent: 2, answered: 2 });
      expect(handled).toHaveBeenCalledTimes(4);
      expect(skipped.rows).toEqual(byPg.rows);
      expect(skipped.rows[0]).toMatchObject({ amount: 2.5, twice: 3, label: 'item 2' });
      expect(Object.getOwnPropertyDescriptor(skipped.rows[0], '__proto__')?.value).toBe(1);
      expect(columnsOf(skipped.fields)).toEqual(columnsOf(byPg.fields));
      expect([noneSkipped.rowCount, noneSkipped.rows.length]).toEqual([3, 3]);
    } finally {
      handled.mockRestore();
    }
  });

  it('does not reuse a binary run\'s columns for a text run of the same statement', async () => {
    const Query = describeOnceQueryClass((pg.Client as unknown as { Query: PgQueryClass }).Query);
    const run = (binary: boolean) => runQuery(client, Query, { name: 'dbo_binary_then_text', text: 'SELECT $1::int AS v', values: [5], binary });
    const binary = await run(true);
    const text = await run(false);
    const textAgain = await run(false);

    expect(binary.fields[0].format).toBe('binary');
    expect([text.rows, textAgain.rows]).toEqual([[{ v: 5 }], [{ v: 5 }]]);
    expect(textAgain.fields[0].format).toBe('text');
  });

  it('parses each run with its own shape: raw text arrays, then pg\'s parsed objects, from one description', async () => {
    const sql = 'SELECT id, price FROM items WHERE id = $1';
    const counts = countDescribes(client);
    const raw = await cache.execute(client, sql, [4], RAW_ROWS);
    const parsed = await cache.execute(client, sql, [4]);
    const rawAgain = await cache.execute(client, sql, [6], RAW_ROWS);

    expect(counts.sent).toBe(1);
    expect(raw.result.rows).toEqual([['4', '6.0']]);
    expect(parsed.result.rows).toEqual([{ id: 4, price: '6.0' }]);
    expect(rawAgain.result.rows).toEqual([['6', '9.0']]);
  });

  it('shares the columns frozen, so a caller that writes to one run\'s fields cannot change the next run\'s', async () => {
    const sql = 'SELECT id FROM items WHERE id = $1';
    await cache.execute(client, sql, [1]);
    const { result } = await cache.execute(client, sql, [1]);

    expect(() => {
      (result.fields[0] as { name: string }).name = 'renamed';
    }).toThrow(TypeError);
    expect(() => result.fields.push(result.fields[0])).toThrow(TypeError);
    const next = await cache.execute(client, sql, [2]);
    expect(next.result.rows).toEqual([{ id: 2 }]);
    expect(next.result.fields.map((field) => field.name)).toEqual(['id']);
  });

  it('describes again after the connection was reset and forgotten (DISCARD ALL), and after DDL re-prepared the statement', async () => {
    const table = 'reshaped';
    await client.query(`CREATE TABLE ${table} (id int PRIMARY KEY, a int NOT NULL)`);
    await client.query(`INSERT INTO ${table} VALUES (1, 10)`);
    const sql = `SELECT * FROM ${table} WHERE id = $1`;
    const counts = countDescribes(client);
    await cache.execute(client, sql, [1]);
    await client.query('DISCARD ALL');
    await client.query(`SET search_path TO ${db.schema}, public`);
    cache.forgetConnection(client);
    const afterReset = await cache.execute(client, sql, [1]);
    await client.query(`ALTER TABLE ${table} ADD COLUMN b text NOT NULL DEFAULT 'new'`);
    const afterDdl = await cache.execute(client, sql, [1]);
    const again = await cache.execute(client, sql, [1]);

    expect(counts.sent).toBe(3);
    expect(afterReset.result.rows).toEqual([{ id: 1, a: 10 }]);
    expect(afterDdl.result.rows).toEqual([{ id: 1, a: 10, b: 'new' }]);
    expect(again.result.rows).toEqual([{ id: 1, a: 10, b: 'new' }]);
    expect(again.result.fields.map((field) => field.name)).toEqual(['id', 'a', 'b']);
  });

  it('on a pipelined connection, describes until the first answer came and then no more, every row right', async () => {
    const pipelined = await db.connect({ pipeline: true } as never);
    const sql = 'SELECT id, label FROM items WHERE id = $1';
    const counts = countDescribes(pipelined);
    const read = (id: number) => cache.execute<{ id: number; label: string }>(pipelined, sql, [id]).then(({ result }) => result.rows[0]);
    const first = await Promise.all([1, 2, 3, 4, 5].map(read));
    const describedFirst = counts.sent;
    const second = await Promise.all([6, 7, 8, 9, 10].map(read));

    expect(describedFirst).toBeGreaterThanOrEqual(1);
    expect(counts.sent).toBe(describedFirst);
    expect([...first, ...second]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((id) => ({ id, label: `item ${id}` })));
  });
});
