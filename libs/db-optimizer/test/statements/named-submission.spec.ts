import type { Client } from 'pg';
import { RAW_ROWS } from '../../src/lib/core/result-shape';
import { StatementCache } from '../../src/lib/statements/statement-cache';
import { schemaOnPrimary } from './support/statement-test-database';

/** What the client's `query` was handed, per call: a built query (has `submit`) or a config object pg copies. */
function recordSubmissions(client: Client): Array<'built' | 'config' | 'text'> {
  const seen: Array<'built' | 'config' | 'text'> = [];
  const original = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    seen.push(typeof config === 'string' ? 'text' : typeof (config as { submit?: unknown }).submit === 'function' ? 'built' : 'config');
    return original(config, ...rest);
  };
  return seen;
}

describe('StatementCache hands named statements to pg as built queries', () => {
  const db = schemaOnPrimary('stmt_submit');
  let client: Client;

  beforeAll(async () => {
    client = await db.connect();
  });

  it('runs a named statement without a config object for pg to copy, first use and hits alike', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 5 });
    const seen = recordSubmissions(client);
    const first = await cache.execute(client, 'SELECT $1::int * 2 AS v', [3]);
    const again = await cache.execute(client, 'SELECT $1::int * 2 AS v', [4]);

    expect([first.prepared, again.prepared]).toEqual([true, true]);
    expect([first.result.rows, again.result.rows]).toEqual([[{ v: 6 }], [{ v: 8 }]]);
    expect(first.result).toMatchObject({ command: 'SELECT', rowCount: 1 });
    expect(seen).toEqual(['built', 'built']);
    expect(await db.preparedNames(client)).toHaveLength(1);
  });

  it('builds the query from a config object when the caller asks for a result shape, and honours the shape', async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 5 });
    const seen = recordSubmissions(client);
    const { prepared, result } = await cache.execute(client, 'SELECT $1::int AS v, true AS b', [7], RAW_ROWS);

    expect(prepared).toBe(true);
    expect(result.rows).toEqual([['7', 't']]);
    expect(seen).toEqual(['built']);
  });

  it("rejects a failing named statement with pg's error and a stack that leads back to the caller", async () => {
    const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 5 });
    await cache.execute(client, 'SELECT 1 / $1::int AS v', [1]);
    async function callerOfTheDivision(): Promise<unknown> {
      return await cache.execute(client, 'SELECT 1 / $1::int AS v', [0]);
    }

    const error = (await callerOfTheDivision().catch((caught: unknown) => caught)) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('22012');
    expect(error.stack).toContain('callerOfTheDivision');
    // The connection is usable afterwards: nothing was left half-sent.
    expect((await cache.execute(client, 'SELECT 1 / $1::int AS v', [1])).result.rows).toEqual([{ v: 1 }]);
  });
});
