import type { Client } from 'pg';
import { StatementCache } from '../../src/lib/statements/statement-cache';
import { statementName } from '../../src/lib/statements/statement-name';
import { pgParsedNames, schemaOnPrimary } from './support/statement-test-database';

describe('StatementCache eviction', () => {
  const db = schemaOnPrimary('stmt_evict', (schema) => [
    `CREATE TABLE ${schema}.items (id int PRIMARY KEY)`,
    `INSERT INTO ${schema}.items VALUES (1), (2)`,
  ]);
  let client: Client;
  const texts = [1, 2, 3, 4, 5].map((k) => `SELECT id + ${k} AS v FROM items WHERE id = $1`);

  beforeEach(async () => {
    client = await db.connect();
  });

  describe('#execute', () => {
    it('deallocates the least recently used statements on their connection once 3 are kept', async () => {
      const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 3 });
      for (const text of texts) await cache.execute(client, text, [1]);

      const kept = texts.slice(2).map(statementName).sort();
      expect(await db.preparedNames(client)).toEqual(kept);
      expect(pgParsedNames(client)).toEqual(kept);
      expect(cache.preparedCount(client)).toBe(3);
      expect(cache.stats()).toEqual({ hits: 0, misses: 5, preparations: 5, evictions: 2, reprepares: 0 });
    });

    it('re-prepares an evicted statement when it is used again', async () => {
      const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 3 });
      for (const text of texts) await cache.execute(client, text, [1]);

      const again = await cache.execute<{ v: number }>(client, texts[0], [2]);

      expect(again).toMatchObject({ prepared: true, result: { rows: [{ v: 3 }] } });
      expect(await db.preparedNames(client)).toContain(statementName(texts[0]));
      expect(await db.preparedNames(client)).toHaveLength(3);
      expect(cache.stats()).toMatchObject({ preparations: 6, evictions: 3 });
    });

    it('keeps a statement that was used recently and evicts an older one instead', async () => {
      const cache = new StatementCache({ enabled: true, prepareThreshold: 0, perConnectionCapacity: 3 });
      for (const text of texts.slice(0, 3)) await cache.execute(client, text, [1]);
      await cache.execute(client, texts[0], [1]);
      await cache.execute(client, texts[3], [1]);

      expect(await db.preparedNames(client)).toEqual([texts[0], texts[2], texts[3]].map(statementName).sort());
      expect(cache.hits).toBe(1);
    });
  });
});
