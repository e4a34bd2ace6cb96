import { Generated, Kysely, PostgresDialect } from 'kysely';
import { runWithRequestContext } from '@db-optimizer/core';
import { uniqueSchema } from '@db-optimizer/cluster';
import { cacheHits, libraryFixture, poolsUsed } from './support/orm-fixture';

interface Database {
  authors: { id: Generated<number>; name: string };
  books: { id: Generated<number>; author_id: number; title: string; published: Date | null };
}

describe('Kysely on the routing pool', () => {
  const schema = uniqueSchema('dropin_kysely');
  const instance = libraryFixture(schema);
  let kysely: Kysely<Database>;
  let db: Kysely<Database>;

  beforeAll(() => {
    // As an app would: the dialect is handed the module's pool.
    kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool: instance.db.pool }) });
    db = kysely.withSchema(schema);
  });

  afterAll(async () => {
    await kysely?.destroy();
  });

  it('creates, reads, updates and deletes rows', async () => {
    const { id } = await db.insertInto('authors').values({ name: 'Calvino' }).returning('id').executeTakeFirstOrThrow();
    await runWithRequestContext({ sessionKey: 'kysely-crud' }, async () => {
      expect(await db.selectFrom('authors').select('name').where('id', '=', id).executeTakeFirst()).toEqual({ name: 'Calvino' });
      const updated = await db.updateTable('authors').set({ name: 'Italo Calvino' }).where('id', '=', id).executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(1n);
      expect(await db.selectFrom('authors').select('name').where('id', '=', id).executeTakeFirst()).toEqual({ name: 'Italo Calvino' });
      const deleted = await db.deleteFrom('authors').where('id', '=', id).executeTakeFirst();
      expect(deleted.numDeletedRows).toBe(1n);
      expect(await db.selectFrom('authors').select('name').where('id', '=', id).execute()).toEqual([]);
    });
  });

  it('sends reads to a replica and writes to the primary', async () => {
    await db.selectFrom('books').select('title').where('id', '=', 2).execute();
    await db.updateTable('books').set({ title: 'Ficciones' }).where('id', '=', 2).execute();
    const reads = poolsUsed(instance, /^select "title" from .*"books" where "id" = \$1$/i);
    const writes = poolsUsed(instance, /^update .*"books" set "title" = \$1 where "id" = \$2$/i);
    expect(reads.read_replica).toBeGreaterThan(0);
    expect(reads.primary).toBe(0);
    expect(writes).toEqual({ primary: 1, read_replica: 0, analytics: 0 });
  });

  it('keeps the rows of a query that selects no columns (an existence check) once its statement is prepared', async () => {
    // Three parameter values: three loads through the pool; the second and third run prepared, the third without a Describe.
    const counts = [];
    for (const below of [0, -1, -2]) counts.push((await db.selectFrom('books').where('id', '=', 1).where('author_id', '>', below).execute()).length);
    expect(counts).toEqual([1, 1, 1]);
  });

  it('joins, with pg parsing the date column as usual', async () => {
    const rows = await db
      .selectFrom('books')
      .innerJoin('authors', 'authors.id', 'books.author_id')
      .select(['books.title', 'authors.name', 'books.published'])
      .where('books.id', '=', 1)
      .execute();
    expect(rows).toEqual([{ title: 'The Dispossessed', name: 'Le Guin', published: expect.any(Date) }]);
  });

  it('runs a transaction on one connection and invalidates the cached read at COMMIT', async () => {
    const read = () => db.selectFrom('books').select('title').where('id', '=', 1).executeTakeFirstOrThrow();
    const pattern = /^select "title" from .*"books" where "id" = \$1$/i;
    await read();
    const hitsBefore = cacheHits(instance, pattern);
    expect(await read()).toEqual({ title: 'The Dispossessed' });
    expect(cacheHits(instance, pattern)).toBe(hitsBefore + 1);

    await runWithRequestContext({ sessionKey: 'kysely-tx' }, async () => {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('books').set({ title: 'The Dispossessed: An Ambiguous Utopia' }).where('id', '=', 1).execute();
        // Inside the transaction the change is visible: same connection.
        expect(await trx.selectFrom('books').select('title').where('id', '=', 1).executeTakeFirstOrThrow()).toEqual({
          title: 'The Dispossessed: An Ambiguous Utopia',
        });
      });
      expect(await read()).toEqual({ title: 'The Dispossessed: An Ambiguous Utopia' });
    });
  });

  it('undoes a rolled-back transaction and leaves the cache serving the old row', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.updateTable('authors').set({ name: 'nobody' }).where('id', '=', 2).execute();
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    await runWithRequestContext({ sessionKey: 'kysely-rollback' }, async () => {
      expect(await db.selectFrom('authors').select('name').where('id', '=', 2).executeTakeFirstOrThrow()).toEqual({ name: 'Borges' });
    });
  });
});
