import { StatementCache } from '../../src/lib/statements/statement-cache';
import { statementName } from '../../src/lib/statements/statement-name';
import { schemaWithClient } from './support/statement-test-database';

/** pg closes the named statement on the server when binding a value throws, but keeps its record of it. */
const unserializable = {
  toPostgres(): string {
    throw new Error('cannot serialize this value');
  },
};

describe('StatementCache when pg cannot serialize a parameter', () => {
  const db = schemaWithClient('stmt_bind');

  it('keeps the statement usable after the failed call', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
    const sql = 'SELECT $1::text AS v';
    await cache.execute(db.client, sql, ['a']);
    await expect(cache.execute(db.client, sql, [unserializable])).rejects.toThrow('cannot serialize this value');

    expect(await cache.execute(db.client, sql, ['b'])).toMatchObject({ prepared: true, result: { rows: [{ v: 'b' }] } });
    expect(await db.preparedNames()).toEqual([statementName(sql)]);
  });

  it('does not abort the caller\'s transaction afterwards, and prepares again once it ended', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
    const sql = 'SELECT $1::text || \'!\' AS v';
    await cache.execute(db.client, sql, ['a']);
    await db.client.query('BEGIN');
    await expect(cache.execute(db.client, sql, [unserializable])).rejects.toThrow('cannot serialize this value');

    expect(await cache.execute(db.client, sql, ['b'])).toMatchObject({ prepared: false, result: { rows: [{ v: 'b!' }] } });
    expect(db.client.getTransactionStatus()).toBe('T');
    await db.client.query('COMMIT');
    expect(await cache.execute(db.client, sql, ['c'])).toMatchObject({ prepared: true, result: { rows: [{ v: 'c!' }] } });
  });
});
