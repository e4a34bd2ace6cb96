import type { Client } from 'pg';
import { StatementCache } from '../../src/lib/statements/statement-cache';
import { StatementTestDatabase } from './support/statement-test-database';

describe('StatementCache under many distinct statements', () => {
  const db = new StatementTestDatabase('stmt_bound');
  let client: Client;

  beforeAll(async () => {
    await db.create();
    client = await db.connect();
  });
  afterAll(() => db.drop());

  it('keeps 10,000 distinct statements on one connection within its bound, on both sides', async () => {
    const bound = 100;
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: bound });
    let largest = 0;
    for (let i = 0; i < 10_000; i++) {
      const { result, prepared } = await cache.execute<{ v: number }>(client, `SELECT $1::int + ${i} AS v`, [1]);
      if (result.rows[0].v !== i + 1 || !prepared) throw new Error(`statement ${i} answered ${JSON.stringify(result.rows)}`);
      largest = Math.max(largest, cache.preparedCount(client));
    }

    expect(largest).toBe(bound);
    expect(cache.preparedCount(client)).toBe(bound);
    expect((await db.preparedNames(client)).length).toBeLessThanOrEqual(bound);
    expect(cache.stats()).toEqual({ hits: 0, misses: 10_000, preparations: 10_000, evictions: 10_000 - bound, reprepares: 0 });
  });
});
