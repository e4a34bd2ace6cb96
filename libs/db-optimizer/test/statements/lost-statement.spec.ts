import type { Client } from 'pg';
import { StatementCache } from '../../src/lib/statements/statement-cache';
import { StatementTestDatabase } from './support/statement-test-database';

describe('StatementCache when the server lost its statements (DEALLOCATE ALL behind its back)', () => {
  const db = new StatementTestDatabase('stmt_lost');
  let client: Client;

  beforeAll(async () => {
    await db.create();
    client = await db.connect();
  });
  afterAll(() => db.drop());

  it('re-prepares and answers outside a transaction', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
    await cache.execute(client, 'SELECT $1::int AS v', [1]);
    await client.query('DEALLOCATE ALL');

    expect(await cache.execute(client, 'SELECT $1::int AS v', [2])).toMatchObject({ prepared: true, result: { rows: [{ v: 2 }] } });
    expect(cache.reprepares).toBe(1);
  });

  it('rethrows inside a transaction and re-prepares on the next use', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
    await cache.execute(client, 'SELECT $1::int + 1 AS v', [1]);
    await client.query('DEALLOCATE ALL');
    await client.query('BEGIN');
    await expect(cache.execute(client, 'SELECT $1::int + 1 AS v', [1])).rejects.toMatchObject({ code: '26000' });
    await client.query('ROLLBACK');

    expect(await cache.execute(client, 'SELECT $1::int + 1 AS v', [2])).toMatchObject({ prepared: true, result: { rows: [{ v: 3 }] } });
  });
});
