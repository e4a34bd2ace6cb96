import { StatementCache } from '../../src/lib/statements/statement-cache';
import { pgParsedNames, schemaWithClient } from './support/statement-test-database';

describe('StatementCache on a pipelined connection (pg `pipeline: true`)', () => {
  const db = schemaWithClient('stmt_pipe', { pipeline: true } as never);

  it('answers concurrent calls correctly while evicting, and ends with pg and the server in step', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 5 });
    const calls = Array.from({ length: 400 }, (_, i) => {
      const k = (i * 7) % 23;
      return cache.execute<{ v: number }>(db.client, `SELECT $1::int + ${k} AS v`, [i]).then(({ result }) => result.rows[0].v - i === k);
    });

    expect((await Promise.all(calls)).every(Boolean)).toBe(true);
    expect(cache.evictions).toBeGreaterThan(0);
    const onServer = await db.preparedNames();
    expect(onServer.length).toBeLessThanOrEqual(5);
    expect(pgParsedNames(db.client)).toEqual(onServer);
  });
});
