import { Pool, types, type PoolClient, type QueryResult } from 'pg';
import { runWithRequestContext, type RoutingPoolClient } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import { libraryFixture } from './support/orm-fixture';

describe('RoutingPool speaks pg.Pool', () => {
  const schema = uniqueSchema('dropin_pool');
  const instance = libraryFixture(schema);
  const byId = `SELECT id, title, published FROM ${schema}.books WHERE id = $1`;

  describe('#query', () => {
    it('returns pg result shape: rows, rowCount, command, fields', async () => {
      const result = await instance.db.pool.query(byId, [1]);
      expect(result.command).toBe('SELECT');
      expect(result.rowCount).toBe(1);
      expect(result.fields.map((field) => field.name)).toEqual(['id', 'title', 'published']);
      expect(result.rows).toEqual([{ id: 1, title: 'The Dispossessed', published: expect.any(Date) }]);
    });

    it('honours rowMode array and custom types, for cached results too', async () => {
      const asText = { getTypeParser: (oid: number, format?: string) => (oid === types.builtins.DATE ? (value: string) => `date:${value}` : types.getTypeParser(oid, format as 'text')) };
      const config = { text: byId, values: [1], rowMode: 'array' as const, types: asText };
      for (let round = 0; round < 2; round++) {
        const result = await instance.db.pool.query(config);
        expect(result.rows).toEqual([[1, 'The Dispossessed', 'date:1974-05-01']]);
      }
      // The same statement in object mode with pg's parsers is not disturbed by the array-mode caller.
      expect((await instance.db.pool.query(byId, [1])).rows[0].published).toBeInstanceOf(Date);
    });

    it('calls back (err, result) when given a callback', async () => {
      const result = await new Promise<QueryResult>((resolve, reject) => {
        instance.db.pool.query(byId, [2], (error, res) => (error ? reject(error) : resolve(res)));
      });
      expect(result.rows[0].title).toBe('Ficciones');
    });

    it('rejects with the server error (SQLSTATE in code)', async () => {
      await expect(instance.db.pool.query(`SELECT * FROM ${schema}.missing`)).rejects.toMatchObject({ code: '42P01' });
    });
  });

  describe('#connect', () => {
    it('hands a client to a (err, client, release) callback', async () => {
      const client = await new Promise<RoutingPoolClient>((resolve, reject) => {
        instance.db.pool.connect((error, connected, release) => {
          if (error || !connected || !release) return reject(error);
          connected
            .query(byId, [1])
            .then(() => release())
            .then(() => resolve(connected), reject);
        });
      });
      expect(() => client.release()).toThrow('Release called on client which has already been released to the pool');
    });

    it('keeps session state on its own connection and closes that connection at release', async () => {
      const destroyed = () => instance.db.poolStats().find((pool) => pool.role === 'primary')!.destroyedOnRelease;
      const destroyedBefore = destroyed();
      const client = await instance.db.pool.connect();
      await client.query(`SET search_path TO ${schema}`);
      // Unqualified: only the connection that ran SET can resolve it.
      expect((await client.query('SELECT title FROM books WHERE id = $1', [2])).rows).toEqual([{ title: 'Ficciones' }]);
      client.release();
      expect(destroyed()).toBe(destroyedBefore + 1);
    });

    it('invalidates at COMMIT the writes made before a ROLLBACK TO SAVEPOINT', async () => {
      const authorName = `SELECT name FROM ${schema}.authors WHERE id = $1`;
      await instance.db.pool.query(authorName, [1]);
      expect((await instance.db.pool.query(authorName, [1])).rows).toEqual([{ name: 'Le Guin' }]);
      const client = await instance.db.pool.connect();
      await client.query('BEGIN');
      await client.query(`UPDATE ${schema}.authors SET name = $1 WHERE id = $2`, ['Ursula K. Le Guin', 1]);
      await client.query('SAVEPOINT before_mistake');
      await client.query(`UPDATE ${schema}.authors SET name = $1 WHERE id = $2`, ['mistake', 1]);
      // Its command tag is ROLLBACK, like a real rollback's: the earlier write must survive it.
      await client.query('ROLLBACK TO SAVEPOINT before_mistake');
      await client.query('COMMIT');
      client.release();
      await runWithRequestContext({ sessionKey: 'savepoint' }, async () => {
        expect((await instance.db.pool.query(authorName, [1])).rows).toEqual([{ name: 'Ursula K. Le Guin' }]);
      });
    });

    it('refuses a released client', async () => {
      const client = await instance.db.pool.connect();
      client.release();
      await expect(client.query('SELECT 1')).rejects.toThrow('This client was released');
    });
  });

  describe('counters and #end', () => {
    it('sums the module pools in totalCount, idleCount and waitingCount', () => {
      const stats = instance.db.poolStats();
      expect(instance.db.pool.totalCount).toBe(stats.reduce((sum, pool) => sum + pool.total, 0));
      expect(instance.db.pool.idleCount).toBe(stats.reduce((sum, pool) => sum + pool.idle, 0));
      expect(instance.db.pool.waitingCount).toBe(0);
    });

    it('ends only its own view: the module and the shared pool keep working', async () => {
      const view = instance.db.createPool();
      await view.end();
      await expect(view.query('SELECT 1')).rejects.toThrow('Cannot use a pool after calling end on the pool');
      await expect(view.end()).rejects.toThrow('Called end on pool more than once');
      expect((await instance.db.pool.query(byId, [1])).rowCount).toBe(1);
    });

    it('types as a pg.Pool for libraries that ask for one', async () => {
      const client: PoolClient = await instance.db.pool.asPgPool().connect();
      expect((await client.query(byId, [1])).rowCount).toBe(1);
      client.release();
    });

    it('is a pg.Pool to instanceof as well, and still this pool (Prisma\'s PrismaPg checks it)', async () => {
      const view = instance.db.createPool();
      const asPg = view.asPgPool();
      expect(asPg).toBeInstanceOf(Pool);
      expect(view.asPgPool()).toBe(asPg);
      expect((await asPg.query(byId, [1])).rowCount).toBe(1);
      await asPg.end();
      expect(view.ending).toBe(true);
    });
  });
});
