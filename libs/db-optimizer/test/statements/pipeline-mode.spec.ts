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

  it('recovers from DDL under a stream of reads with one DEALLOCATE per invalidation: no 26000, no 42P05, every read right', async () => {
    const admin = await db.connect();
    await admin.query('CREATE TABLE ddl_items (id int PRIMARY KEY, a int NOT NULL)');
    await admin.query('INSERT INTO ddl_items SELECT g, g FROM generate_series(1, 10) g');
    const cache = new StatementCache({ enabled: true, prepareThreshold: 1, perConnectionCapacity: 100 });
    const text = 'SELECT * FROM ddl_items WHERE id = $1';
    // Every error the server sends on this connection, by SQLSTATE.
    const codes: Record<string, number> = {};
    const connection = (db.client as unknown as { connection: NodeJS.EventEmitter }).connection;
    const countCode = (message: { code: string }): void => void (codes[message.code] = (codes[message.code] ?? 0) + 1);
    connection.on('errorMessage', countCode);
    const read = (id: number) => cache.execute<{ id: number }>(db.client, text, [id]).then(({ result }) => result.rows[0].id === id);
    try {
      await read(1);
      await read(1);
      const answers: Array<Promise<boolean>> = [];
      for (let round = 0; round < 6; round++) {
        await admin.query(round % 2 === 0 ? 'ALTER TABLE ddl_items ADD COLUMN b int' : 'ALTER TABLE ddl_items DROP COLUMN b');
        // Reads already in the pipeline fail one by one while new ones keep arriving between their failures.
        for (let k = 0; k < 6; k++) answers.push(read(k + 1), db.client.query('SELECT pg_sleep(0.005)').then(() => true));
        const stream = setInterval(() => answers.push(read(2)), 2);
        await new Promise((resolve) => setTimeout(resolve, 80));
        clearInterval(stream);
        await Promise.all(answers);
      }

      expect((await Promise.all(answers)).every(Boolean)).toBe(true);
      expect(Object.keys(codes)).toEqual(['0A000']);
    } finally {
      connection.off('errorMessage', countCode);
    }
  });
});
