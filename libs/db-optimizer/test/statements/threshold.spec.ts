import { StatementCache } from '../../src/lib/statements/statement-cache';
import { statementName } from '../../src/lib/statements/statement-name';
import { schemaWithClient } from './support/statement-test-database';

describe('StatementCache prepare threshold', () => {
  const db = schemaWithClient('stmt_threshold');

  it('runs a text unnamed the first time and prepared from its first repeat (threshold 1)', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 1, perConnectionCapacity: 10 });
    const sql = 'SELECT $1::int * 2 AS v';

    const first = await cache.execute(db.client, sql, [1]);
    expect(first).toMatchObject({ prepared: false, result: { rows: [{ v: 2 }] } });
    expect(await db.preparedNames()).toEqual([]);

    const second = await cache.execute(db.client, sql, [2]);
    expect(second).toMatchObject({ prepared: true, result: { rows: [{ v: 4 }] } });
    expect(await db.preparedNames()).toEqual([statementName(sql)]);

    const third = await cache.execute(db.client, sql, [3]);
    expect(third).toMatchObject({ prepared: true, result: { rows: [{ v: 6 }] } });
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, preparations: 1, evictions: 0, reprepares: 0 });
  });

  it('waits for three sightings with threshold 3', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 3, perConnectionCapacity: 10 });
    const flags = [];
    for (let i = 0; i < 5; i++) flags.push((await cache.execute(db.client, 'SELECT $1::int + 3 AS v', [i])).prepared);
    expect(flags).toEqual([false, false, false, true, true]);
  });

  it('never prepares a statement without parameters', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 10 });
    for (let i = 0; i < 3; i++) expect((await cache.execute(db.client, 'SELECT 1 AS v; SELECT 2 AS w', [])).prepared).toBe(false);
    expect(cache.stats()).toEqual({ hits: 0, misses: 0, preparations: 0, evictions: 0, reprepares: 0 });
  });
});
