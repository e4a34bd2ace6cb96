import { StatementCache } from '../../src/lib/statements/statement-cache';
import { schemaWithClient } from './support/statement-test-database';

describe('StatementCache with prepared statements disabled', () => {
  const db = schemaWithClient('stmt_off');

  it('prepares nothing, however often a statement repeats', async () => {
    const cache = new StatementCache({ enabled: false, prepareThreshold: 0, perConnectionCapacity: 10 });
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await cache.execute<{ v: number }>(db.client, 'SELECT $1::int AS v', [i]));

    expect(runs.map((run) => [run.prepared, run.result.rows[0].v])).toEqual([0, 1, 2, 3, 4].map((i) => [false, i]));
    expect(await db.preparedNames()).toEqual([]);
    expect(cache.preparedCount(db.client)).toBe(0);
    expect(cache.stats()).toEqual({ hits: 0, misses: 0, preparations: 0, evictions: 0, reprepares: 0 });
  });
});
