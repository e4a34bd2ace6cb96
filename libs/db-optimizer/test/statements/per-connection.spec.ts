import type { Client } from 'pg';
import { Pool } from 'pg';
import { testEnv } from '@db-optimizer/cluster';
import { StatementCache } from '../../src/lib/statements/statement-cache';
import { statementName } from '../../src/lib/statements/statement-name';
import { schemaOnPrimary } from './support/statement-test-database';

describe('StatementCache per connection', () => {
  const db = schemaOnPrimary('stmt_conn');
  let a: Client;
  let b: Client;

  beforeAll(async () => {
    a = await db.connect();
    b = await db.connect();
  });

  it('keeps a separate LRU for each connection: evicting on one leaves the other untouched', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 2 });
    const [one, two, three] = ['SELECT $1::int + 1 AS v', 'SELECT $1::int + 2 AS v', 'SELECT $1::int + 3 AS v'];
    await cache.execute(a, one, [0]);
    await cache.execute(b, one, [0]);
    await cache.execute(a, two, [0]);
    await cache.execute(a, three, [0]);

    expect(await db.preparedNames(a)).toEqual([two, three].map(statementName).sort());
    expect(await db.preparedNames(b)).toEqual([statementName(one)]);
    expect([cache.preparedCount(a), cache.preparedCount(b)]).toEqual([2, 1]);
    expect(await cache.execute(b, one, [5])).toMatchObject({ prepared: true, result: { rows: [{ v: 6 }] } });
    expect(cache.hits).toBe(1);
  });

  it('starts afresh on a new connection after pg-pool destroyed the old one', async () => {
    const pool = new Pool({ connectionString: testEnv().primaryUrl, max: 1 });
    pool.on('error', () => undefined);
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 5 });
    try {
      const first = await pool.connect();
      await cache.execute(first, 'SELECT $1::int AS v', [1]);
      expect(cache.preparedCount(first)).toBe(1);
      first.release(new Error('destroy this connection'));

      const second = await pool.connect();
      expect(second).not.toBe(first);
      expect(cache.preparedCount(second)).toBe(0);
      expect(await cache.execute(second, 'SELECT $1::int AS v', [2])).toMatchObject({ prepared: true, result: { rows: [{ v: 2 }] } });
      second.release();
    } finally {
      await pool.end();
    }
  });
});
