import { StatementCache } from '../../src/lib/statements/statement-cache';
import { statementName } from '../../src/lib/statements/statement-name';
import { schemaWithClient } from './support/statement-test-database';

describe('StatementCache when a name is already taken by another text', () => {
  const db = schemaWithClient('stmt_collide');

  it('runs the statement unnamed rather than share a name with a different text', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
    const sql = 'SELECT $1::int + 1 AS v';
    // Stands in for a hash collision: the connection already holds this name for another text.
    await db.client.query({ name: statementName(sql), text: 'SELECT $1::int - 1 AS v', values: [0] });

    const run = await cache.execute<{ v: number }>(db.client, sql, [10]);

    expect(run).toMatchObject({ prepared: false, result: { rows: [{ v: 11 }] } });
    expect(cache.preparedCount(db.client)).toBe(0);
  });
});
