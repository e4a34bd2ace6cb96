import { StatementCache } from '../../src/lib/statements/statement-cache';
import { schemaWithClient } from './support/statement-test-database';

describe('StatementCache when the server lost its statements (DEALLOCATE ALL behind its back)', () => {
  const db = schemaWithClient('stmt_lost');

  it('re-prepares and answers outside a transaction', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
    await cache.execute(db.client, 'SELECT $1::int AS v', [1]);
    await db.client.query('DEALLOCATE ALL');

    expect(await cache.execute(db.client, 'SELECT $1::int AS v', [2])).toMatchObject({ prepared: true, result: { rows: [{ v: 2 }] } });
    expect(cache.reprepares).toBe(1);
  });

  it('rethrows inside a transaction and re-prepares on the next use', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
    await cache.execute(db.client, 'SELECT $1::int + 1 AS v', [1]);
    await db.client.query('DEALLOCATE ALL');
    await db.client.query('BEGIN');
    await expect(cache.execute(db.client, 'SELECT $1::int + 1 AS v', [1])).rejects.toMatchObject({ code: '26000' });
    await db.client.query('ROLLBACK');

    expect(await cache.execute(db.client, 'SELECT $1::int + 1 AS v', [2])).toMatchObject({ prepared: true, result: { rows: [{ v: 3 }] } });
  });
});
