import { StatementCache } from '../../src/lib/statements/statement-cache';
import { schemaWithClient } from './support/statement-test-database';

describe('StatementCache under many distinct statements', () => {
  const db = schemaWithClient('stmt_bound');

  it('keeps 10,000 distinct statements on one connection within its bound, on both sides', async () => {
    const bound = 100;
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: bound });
    let largest = 0;
    for (let i = 0; i < 10_000; i++) {
      const { result, prepared } = await cache.execute<{ v: number }>(db.client, `SELECT $1::int + ${i} AS v`, [1]);
      if (result.rows[0].v !== i + 1 || !prepared) throw new Error(`statement ${i} answered ${JSON.stringify(result.rows)}`);
      largest = Math.max(largest, cache.preparedCount(db.client));
    }

    expect(largest).toBe(bound);
    expect(cache.preparedCount(db.client)).toBe(bound);
    expect((await db.preparedNames()).length).toBeLessThanOrEqual(bound);
    expect(cache.stats()).toEqual({ hits: 0, misses: 10_000, preparations: 10_000, evictions: 10_000 - bound, reprepares: 0 });
  });
});
